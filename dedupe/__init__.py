"""dedupe: find news articles telling the same story, cluster them, merge each story, flag conflicts."""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config
from .errors import (
    AccountingError,
    ArticleNotFound,
    ConfigError,
    DedupeError,
    DuplicateIdError,
    InputError,
    OutputError,
)
from .load import read_articles
from .output import write_outputs
from .pipeline import Result, run
from .records import FieldMap
from .types import Article, Cluster, Edge, Fields, Mention

__all__ = [
    "AccountingError",
    "Article",
    "ArticleNotFound",
    "Cluster",
    "Config",
    "ConfigError",
    "DedupeError",
    "DuplicateIdError",
    "Edge",
    "FieldMap",
    "Fields",
    "InputError",
    "Mention",
    "OutputError",
    "Reject",
    "Rejects",
    "Result",
    "read_articles",
    "run",
    "write_outputs",
]
