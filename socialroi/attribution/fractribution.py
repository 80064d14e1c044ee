"""Google fractribution's "simplified Shapley" model, per path.

Reproduces ``Fractribution.run_shapley_attribution`` followed by
``normalize_channel_to_attribution_names`` (google/fractribution ``py/fractribution.py``):

* paths are the *transformed* path tuples (see :mod:`socialroi.attribution.paths`);
  duplicate paths are merged by adding their counts;
* a path's conversion probability is ``conversions / (conversions + non_conversions)``,
  0 for a path never seen;
* a one-channel path gets all the credit; otherwise touch ``i``'s marginal
  contribution is ``max(0, p(path) - p(path without touch i))`` -- a leave-one-out
  counterfactual on the path *sequence*, so it only finds paths that were observed;
* contributions are normalised to sum 1; if all are 0, the last touch gets 1;
* touches of the same channel are added up, and the ``frequency`` transform's
  ``(n)`` suffix is stripped (``strip_counts``) so ``A(2)`` reports as ``A``.

Paths without conversions and the empty path get no fractions (fractribution
reports them under ``Unmatched_Channel``; see :func:`channel_totals`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from socialroi.attribution.paths import strip_frequency_count

Path = tuple[str, ...]
UNMATCHED_CHANNEL = "Unmatched_Channel"


def _summaries(
    path_summary: Sequence[tuple[Sequence[str], float, float]],
) -> dict[Path, tuple[float, float]]:
    out: dict[Path, tuple[float, float]] = {}
    for path, conv, non_conv in path_summary:
        key = tuple(path)
        c0, n0 = out.get(key, (0.0, 0.0))
        out[key] = (c0 + float(conv), n0 + float(non_conv))
    return out


def fractribution(
    path_summary: Sequence[tuple[tuple[str, ...], float, float]],
    *,
    strip_counts: bool = True,
) -> dict[tuple[str, ...], dict[str, float]]:
    """``(path, conversions, non_conversions)`` rows -> per-path channel fractions (sum 1)."""
    summary = _summaries(path_summary)

    def prob(path: Path) -> float:
        conv, non_conv = summary.get(path, (0.0, 0.0))
        n = conv + non_conv
        return conv / n if n else 0.0

    result: dict[Path, dict[str, float]] = {}
    for path, (conv, _) in summary.items():
        if not path or not conv:
            continue
        p = prob(path)
        if len(path) == 1:
            contrib = [p]
        else:
            contrib = [max(0.0, p - prob(path[:i] + path[i + 1 :])) for i in range(len(path))]
        total = sum(contrib)
        if total:
            contrib = [x / total for x in contrib]
        else:
            contrib[-1] = 1.0
        fractions: dict[str, float] = {}
        for channel, x in zip(path, contrib, strict=True):
            name = strip_frequency_count(channel) if strip_counts else channel
            fractions[name] = fractions.get(name, 0.0) + x
        result[path] = fractions
    return result


def channel_totals(
    path_summary: Sequence[tuple[tuple[str, ...], float, float]],
    fractions: Mapping[tuple[str, ...], Mapping[str, float]],
    *,
    unmatched_channel: str = UNMATCHED_CHANNEL,
) -> dict[str, float]:
    """Conversions per channel: sum of fraction x conversions (fractribution's report).

    Converting paths without fractions (the empty path) go to ``unmatched_channel``.
    """
    out: dict[str, float] = {}
    for path, (conv, _) in _summaries(path_summary).items():
        if not conv:
            continue
        for channel, x in fractions.get(path, {unmatched_channel: 1.0}).items():
            out[channel] = out.get(channel, 0.0) + x * conv
    return out
