"""The data-driven models fitted once per reporting month (on the journeys that end in it, or a
trailing window of `socialroi__fit_months`) by socialroi.attribution.fit. Two kinds of rows:
`path_credit`: one per month x raw path x model (markov, shapley, fractribution) x channel, the
channel's credit in an order with that path (summing to 1 per path and model); `removal_effect`: one
per month x channel, the Markov removal effect and conversions under global normalisation
(`merged_into_other` marks channels beyond socialroi__max_channels).

A table of the months fitted by this build: every month, or, in a month build (README "Month builds")
once the incremental tables that keep the fits (int_attribution_path_credits and
int_markov_removal_effects) exist, the build month and later. (dbt-duckdb 1.11's incremental
materialization of a Python model writes its temporary table where its own insert does not find it,
so the fits are kept by those two SQL models instead.)"""

import pyarrow as pa

# an Arrow table built from one list per column: a third of the time pandas took to build and hand over
# the same 750k rows at 10M touchpoints (measured 2026-12-05: 0.9 s against 1.8 s), and its schema types
# an empty month too
SCHEMA = pa.schema([("month", pa.string()), ("kind", pa.string()), ("path_key", pa.string()), ("model", pa.string()),
                    ("channel", pa.string()), ("credit", pa.float64()), ("removal_effect", pa.float64()),
                    ("conversions_global", pa.float64()), ("merged_into_other", pa.bool_())])


STORES = ("int_attribution_path_credits", "int_markov_removal_effects")


def _stores_exist(session, schema: str) -> bool:
    found = session.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name in (?, ?)",
        [schema, *STORES]).fetchall()
    return found[0][0] == len(STORES)


def model(dbt, session):
    from socialroi import months
    from socialroi.attribution.fit import fit_month

    # each dbt.config.get on a line of its own: dbt's parser only sees calls that are a statement's or
    # another call's direct value (inside `x or default` the key would silently read as None)
    path_transform = dbt.config.get("path_transform")
    max_channels = dbt.config.get("max_channels")
    markov_order = dbt.config.get("markov_order")
    fit_months = dbt.config.get("fit_months")
    max_steps = dbt.config.get("max_steps")
    direct_channel = dbt.config.get("direct_channel")
    build_month = dbt.config.get("build_month")
    # the settings were validated when they loaded (socialroi.settings): no second default here
    fit_months = int(fit_months)
    max_steps = int(max_steps) if max_steps not in (None, "", "None") else None
    counts = dbt.ref("int_attribution_path_counts")
    month_build = bool(build_month) and _stores_exist(session, dbt.this.schema)
    if month_build:
        counts = counts.filter(f"month >= '{months.shift(build_month, 1 - fit_months)}'")
    # plain tuples, summed and sorted by DuckDB (pandas objects cost more than the fit's input is
    # worth); sorted: the same bits every run
    fitted = sorted(m for (m,) in counts.filter("month is not null").aggregate("month", "month").fetchall())
    columns: dict[str, list] = {name: [] for name in SCHEMA.names}

    def add(*row) -> None:
        for values, value in zip(columns.values(), row, strict=True):
            values.append(value)

    for month in fitted:
        if month_build and month < build_month:
            continue
        window = ", ".join(f"'{months.shift(month, -k)}'" for k in range(fit_months))
        # one row per path over the window (a path seen in several months is one path of the fit)
        part = (counts.filter(f"month in ({window})")
                .aggregate("path_key, sum(conversions) as c, sum(non_conversions) as n", "path_key")
                .order("path_key").fetchall())
        fit_rows = [(tuple(p.split(" > ")), c, n) for p, c, n in part]
        # the month's own converting paths, by their path tuple (the fit's key) -> path_key
        own = {path: key for (key,) in counts.filter(f"month = '{month}' and conversions > 0").project("path_key")
               .fetchall() for path in [tuple(key.split(" > "))]}
        fit = fit_month(
            fit_rows,
            transform=path_transform,
            max_channels=int(max_channels),
            markov_order=int(markov_order),
            max_steps=max_steps,
            direct_channel=direct_channel,
        )
        for path, model_name, channel, credit in fit.path_credits:
            key = own.get(path)
            if key is not None:
                add(month, "path_credit", key, model_name, channel, float(credit), None, None, False)
        for channel, effect in fit.removal_effects.items():
            add(month, "removal_effect", None, "markov", channel, None, float(effect),
                float(fit.global_conversions.get(channel, 0.0)), False)
        for channel in fit.merged:
            add(month, "removal_effect", None, "markov", channel, None, None, None, True)
    return pa.table([pa.array(columns[f.name], type=f.type) for f in SCHEMA], schema=SCHEMA)
