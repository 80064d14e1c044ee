"""Path transforms with Google fractribution's semantics.

A path is the ordered list of channels a journey touched, oldest first. The
transforms are the ones of google/fractribution (``py/templates/path_transforms.sql``
at HEAD, ``tuple_transforms.py`` in the 2020 version); their unit-test data lives in
``tests/fixtures/reference/fractribution``. Example on ``D A B B C D C C``:

======================== ====================================
``unique``               ``D A B B C D C C`` (identity)
``exposure``             ``D A B C D C`` (consecutive repeats collapse; the default)
``first``                ``D A B C`` (first occurrence of each channel)
``frequency``            ``D(2) A(1) B(2) C(3)`` (first occurrence, with its count)
``remove_if_not_all``    every ``channel`` removed, unless the path is only ``channel``
``remove_if_last_and_not_all`` trailing ``channel`` removed, unless the path is only it
``trim_long_path``       the last ``max_steps`` touches (all when ``max_steps`` is None or <= 0)
======================== ====================================

``frequency`` appends ``(n)`` to each channel and :func:`strip_frequency_count` removes exactly one
trailing ``(n)``: a channel name may itself hold parentheses (``Direct / (direct)`` becomes
``Direct / (direct)(1)``), even end in ``(digits)`` (``A(2)`` becomes ``A(2)(1)``), and still comes
back unchanged, because the annotation is always the last ``(`` of the string. So strip only names the
``frequency`` transform annotated.

``trim_long_path`` is fractribution's ``TrimLongPath`` with ``path_lookback_steps`` =
``socialroi__max_steps``. The pipeline's SQL already cuts every path to its last ``max_steps`` touches
(macros/journey_paths.sql) before the fit sees it, so in the pipeline ``trim_long_path`` fits exactly
as ``unique`` does (the identity: repeats kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby

PATH_SEPARATOR = " > "
TRANSFORMS = (
    "unique",
    "exposure",
    "first",
    "frequency",
    "remove_if_not_all",
    "remove_if_last_and_not_all",
    "trim_long_path",
)
_FREQUENCY_SUFFIX = re.compile(r"\(\d+\)\Z")


def split_path(path: str, sep: str = PATH_SEPARATOR) -> list[str]:
    """``'A > B'`` -> ``['A', 'B']``; the empty string is the empty path."""
    return path.split(sep) if path else []


def join_path(path: Iterable[str], sep: str = PATH_SEPARATOR) -> str:
    """``['A', 'B']`` -> ``'A > B'``."""
    return sep.join(path)


def strip_frequency_count(channel: str) -> str:
    """``'A(3)'`` -> ``'A'``, ``'Direct / (direct)(2)'`` -> ``'Direct / (direct)'``: undoes the annotation of
    the ``frequency`` transform (one trailing ``(n)``; apply it only to names that transform annotated)."""
    return _FREQUENCY_SUFFIX.sub("", channel, count=1) if channel.endswith(")") else channel


def transform_path(
    path: Sequence[str],
    transform: str,
    *,
    max_steps: int | None = None,
    channel: str | None = None,
) -> list[str]:
    """Apply one fractribution path transform (see the module docstring).

    ``max_steps`` is used by ``trim_long_path`` only and ``channel`` by the two
    ``remove_*`` transforms only; the other transforms ignore them, so callers can
    pass their settings uniformly.
    """
    p = list(path)
    if transform == "unique":
        return p
    if transform == "exposure":
        return [c for c, _ in groupby(p)]
    if transform == "first":
        return list(dict.fromkeys(p))
    if transform == "frequency":
        counts: dict[str, int] = {}
        for c in p:
            counts[c] = counts.get(c, 0) + 1
        return [f"{c}({n})" for c, n in counts.items()]  # dicts keep first-seen order
    if transform in ("remove_if_not_all", "remove_if_last_and_not_all"):
        if channel is None:
            raise ValueError(f"transform {transform!r} needs channel=")
        if transform == "remove_if_not_all":
            kept = [c for c in p if c != channel]
            return kept if kept else p
        tail = len(p)
        while tail > 0 and p[tail - 1] == channel:
            tail -= 1
        return p[:tail] if tail > 0 else p
    if transform == "trim_long_path":
        if max_steps is not None and max_steps > 0:
            return p[-max_steps:]
        return p
    raise ValueError(f"unknown path transform {transform!r}; expected one of {TRANSFORMS}")


def apply_transforms(
    path: Sequence[str],
    transforms: Iterable[str],
    *,
    max_steps: int | None = None,
    channel: str | None = None,
) -> list[str]:
    """Apply several transforms in order, as fractribution's ``path_transforms`` list."""
    p = list(path)
    for t in transforms:
        p = transform_path(p, t, max_steps=max_steps, channel=channel)
    return p


def transform_path_summary(
    rows: Iterable[tuple[Sequence[str], float, float]],
    transform: str | Sequence[str],
    *,
    max_steps: int | None = None,
    channel: str | None = None,
) -> list[tuple[tuple[str, ...], float, float]]:
    """Transform ``(path, conversions, non_conversions)`` rows and merge equal results.

    ``transform`` is one transform name or a sequence applied in order. Output keeps
    the order in which each transformed path first appears.
    """
    names = [transform] if isinstance(transform, str) else list(transform)
    out: dict[tuple[str, ...], tuple[float, float]] = {}
    for path, conv, non_conv in rows:
        key = tuple(apply_transforms(path, names, max_steps=max_steps, channel=channel))
        c0, n0 = out.get(key, (0.0, 0.0))
        out[key] = (c0 + float(conv), n0 + float(non_conv))
    return [(k, c, n) for k, (c, n) in out.items()]
