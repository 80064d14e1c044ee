"""The sections of a published month's `report.md` after its headline: the CFO's questions answered with the
month's numbers, read from the published Parquet files themselves (so the report says what the files say),
under one attribution model (the marts have all of them side by side).

Each section is empty when its table is missing or has no row for the model. Amounts are the marts' DECIMALs
printed as they are; a ratio is rounded to 2 places half away from zero, computed in Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable

CENT = Decimal("0.01")
# the motions in the order a reader compares them (macros/touchpoints.sql channel_motion)
MOTIONS = ("push", "pull", "direct", "unattributed", "unassigned")
SOCIAL_GROUPS = ("Paid Social", "Organic Social")


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _num(value: Any) -> str:
    """An amount or count as printed: NULL is "unknown" (never "None" nor 0); a DOUBLE count to 2 places."""
    if value is None:
        return "unknown"
    if isinstance(value, float):
        return str(Decimal(repr(value)).quantize(CENT, ROUND_HALF_UP))
    return str(value)


def _count(value: Any) -> str:
    """Orders or purchases: a whole number as such (38), a share of orders (under a fractional model) to 2 places."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _num(value)


def ratio(numerator: Any, denominator: Any, places: str = "0.01") -> str:
    """numerator / denominator rounded half away from zero; n/a where either is unknown or the denominator 0."""
    if numerator is None or denominator is None:
        return "n/a"
    d = Decimal(repr(denominator)) if isinstance(denominator, float) else Decimal(denominator)
    if d == 0:
        return "n/a"
    n = Decimal(repr(numerator)) if isinstance(numerator, float) else Decimal(numerator)
    return str((n / d).quantize(Decimal(places), ROUND_HALF_UP))


def _share(part: Any, whole: Any) -> str:
    r = ratio(part, whole, "0.0001")
    return r if r == "n/a" else f"{Decimal(r) * 100:.2f} %"


def _rows(con: Any, folder: Path, table: str, sql: Callable[[str], str], params: list[Any]) -> list[tuple]:
    path = folder / f"{table}.parquet"
    if not path.exists():
        return []
    return con.execute(sql(_sql_path(path)), params).fetchall()


def _table(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    align = ["---"] * right_from + ["---:"] * (len(header) - right_from)
    return ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"] + [
        "| " + " | ".join(r) + " |" for r in rows]


def push_pull(con: Any, folder: Path, month: str, model: str, label: str) -> list[str]:
    rows = _rows(con, folder, "mart_push_pull_monthly", lambda p: (
        f"select motion, attributed_revenue, attributed_gross_profit, is_gross_profit_complete, attributed_orders, "
        f"spend from {p} where month = ? and model = ?"), [month, model])
    if not rows:
        return []
    order = {m: i for i, m in enumerate(MOTIONS)}
    rows.sort(key=lambda r: (order.get(r[0], len(order)), r[0]))
    body = [[m, _num(rev), _num(gp) + ("" if complete is not False else " (partial)"), _count(orders), _num(spend),
             ratio(rev, spend), ratio(gp, spend)] for m, rev, gp, complete, orders, spend in rows]
    return ["", f"## Paid (push) vs organic and owned (pull) ({label})", "",
            "Push is paid media, pull organic and owned channels; direct and unattributed orders are neither.", ""
            ] + _table(["motion", "attributed revenue", "gross profit", "orders", "spend", "ROAS", "POAS"], body)


def platform_claims(con: Any, folder: Path, month: str, model: str, label: str) -> list[str]:
    rows = _rows(con, folder, "mart_platform_claims_monthly", lambda p: (
        f"select platform, platform_attribution_window, claimed_revenue, claimed_conversions, attributed_revenue, "
        f"attributed_orders, spend, claimed_revenue_all_platforms, claimed_orders_all_platforms, ledger_net_sales, "
        f"ledger_orders from {p} where month = ? and model = ? order by platform"), [month, model])
    if not rows:
        return []
    body = [[p, w or "", _num(cr), _count(cc), _num(ar), _count(ao), ratio(cr, ar), _num(s)]
            for p, w, cr, cc, ar, ao, s, *_ in rows]
    all_rev, all_orders, ledger, ledger_orders = rows[0][7:11]
    return ["", f"## What the ad networks claim vs what they sold, deduplicated ({label})", "",
            f"Together the networks claim {_num(all_rev)} in {_count(all_orders)} purchases; the ledger has net sales "
            f"of {_num(ledger)} in {_count(ledger_orders)} orders, each order credited once across every channel.", ""
            ] + _table(["ad network", "attribution window", "claimed revenue", "claimed purchases",
                        "attributed revenue", "attributed orders", "claimed / attributed", "spend"], body, 2)


