"""One row per month x channel: the Markov removal effect, and conversions under the global
normalisation ChannelAttribution and DP6 publish (removal effect share x the month's conversions);
`merged_into_other` marks channels beyond socialroi__max_channels."""

import pandas as pd


def model(dbt, session):
    dbt.config(materialized="table")
    from socialroi.attribution.fit import fit_month

    counts = dbt.ref("int_attribution_path_counts").df().sort_values(["month", "path_key"], ignore_index=True)  # fixed order: same bits every run
    out = []
    for month in sorted(counts["month"].dropna().unique()):
        part = counts[counts["month"] == month]
        fit = fit_month(
            [(tuple(p.split(" > ")), c, n) for p, c, n in zip(part["path_key"], part["conversions"], part["non_conversions"])],
            transform=dbt.config.get("path_transform") or "exposure",
            max_channels=int(dbt.config.get("max_channels") or 15),
            markov_order=int(dbt.config.get("markov_order") or 1),
        )
        for channel, effect in fit.removal_effects.items():
            out.append((month, channel, float(effect), float(fit.global_conversions.get(channel, 0.0)), False))
        for channel in fit.merged:
            out.append((month, channel, None, None, True))
    return pd.DataFrame(out, columns=["month", "channel", "removal_effect", "conversions_global", "merged_into_other"]).astype(
        {"month": "str", "channel": "str", "removal_effect": "float64", "conversions_global": "float64",
         "merged_into_other": "bool"})
