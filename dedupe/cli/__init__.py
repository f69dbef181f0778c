"""The command line (click): the only package that imports click, prints, and picks exit codes."""

from __future__ import annotations

# each command's module is imported when the command is first looked up (see lazy.COMMAND_MODULES)
from .common import main

__all__ = ["main"]
