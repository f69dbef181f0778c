"""dedupe: find news articles telling the same story, cluster them, merge each story, flag conflicts."""

from __future__ import annotations

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    AccountingError,
    ArticleNotFound,
    ConfigError,
    DedupeError,
    DuplicateIdError,
    EngineError,
    IndexFileError,
    InputError,
    NoArticlesError,
    OutputError,
)
from .storytypes import Conflict, ConflictValue, Evidence, Fact, Result, Source, Story
from .types import Article, Cluster, Edge, Fields, Mention

if TYPE_CHECKING:
    from .config import Config
    from .load import read_articles
    from .output import write_outputs
    from .pipeline import run
    from .records import FieldMap, Reject, Rejects

#: Names imported on first use (``import dedupe`` stays quick; the pipeline pulls in scipy, networkx and
#: the extractors), with the module that defines each.
_LAZY = {
    "Config": "config",
    "FieldMap": "records",
    "Reject": "records",
    "Rejects": "records",
    "read_articles": "load",
    "run": "pipeline",
    "write_outputs": "output",
}


def __getattr__(name: str) -> Any:
    """Import a name of :data:`_LAZY` from its module the first time it is asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AccountingError",
    "Article",
    "ArticleNotFound",
    "Cluster",
    "Config",
    "ConfigError",
    "Conflict",
    "ConflictValue",
    "DedupeError",
    "DuplicateIdError",
    "Edge",
    "EngineError",
    "Evidence",
    "Fact",
    "FieldMap",
    "Fields",
    "IndexFileError",
    "InputError",
    "Mention",
    "NoArticlesError",
    "OutputError",
    "Reject",
    "Rejects",
    "Result",
    "Source",
    "Story",
    "read_articles",
    "run",
    "write_outputs",
]