def discount_dependence(con: Any, folder: Path, month: str, model: str, label: str) -> list[str]:
    rows = _rows(con, folder, "mart_discount_dependence_monthly", lambda p: (
        f"select channel_group, sum(attributed_revenue), sum(attributed_revenue_with_code), sum(attributed_orders), "
        f"sum(attributed_orders_with_code) from {p} where month = ? and model = ? group by 1 order by 1"),
        [month, model])
    if not rows:
        return []
    social = [r for r in rows if r[0] in SOCIAL_GROUPS]
    rest = [r for r in rows if r[0] not in SOCIAL_GROUPS]
    body = [[g, _num(rev), _num(rev_code), _share(rev_code, rev), _count(orders), _share(orders_code, orders)]
            for g, rev, rev_code, orders, orders_code in social + rest]
    return ["", f"## Do social sales depend on discount codes? ({label})", "",
            "The share of each channel group's attributed revenue and orders that came with a discount code.", ""
            ] + _table(["channel group", "attributed revenue", "of it with a code", "code share of revenue",
                        "orders", "code share of orders"], body)


def accounts(con: Any, folder: Path, month: str, model: str, label: str) -> list[str]:
    rows = _rows(con, folder, "mart_attribution_post_monthly", lambda p: (
        f"select platform, coalesce(handle, '(no handle)'), count(distinct post_id), sum(attributed_revenue), "
        f"sum(attributed_orders), sum(impressions), sum(link_clicks) from {p} where month = ? and model = ? "
        f"group by 1, 2 order by 1, 2"), [month, model])
    if not rows:
        return []
    body = [[p, h, str(n), _num(rev), _count(orders), ratio(rev, n), _num(imp), _num(clicks)]
            for p, h, n, rev, orders, imp, clicks in rows]
    return ["", f"## Organic accounts: what each account's posts sold ({label})", "",
            "Every account with posts in the month (a \"deals\" account beside the community account, say).", ""
            ] + _table(["platform", "account", "posts", "attributed revenue", "orders", "revenue per post",
                        "impressions", "link clicks"], body, 2)


def lifetime_value(con: Any, folder: Path, month: str, model: str, label: str) -> list[str]:
    rows = _rows(con, folder, "mart_customer_ltv_by_acquisition", lambda p: (
        f"select channel_group, sum(customers), sum(lifetime_net_sales), bool_and(is_net_sales_complete), "
        f"sum(net_sales_90d) from {p} where as_of_month = ? and model = ? group by 1 order by 1"), [month, model])
    if not rows:
        return []
    body = []
    for g, customers, lifetime, complete, d90 in rows:
        if complete is False:
            lifetime = d90 = None  # some of these customers' sales have no FX rate: not a short total
        body.append([g, _count(customers), _num(lifetime), ratio(lifetime, customers), _num(d90)])
    return ["", f"## Customer lifetime value by acquiring channel, as of {month}'s end ({label})", "",
            "Every customer acquired so far, by the channels credited with their first order; their net sales since.",
            ""] + _table(["acquiring channel group", "customers", "lifetime net sales", "per customer",
                          "net sales in their first 90 days"], body)


SECTIONS = (push_pull, platform_claims, discount_dependence, accounts, lifetime_value)


def sections(con: Any, folder: Path, month: str, model: str) -> list[str]:
    """Every section's lines for the month under `model`."""
    label = model.replace("_", " ")
    return [line for section in SECTIONS for line in section(con, folder, month, model, label)]
