"""The simulator's own ground truth, computed in Python with `decimal.Decimal`, independently of any SQL.

How net sales is computed (the CONTRACTS.md "Money" definition, applied to the generated orders):

* Orders that count: every order created in the span that is neither a test order (`test=true`) nor
  deleted (`_fivetran_deleted=true`). Cancelled orders count as sales; their cancellation is a return.
* A **sale** belongs to the UTC calendar month of the order's `created_at`:
  - `gross_sales` = sum of unit price x quantity over the order's lines that are not gift cards;
  - `discounts` = sum of the discount-code amounts allocated to those lines (gift-card lines are never
    discounted, so this equals the order's `total_discounts`);
  - tax, shipping and gift cards sold are reported beside (`tax`, `shipping`, `gift_card_sales`), never inside.
* A **return** belongs to the UTC calendar month of its refund's `processed_at`; its amount is the sum of
  its refund lines' `subtotal` (merchandise after the line's discount share, without tax; shipping is
  never refunded by the simulator). `returns` = sum over the refunds processed in the month.
* `net_sales` = `gross_sales` - `discounts` - `returns`, per month and currency (the shop's currency, USD).
* `cost_of_goods` = unit cost x quantity on the month's sale lines, minus unit cost x returned quantity on
  the month's return lines, over lines whose variant has a known cost (two products have none: their lines
  are counted in `lines_without_cost` and excluded, never treated as zero).

With `sales_layout="stripe"` the ledger is what Stripe carries (CONTRACTS.md: "otherwise the charge amount is
gross sales"): an order counts when it has a succeeded live charge (not test, not deleted, total > 0); its
`gross_sales` is the amount charged (the order's total: merchandise after discounts, tax, shipping and gift
cards); `discounts`, `tax`, `shipping`, `gift_card_sales` and `cost_of_goods` are 0 (Stripe has no lines:
every sale line counts in `lines_without_cost`); a return is a Stripe refund, its amount what went back to
the card (merchandise after discounts, and its tax). Sale and return events carry those amounts.

How `net_sales_reporting(month)` converts (CONTRACTS.md "Currency"):

* Events: one **sale event** per counted order, dated its UTC creation day, amount `gross - discounts` of that
  order; one **return event** per refund, dated its UTC processing day, amount its merchandise subtotal.
* Rate of a day: the FX table's rate for that day (base USD, `quote` per 1 USD); if the day has none
  (weekend), the last earlier rate at most 7 days back. USD converts to itself at 1.
* Each event: `converted = (amount * rate(to) / rate(from)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)`,
  the product/quotient computed exactly (50 significant digits) and rounded once.
* `net_sales_reporting(month)` = sum of converted sale events - sum of converted return events of the month.
* `spend_reporting(month, platform=...)` does the same for spend: one event per ad per report day (a
  `basic_ad` row for Meta; a daily row, or the sum of a day's hourly / per-placement rows, elsewhere), dated
  that day (the account's local day; LinkedIn's UTC day), in the account's currency. Only the networks
  whose exports were written (`ad_platforms`) have spend.

Spend per ad network (`spend[month][account id]`, an `AccountSpend` with its `platform`): `ad_days` is the
number of (ad, day) rows as staged (`int_ad_stats_unioned`), `link_clicks` the clicks the staging model
reads (Meta inline link clicks, LinkedIn landing-page clicks, X url clicks, TikTok clicks, Pinterest paid
+ earned clickthroughs, Snapchat swipes), `claimed_purchases` / `claimed_purchase_value` what the network
claims. `counts[month]["ad_sessions_<platform>"]` is the number of sessions (UTC month) that came from a
click on that network's ads, exported or not.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

CENT = Decimal("0.01")


def _dec(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


@dataclass(frozen=True)
class SalesTotals:
    """One month x currency of the order ledger, as the contract defines net sales."""

    month: str
    currency: str
    orders: int
    gross_sales: Decimal
    discounts: Decimal
    returns: Decimal
    net_sales: Decimal
    cost_of_goods: Decimal
    cost_of_goods_returned: Decimal
    lines_without_cost: int
    refunds: int
    tax: Decimal
    shipping: Decimal
    gift_card_sales: Decimal
    test_orders: int
    deleted_orders: int


@dataclass(frozen=True)
class AccountSpend:
    """One month x ad account: platform-reported spend (account currency) and what the platform claims."""

    month: str
    platform: str  # meta | linkedin | x | tiktok | pinterest | snapchat
    account_id: str
    account_name: str
    currency: str
    spend: Decimal
    impressions: int
    link_clicks: int
    claimed_purchases: int
    claimed_purchase_value: Decimal
    ad_days: int = 0  # (ad, day) rows


@dataclass(frozen=True)
class MoneyEvent:
    """A sale (per order), return (per refund) or spend (per ad per local day), before conversion."""

    kind: str  # sale | return | spend
    date: dt.date
    currency: str
    amount: Decimal  # positive
    ref: str  # order id, refund id, or "<ad id>"
    platform: str = ""  # spend: the ad network


@dataclass
class SimulationSummary:
    """Ground truth of one `simulate(...)` call. Months are 'YYYY-MM' (UTC for sales, local for spend)."""

    start: str
    months: list[str]
    seed: int
    scale: float
    sales_layout: str
    ads_layout: str
    ad_platforms: tuple[str, ...]
    shop_currency: str
    reporting_currency: str
    sales: dict[str, dict[str, SalesTotals]]  # month -> currency -> totals
    spend: dict[str, dict[str, AccountSpend]]  # month -> account id -> spend
    counts: dict[str, dict[str, int]]  # month -> sessions, orders_without_session, ...
    fx_rates: dict[str, dict[dt.date, Decimal]] = field(repr=False)  # quote -> day -> rate (base USD)
    events: list[MoneyEvent] = field(repr=False)
    files: list[str] = field(repr=False)  # written files, relative to `out`, sorted
    sessions_layout: str = "generic"

    # .............................................................. accessors
    def totals(self, month: str, currency: str | None = None) -> SalesTotals:
        return self.sales[month][currency or self.shop_currency]

    def net_sales(self, month: str, currency: str | None = None) -> Decimal:
        return self.totals(month, currency).net_sales

    def rate(self, day: dt.date, currency: str) -> Decimal:
        """Units of `currency` per 1 USD on `day`: that day's rate, else the last earlier one <= 7 days back."""
        if currency == "USD":
            return Decimal(1)
        table = self.fx_rates[currency]
        for back in range(8):
            d = day - dt.timedelta(days=back)
            if d in table:
                return table[d]
        raise KeyError(f"no USD->{currency} rate on {day} or the 7 days before")

    def convert(self, amount: Decimal, day: dt.date, from_currency: str, to_currency: str) -> Decimal:
        """One event converted at its day's rate, rounded once to cents (ROUND_HALF_EVEN)."""
        if from_currency == to_currency:
            return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
        with localcontext() as ctx:
            ctx.prec = 50
            exact = amount * self.rate(day, to_currency) / self.rate(day, from_currency)
            return exact.quantize(CENT, rounding=ROUND_HALF_EVEN)

    def _month_events(self, month: str, kind: str) -> list[MoneyEvent]:
        return [e for e in self.events if e.kind == kind and e.date.strftime("%Y-%m") == month]

    def net_sales_reporting(self, month: str, reporting_currency: str | None = None) -> Decimal:
        """Net sales of `month` in the reporting currency: each sale/return converted on its own day."""
        to = reporting_currency or self.reporting_currency
        sales = sum((self.convert(e.amount, e.date, e.currency, to) for e in self._month_events(month, "sale")),
                    Decimal("0.00"))
        returns = sum((self.convert(e.amount, e.date, e.currency, to)
                       for e in self._month_events(month, "return")), Decimal("0.00"))
        return sales - returns

    def spend_reporting(self, month: str, reporting_currency: str | None = None,
                        platform: str | None = "meta") -> Decimal:
        """Ad spend of `month` (report days) in the reporting currency, converted per ad-day.

        `platform` names one ad network; the default is Meta (what this returned before the other networks
        existed); `None` sums every network written.
        """
        to = reporting_currency or self.reporting_currency
        return sum((self.convert(e.amount, e.date, e.currency, to) for e in self._month_events(month, "spend")
                    if platform is None or e.platform == platform), Decimal("0.00"))

    def platform_spend(self, month: str, platform: str) -> list[AccountSpend]:
        """The month's `AccountSpend` of one ad network's accounts (empty when its export was not written)."""
        return [a for a in self.spend.get(month, {}).values() if a.platform == platform]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view (amounts as strings), without the per-event list and the FX table."""
        def enc(x: Any) -> Any:
            if isinstance(x, Decimal):
                return str(x)
            if isinstance(x, dict):
                return {k: enc(v) for k, v in x.items()}
            return x

        return {
            "start": self.start, "months": self.months, "seed": self.seed, "scale": self.scale,
            "sales_layout": self.sales_layout, "ads_layout": self.ads_layout,
            "sessions_layout": self.sessions_layout,
            "ad_platforms": list(self.ad_platforms),
            "shop_currency": self.shop_currency, "reporting_currency": self.reporting_currency,
            "sales": {m: {c: enc(asdict(t)) for c, t in v.items()} for m, v in self.sales.items()},
            "spend": {m: {a: enc(asdict(s)) for a, s in v.items()} for m, v in self.spend.items()},
            "counts": self.counts,
            "net_sales_reporting": {m: str(self.net_sales_reporting(m)) for m in self.months},
            "files": self.files,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)


def summarise(world: Any, *, sales_layout: str, ads_layout: str, reporting_currency: str,
              files: list[str], ad_platforms: tuple[str, ...] = ("meta",),
              sessions_layout: str = "generic") -> SimulationSummary:
    """Compute the ground truth from the in-memory world (not from the written files)."""
    import numpy as np

    from socialroi.simulate import _catalog as cat
    from socialroi.simulate._common import (
        SHOP_CURRENCY,
        day_date,
        month_index,
        month_label,
        month_of_day,
        month_of_ts,
    )
    from socialroi.simulate.world import META, PLATFORM_PAID

    months = world.months
    acc: dict[str, dict[str, Any]] = {
        m: {"orders": 0, "gross": Decimal(0), "disc": Decimal(0), "ret": Decimal(0), "cogs": Decimal(0),
            "cogs_ret": Decimal(0), "nocost": 0, "refunds": 0, "tax": Decimal(0), "ship": Decimal(0),
            "gift": Decimal(0), "test": 0, "deleted": 0}
        for m in months
    }
    events: list[MoneyEvent] = []
    if sales_layout == "stripe":
        from socialroi.simulate.stripe_writers import charged_orders, refund_amount

        charged = {o.id for o in charged_orders(world)}
    for o in world.orders:
        m = month_label(month_index(o.created))
        a = acc[m]
        if sales_layout == "stripe" and o.id not in charged and not o.test and not o.deleted:
            continue  # nothing to pay: no charge, no order in Stripe
        if o.test:
            a["test"] += 1
            continue
        if o.deleted:
            a["deleted"] += 1
            continue
        a["orders"] += 1
        if sales_layout == "stripe":  # the charge: no lines, discounts, tax, shipping or costs
            a["gross"] += _dec(o.total)
            a["nocost"] += sum(1 for ln in o.lines if not ln.variant.gift_card)
            events.append(MoneyEvent("sale", day_date(o.created // 86400), SHOP_CURRENCY, _dec(o.total), o.id))
            for r in o.refunds:
                b = acc[month_label(month_index(r.processed))]
                b["refunds"] += 1
                b["ret"] += _dec(refund_amount(r))
                events.append(MoneyEvent("return", day_date(r.processed // 86400), SHOP_CURRENCY,
                                         _dec(refund_amount(r)), r.id))
            continue
        gross = sum((_dec(ln.price) * ln.qty for ln in o.lines if not ln.variant.gift_card), Decimal(0))
        disc = sum((_dec(ln.discount) for ln in o.lines if not ln.variant.gift_card), Decimal(0))
        a["gross"] += gross
        a["disc"] += disc
        a["tax"] += sum((_dec(ln.tax) for ln in o.lines), Decimal(0))
        a["ship"] += _dec(o.shipping)
        a["gift"] += sum((_dec(ln.price) * ln.qty for ln in o.lines if ln.variant.gift_card), Decimal(0))
        for ln in o.lines:
            if ln.variant.gift_card:
                continue
            if ln.variant.cost is None:
                a["nocost"] += 1
            else:
                a["cogs"] += _dec(ln.variant.cost) * ln.qty
        events.append(MoneyEvent("sale", day_date(o.created // 86400), SHOP_CURRENCY, gross - disc, o.id))
        for r in o.refunds:
            rm = month_label(month_index(r.processed))
            b = acc[rm]
            b["refunds"] += 1
            amount = sum((_dec(rl.subtotal) for rl in r.lines), Decimal(0))
            b["ret"] += amount
            for rl in r.lines:
                if rl.line.variant.cost is not None:
                    b["cogs_ret"] += _dec(rl.line.variant.cost) * rl.qty
            events.append(MoneyEvent("return", day_date(r.processed // 86400), SHOP_CURRENCY, amount, r.id))

    sales = {
        m: {SHOP_CURRENCY: SalesTotals(
            month=m, currency=SHOP_CURRENCY, orders=a["orders"], gross_sales=a["gross"], discounts=a["disc"],
            returns=a["ret"], net_sales=a["gross"] - a["disc"] - a["ret"], cost_of_goods=a["cogs"] - a["cogs_ret"],
            cost_of_goods_returned=a["cogs_ret"], lines_without_cost=a["nocost"], refunds=a["refunds"],
            tax=a["tax"], shipping=a["ship"], gift_card_sales=a["gift"], test_orders=a["test"],
            deleted_orders=a["deleted"],
        )}
        for m, a in acc.items()
    }

    spend: dict[str, dict[str, AccountSpend]] = {m: {} for m in months}
    sp: dict[tuple[str, str, str, str, str], list[int]] = {}  # (month, platform, account id, name, currency)
    ad_rows: list[tuple[Any, ...]] = []  # (platform, account, ad id, day, spend, impressions, clicks, ...)
    if "meta" in ad_platforms:
        for r in world.ad_days:
            acct = cat.ACCOUNTS[cat.CAMPAIGNS[cat.AD_SETS[cat.ADS[r.ad].adset].campaign].account]
            ad_rows.append(("meta", acct, cat.ADS[r.ad].id, r.day, r.spend, r.impressions, r.clicks, r.purchases,
                            r.value))
    for r in world.platform_ad_days:
        ad = cat.PLATFORM_ADS[r.ad]
        acct = cat.platform_account(ad)
        if acct.platform in ad_platforms:
            ad_rows.append((acct.platform, acct, ad.id, r.day, r.spend, r.impressions, r.clicks, r.conversions,
                            r.value))
    for platform, acct, ad_id, day, amount, impressions, clicks, purchases, value in ad_rows:
        m = month_label(int(month_of_day(day)))
        s = sp.setdefault((m, platform, acct.id, acct.name, acct.currency), [0, 0, 0, 0, 0, 0])
        s[0] += amount
        s[1] += impressions
        s[2] += clicks
        s[3] += purchases
        s[4] += value
        s[5] += 1
        events.append(MoneyEvent("spend", day_date(day), acct.currency, _dec(amount), ad_id, platform))
    order = {p: k for k, p in enumerate(cat.AD_PLATFORMS)}
    for (m, platform, acct_id, name, currency), s in sorted(sp.items(), key=lambda kv: (kv[0][0], order[kv[0][1]],
                                                                                         kv[0][2])):
        spend[m][acct_id] = AccountSpend(month=m, platform=platform, account_id=acct_id, account_name=name,
                                         currency=currency, spend=_dec(s[0]), impressions=s[1], link_clicks=s[2],
                                         claimed_purchases=s[3], claimed_purchase_value=_dec(s[4]), ad_days=s[5])

    counts: dict[str, dict[str, int]] = {}
    sess_month = month_of_ts(world.sessions.t)
    for mi, m in zip(world.month_idx, months, strict=True):
        lo, hi = world.month_bounds(mi)
        os_ = [o for o in world.orders if lo <= o.created < hi and not o.test and not o.deleted]
        counts[m] = {
            "sessions": int((sess_month == mi).sum()),
            "orders_with_session": sum(1 for o in os_ if o.session_row >= 0),
            "orders_without_session": sum(1 for o in os_ if o.session_row < 0),
            "orders_with_discount_code": sum(1 for o in os_ if o.codes),
            "orders_with_mapped_code": sum(1 for o in os_ if any(c.upper() in cat.MAPPED_CODES for c, _, _ in o.codes)),
            "new_customers": sum(1 for c in world.customers if lo <= c.created < hi and not c.staff),
            "posts": sum(1 for p in world.posts if lo <= p.created < hi),
        }
        in_month = sess_month == mi
        counts[m]["ad_sessions_meta"] = int((in_month & (world.sessions.channel == META)).sum())
        plat = np.array([cat.platform_of(a) for a in cat.PLATFORM_ADS] or [""], dtype=object)
        mine = in_month & (world.sessions.channel == PLATFORM_PAID)
        for platform in cat.OTHER_AD_PLATFORMS:
            counts[m][f"ad_sessions_{platform}"] = int((plat[world.sessions.platform_ad[mine]] == platform).sum())

    fx_rates = {q: {day_date(d): Decimal(v).scaleb(-6) for d, v in table.items()}
                for q, table in world.fx.rates.items()}
    events.sort(key=lambda e: (e.date, e.kind, e.ref))
    return SimulationSummary(
        start=world.start, months=months, seed=world.seed, scale=world.scale, sales_layout=sales_layout,
        ads_layout=ads_layout, ad_platforms=tuple(ad_platforms), shop_currency=SHOP_CURRENCY, reporting_currency=reporting_currency, sales=sales,
        spend=spend, counts=counts, fx_rates=fx_rates, events=events, files=files, sessions_layout=sessions_layout,
    )
