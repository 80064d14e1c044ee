"""Fit the data-driven models on one month's path counts and return per-path channel credits.

Input is small: one row per distinct raw path (channels in time order, repeats kept) with its
conversions and non-conversions. Output: for every converting raw path, each model's credit per
channel (summing to 1), plus the month's Markov removal effects. A dbt Python model calls this;
SQL then splits a channel's credit equally over that channel's touchpoints in each order's path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby

from socialroi.attribution.fractribution import fractribution
from socialroi.attribution.markov import markov_model, per_path_credit
from socialroi.attribution.paths import apply_transforms, strip_frequency_count
from socialroi.attribution.shapley import coalition_rates, per_path_shapley

OTHER = "Other"
DATA_DRIVEN = ("markov", "shapley", "fractribution")


@dataclass
class MonthFit:
    path_credits: list[tuple[tuple[str, ...], str, str, float]] = field(default_factory=list)  # raw path, model, channel, credit
    removal_effects: dict[str, float] = field(default_factory=dict)
    global_conversions: dict[str, float] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # channels merged into Other


def _merge_map(rows: Sequence[tuple[tuple[str, ...], float, float]], max_channels: int) -> dict[str, str]:
    """Keep the largest channels (by journeys touched), merge the rest into Other."""
    channels = set(chain.from_iterable(path for path, _, _ in rows))
    if len(channels) <= max_channels:  # nothing to merge: no need to weigh them
        return {c: c for c in channels}
    weight: Counter[str] = Counter()
    for path, conv, nulls in rows:
        for ch in set(path):
            weight[ch] += conv + nulls
    channels = sorted(weight, key=lambda c: (-weight[c], c))
    if len(channels) <= max_channels:
        return {c: c for c in channels}
    keep = set(channels[: max_channels - 1])
    return {c: (c if c in keep else OTHER) for c in channels}


def fit_month(
    rows: Sequence[tuple[tuple[str, ...], float, float]],
    *,
    transform: str = "exposure",
    max_channels: int = 15,
    markov_order: int = 1,
    max_steps: int | None = None,
    direct_channel: str | None = None,
) -> MonthFit:
    rows = [(tuple(p), float(c), float(n)) for p, c, n in rows if p]
    out = MonthFit()
    if not rows:
        return out
    merge = _merge_map(rows, max_channels)
    out.merged = sorted(c for c, m in merge.items() if m == OTHER)

    def tf(path: tuple[str, ...]) -> tuple[str, ...]:
        merged = [merge[c] for c in path] if out.merged else path
        if transform == "exposure":  # the default, inlined (transform_path's): the fit's hottest line
            return tuple(c for c, _ in groupby(merged))
        return tuple(apply_transforms(merged, [transform], max_steps=max_steps, channel=direct_channel))

    transformed: dict[tuple[str, ...], list[float]] = {}
    raw_to_t: dict[tuple[str, ...], tuple[str, ...]] = {}
    for path, conv, nulls in rows:
        t = tf(path)
        raw_to_t[path] = t
        if not t:
            continue
        acc = transformed.setdefault(t, [0.0, 0.0])
        acc[0] += conv
        acc[1] += nulls
    summary = [(t, c, n) for t, (c, n) in transformed.items()]
    # only the frequency transform annotates channels ("A(2)")
    plain_of = (lambda t: tuple(map(strip_frequency_count, t))) if transform == "frequency" else (lambda t: t)
    plain = [plain_of(t) for t, _, _ in summary]
    convs = [c for _, c, _ in summary]
    nulls = [n for _, _, n in summary]
    if sum(convs) <= 0:
        return out
    mk = markov_model(plain, convs, nulls, order=markov_order)
    out.removal_effects = dict(mk.removal_effects)
    out.global_conversions = dict(mk.global_conversions)
    rates = coalition_rates(plain, convs, nulls)
    # only the frequency transform's names carry a count to strip: a channel of its own named "A(2)" stays
    fr = fractribution(summary, strip_counts=transform == "frequency")

    # Markov (distinct channels weighed once) and Shapley credits depend on the channel set only:
    # computed once per set, in sorted order so equal sets give equal bits
    by_set: dict[frozenset[str], tuple[dict[str, float], dict[str, float]]] = {}
    for path, conv, _ in rows:
        if conv <= 0:
            continue
        t = raw_to_t[path]
        if not t:
            continue
        channels_t = plain_of(t)
        key = frozenset(channels_t)
        if key not in by_set:
            by_set[key] = (per_path_credit(sorted(key), mk.removal_effects),
                           per_path_shapley(key, rates, max_channels=max_channels))
        markov_credit, shapley_credit = by_set[key]
        per_model = {
            "markov": markov_credit,
            "shapley": shapley_credit,
            "fractribution": fr.get(t) or {channels_t[-1]: 1.0},
        }
        merged_here = sorted({c for c in path if merge[c] == OTHER})
        for model, credits in per_model.items():
            for ch, credit in credits.items():
                if ch == OTHER and merged_here:  # Other's credit goes back to the merged channels on the path
                    for real in merged_here:
                        out.path_credits.append((path, model, real, credit / len(merged_here)))
                else:
                    out.path_credits.append((path, model, ch, credit))
    return out
