"""An incremental on-disk index: add articles over time, keep story ids stable, check new articles fast."""

from __future__ import annotations

from .check import Checker
from .fast import add_fast
from .persist import Event
from .store import Index, create, open_index
from .update import AddReport, add, stats, stored_result

__all__ = ["AddReport", "Checker", "Event", "Index", "add", "add_fast", "create", "open_index", "stats",
           "stored_result"]
