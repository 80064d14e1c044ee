"""The simulated orders as Stripe payments: Fivetran's Stripe connector tables `charge`, `refund`, `customer`.

Every order that is not deleted and has something to pay is one succeeded charge of its total (merchandise
after discounts, plus tax and shipping, gift cards included: what the card was charged), created at the
order's creation time, with the shop's order id in `metadata` (`{"order_id": ..., "order_name": "#1234"}`),
which is how the web tracker's purchase events (GA4 transaction_id, Snowplow tr_orderid, the generic
sessions' order_id) find the payment. Test orders are test-mode charges (`livemode=false`). A few orders
have a declined attempt first (`status=failed`, not paid). Each refund of an order is a Stripe refund of
its merchandise and tax (shipping is never refunded), created when the refund was processed, with empty
metadata: it finds its order through its charge.

Entity tables are exported every month (`<YYYY-MM>.csv`, `_fivetran_synced` a few hours after the month's
end): a charge in the month it was created and again, with its updated `amount_refunded` / `refunded`, in
each later month one of its refunds was processed; a customer in the months it was created or paid in.
Amounts in cents, currency codes lower-case, as Stripe sends them.
"""

from __future__ import annotations

import json

import numpy as np

from socialroi.simulate._common import SHOP_CURRENCY, month_index, month_label, month_start_ts, tokens, ts_str
from socialroi.simulate.world import Order, World

CHARGE_HEADER = ["id", "amount", "amount_refunded", "captured", "paid", "refunded", "created", "currency",
                 "customer_id", "invoice_id", "payment_intent_id", "balance_transaction_id", "status", "failure_code",
                 "livemode", "metadata", "receipt_email", "_fivetran_synced"]
REFUND_HEADER = ["id", "amount", "charge_id", "payment_intent_id", "balance_transaction_id", "created", "currency",
                 "status", "reason", "metadata", "_fivetran_synced"]
CUSTOMER_HEADER = ["id", "email", "phone", "created", "currency", "livemode", "is_deleted", "metadata",
                   "_fivetran_synced"]
DECLINED_SHARE = 0.04
_FAILURES = ["card_declined", "card_declined", "insufficient_funds", "expired_card", "incorrect_cvc"]


def charged_orders(world: World) -> list[Order]:
    """The orders Stripe has a succeeded charge for (test orders included, as test-mode charges)."""
    return [o for o in world.orders if not o.deleted and o.total > 0]


def refund_amount(refund) -> int:
    """What a refund returns to the card, in cents: merchandise after discounts, and its tax."""
    return refund.subtotal + refund.tax


def _b(x: bool) -> str:
    return "true" if x else "false"


def _synced(as_of: int, k: int) -> str:
    return f"{ts_str(as_of + 4 * 3600 + 61 * k)}.{(173 * k + 29) % 1000:03d}"


def write_stripe(world: World, out) -> None:
    rng = np.random.default_rng([world.seed, 501])
    orders = charged_orders(world)
    n = len(orders)
    ids = {k: tokens(rng, n, 24, "alnum").tolist() for k in ("ch", "pi", "txn")}
    declined = rng.random(n) < DECLINED_SHARE
    failure = rng.integers(0, len(_FAILURES), n)
    retry_after = rng.integers(40, 600, n)
    failed_ids = tokens(rng, n, 24, "alnum").tolist()
    refunds = [r for o in orders for r in o.refunds]
    refund_ids = dict(zip((r.id for r in refunds), tokens(rng, len(refunds), 24, "alnum").tolist(), strict=True))
    refund_txn = dict(zip((r.id for r in refunds), tokens(rng, len(refunds), 24, "alnum").tolist(), strict=True))
    customers = sorted({o.customer.index: o.customer for o in orders if o.customer is not None and o.customer.id}
                       .items())
    cus_ids = dict(zip((i for i, _ in customers), tokens(rng, len(customers), 14, "alnum").tolist(), strict=True))

    first = world.month_idx[0]
    charges_by_month: dict[int, list[int]] = {mi: [] for mi in world.month_idx}
    for k, o in enumerate(orders):
        months = {max(first, month_index(o.created))} | {month_index(r.processed) for r in o.refunds}
        for mi in sorted(months):
            if mi in charges_by_month:
                charges_by_month[mi].append(k)

    def customer_of(o: Order) -> str:
        c = o.customer
        return f"cus_{cus_ids[c.index]}" if c is not None and c.id else ""

    def metadata(o: Order) -> str:
        return json.dumps({"order_id": o.id, "order_name": o.name}, separators=(",", ":"))

    for mi in world.month_idx:
        label = month_label(mi)
        as_of = month_start_ts(mi + 1)
        rows = []
        for k in charges_by_month[mi]:
            o = orders[k]
            created_here = max(first, month_index(o.created)) == mi
            if created_here and declined[k]:
                rows.append([f"ch_{failed_ids[k]}", o.total, 0, "false", "false", "false",
                             ts_str(o.created - int(retry_after[k])), SHOP_CURRENCY.lower(), customer_of(o), "",
                             f"pi_{ids['pi'][k]}", "", "failed", _FAILURES[int(failure[k])], _b(not o.test),
                             metadata(o), o.email, _synced(as_of, 1)])
            refunded = sum(refund_amount(r) for r in o.refunds_until(as_of))
            rows.append([f"ch_{ids['ch'][k]}", o.total, refunded, "true", "true", _b(refunded >= o.total),
                         ts_str(o.created), SHOP_CURRENCY.lower(), customer_of(o), "", f"pi_{ids['pi'][k]}",
                         f"txn_{ids['txn'][k]}", "succeeded", "", _b(not o.test), metadata(o), o.email,
                         _synced(as_of, 1)])
        out.write("stripe", "charge", f"{label}.csv", CHARGE_HEADER, rows)
        lo, hi = month_start_ts(mi), as_of
        month_refunds = sorted(((k, r) for k, o in enumerate(orders) for r in o.refunds if lo <= r.processed < hi),
                               key=lambda x: (x[1].processed, x[1].id))
        out.write("stripe", "refund", f"{label}.csv", REFUND_HEADER, [
            [f"re_{refund_ids[r.id]}", refund_amount(r), f"ch_{ids['ch'][k]}", f"pi_{ids['pi'][k]}",
             f"txn_{refund_txn[r.id]}", ts_str(r.processed), SHOP_CURRENCY.lower(), "succeeded",
             "requested_by_customer", "{}", _synced(as_of, 2)]
            for k, r in month_refunds])
        custs = []
        for i, c in customers:
            paid = [o for o in c.orders if not o.deleted and o.total > 0]
            months = {max(first, month_index(c.created))} | {max(first, month_index(o.created)) for o in paid}
            if mi not in months:
                continue
            custs.append([f"cus_{cus_ids[i]}", c.email, c.phone, ts_str(c.created),
                          SHOP_CURRENCY.lower(), _b(not c.staff), "false",
                          json.dumps({"shop_customer_id": c.id}, separators=(",", ":")), _synced(as_of, 3)])
        out.write("stripe", "customer", f"{label}.csv", CUSTOMER_HEADER, custs)
