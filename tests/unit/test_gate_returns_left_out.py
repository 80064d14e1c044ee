"""The gate's note on returns that are not net sales names every reason a return can be left out."""
from __future__ import annotations

import duckdb

from socialroi.gate import Collector, _note_returns_left_out


def test_the_note_names_a_stripe_refund_whose_charge_never_counted():
    # a Stripe refund releasing an authorisation never captured is kept, not counted
    # (int_returns_unioned): the note said only "not in the loaded ledger or a test order"
    con = duckdb.connect()
    con.execute("create schema intermediate")
    con.execute("create table intermediate.int_returns_unioned as select 're_1' as return_id, 'D1' as order_id, "
                "timestamp '2026-03-21 10:00:00' as processed_at, 'USD' as currency, "
                "cast(40 as decimal(18, 3)) as amount, false as is_order_counted")
    out = Collector()
    _note_returns_left_out(con, "2026-03", out)
    (note,) = out.notes["revenue_reconciles"]
    assert "1 return(s) processed in 2026-03 are not net sales" in note
    assert "charge never counted as a sale" in note and "40.000 USD" in note
