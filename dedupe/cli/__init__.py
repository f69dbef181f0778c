"""The command line (click): the only package that imports click, prints, and picks exit codes."""

from __future__ import annotations

from . import index as _index  # noqa: F401  (registers `dedupe index ...` and `dedupe check`)
from . import inspect as _inspect  # noqa: F401  (registers `dedupe explain` and `dedupe eval`)
from . import report as _report  # noqa: F401  (registers `dedupe report`)
from . import run as _run  # noqa: F401  (registers `dedupe run`)
from .common import main

__all__ = ["main"]
