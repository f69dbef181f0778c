"""Typed errors the library raises; each says where the problem is and how to fix it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import json

#: The end of the JSON decoder's messages that name their place after them ("Unterminated string starting at").
_DANGLING_AT = re.compile(r"(?: starting)? at$")


def json_problem(error: json.JSONDecodeError, where: str = "") -> str:
    """The decoder's message, followed by ``where`` ("column 18") when given, never doubling its "at":
    "Unterminated string starting at column 18"; without ``where``, "Unterminated string"."""
    if where:
        return f"{error.msg.removesuffix(' at')} at {where}"
    return _DANGLING_AT.sub("", error.msg)


class DedupeError(Exception):
    """Base class: a problem a user can fix, with its place and a hint.

    ``file``, ``line`` and ``field`` locate the problem when they are known;
    ``hint`` says what to do about it. ``str(error)`` joins them into one message:
    ``data.jsonl:3: field 'text': expected a string, got a list. Fix: ...``.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(self.describe())

    @property
    def where(self) -> str:
        """``FILE:LINE`` (or just ``FILE``), empty when the place is unknown."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def describe(self) -> str:
        """The whole message: place, field, problem and fix."""
        parts = []
        if self.where:
            parts.append(f"{self.where}:")
        if self.field:
            parts.append(f"field '{self.field}':")
        parts.append(self.message)
        text = " ".join(parts)
        if self.hint:
            text += f" Fix: {self.hint}"
        return text


class InputError(DedupeError):
    """A record or file that cannot be read as articles."""

    exit_code = 3


class NoArticlesError(InputError):
    """The inputs held no article to process (empty, or every record set aside)."""


class DuplicateIdError(InputError):
    """Two records carry the same id."""


class ConfigError(DedupeError):
    """Settings that are unknown, of the wrong type or out of range (all listed at once)."""

    exit_code = 4

    def __init__(self, problems: list[str], *, file: str | None = None) -> None:
        self.problems = list(problems)
        joined = "; ".join(self.problems)
        super().__init__(
            f"invalid settings: {joined}.",
            file=file,
            hint="see the 'Configuration' section of the README for every key and its range.",
        )


class EngineError(ConfigError):
    """The chosen engine cannot run: Dask is not installed, its scheduler cannot be reached, or a worker failed.

    Example: ``EngineError("cannot reach the Dask scheduler at 'tcp://10.0.0.5:8786' ...", hint="start it ...")``.
    """

    def __init__(self, problem: str, *, hint: str | None = None) -> None:
        self.problems = [problem]
        DedupeError.__init__(self, problem, hint=hint)


class ArticleNotFound(DedupeError):
    """An id asked for (by ``explain``) is not in the input."""

    exit_code = 3


class OutputError(DedupeError):
    """An output directory or file that cannot be written."""

    exit_code = 5


class IndexFileError(DedupeError):
    """An index file that is missing, is not an index, or cannot be read or written now."""

    exit_code = 6


class AccountingError(DedupeError):
    """Articles were lost or doubled between input and output: a bug, never ignored."""

    exit_code = 70
