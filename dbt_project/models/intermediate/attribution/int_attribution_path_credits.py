"""One row per month x raw path x data-driven model x channel: the channel's credit in an order
with that path (summing to 1 per path and model). Fitted per reporting month on the journeys that
end in it (or a trailing window of `socialroi__fit_months`), by socialroi.attribution.fit."""

import pandas as pd


def _shift(month: str, k: int) -> str:
    y, m = map(int, month.split("-"))
    m -= k
    while m <= 0:
        m += 12
        y -= 1
    return f"{y:04d}-{m:02d}"


def model(dbt, session):
    dbt.config(materialized="table")
    from socialroi.attribution.fit import fit_month

    counts = dbt.ref("int_attribution_path_counts").df().sort_values(["month", "path_key"], ignore_index=True)  # fixed order: same bits every run
    fit_months = int(dbt.config.get("fit_months") or 1)
    rows = []
    effects = []
    for month in sorted(counts["month"].dropna().unique()):
        window = {_shift(month, k) for k in range(fit_months)}
        part = counts[counts["month"].isin(window)]
        fit_rows = [(tuple(p.split(" > ")), c, n) for p, c, n in zip(part["path_key"], part["conversions"], part["non_conversions"])]
        fit = fit_month(
            fit_rows,
            transform=dbt.config.get("path_transform") or "exposure",
            max_channels=int(dbt.config.get("max_channels") or 15),
            markov_order=int(dbt.config.get("markov_order") or 1),
            direct_channel=dbt.config.get("direct_channel"),
        )
        own = set(counts.loc[(counts["month"] == month) & (counts["conversions"] > 0), "path_key"])
        for path, model_name, channel, credit in fit.path_credits:
            key = " > ".join(path)
            if key in own:
                rows.append((month, key, model_name, channel, float(credit)))
    # explicit dtypes: an empty month must still give DuckDB a VARCHAR/DOUBLE table
    return pd.DataFrame(rows, columns=["month", "path_key", "model", "channel", "credit"]).astype(
        {"month": "str", "path_key": "str", "model": "str", "channel": "str", "credit": "float64"})
