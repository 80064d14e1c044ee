"""Ingest: landed files -> typed, deduplicated warehouse tables, with a ledger and a quarantine."""

from socialroi.ingest.loader import ingest_all, quarantine_inbox, retry_quarantined

__all__ = ["ingest_all", "quarantine_inbox", "retry_quarantined"]
