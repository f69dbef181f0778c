"""The command line (click): the only package that imports click, prints, and picks exit codes.

``main`` is the ``dedupe`` group; its command table imports each command's module the first time the command is
looked up.
"""

from __future__ import annotations

import importlib
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any

import click

from .common import main

#: The module (in ``dedupe.cli``) that registers each command, imported when the command is first looked up:
#: ``dedupe run`` then imports neither the index nor the extractors nor the evaluation tools.
COMMAND_MODULES = {"run": "run", "index": "index", "check": "index", "explain": "inspect", "eval": "inspect",
                   "report": "run"}


class LazyCommands(dict[str, click.Command]):
    """A click group's table of commands (name -> command), each command's module imported on first look-up.

    Looking up a name imports its module (which registers the command in this table); listing, iterating or
    counting the table imports every module first, so ``--help`` and ``sorted(main.commands)`` see them all.
    """

    def __init__(self, modules: Mapping[str, str]) -> None:
        super().__init__()
        self.modules = dict(modules)

    def _load(self, name: str) -> None:
        """Import the module registering command ``name`` (once)."""
        module = self.modules.pop(name, None)
        if module is not None:
            importlib.import_module(f"{__package__}.{module}")

    def _load_all(self) -> None:
        for name in list(self.modules):
            self._load(name)

    def __missing__(self, name: str) -> click.Command:
        self._load(name)
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        raise KeyError(name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name: object) -> bool:
        return name in self.modules or dict.__contains__(self, name)

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load_all()
        return dict.__len__(self)

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        self._load_all()
        return dict.keys(self)

    def values(self) -> ValuesView[click.Command]:  # type: ignore[override]
        self._load_all()
        return dict.values(self)

    def items(self) -> ItemsView[str, click.Command]:  # type: ignore[override]
        self._load_all()
        return dict.items(self)


main.commands = LazyCommands(COMMAND_MODULES)

__all__ = ["main"]
