"""``NamedTuple`` and ``Protocol`` for the modules ``oncokg query`` imports, without :mod:`typing`.

Importing :mod:`typing` takes about 6 ms, and building a ``typing.NamedTuple`` checks every
annotation, in a process of about 100 ms (see the README's "Beyond one machine"). So the
modules on the console script's quick path import from :mod:`typing` for type checkers only::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from oncokg.lean_typing import NamedTuple

(mypy and ruff treat any name ``TYPE_CHECKING`` as true.) At run time, a class that derives
from :data:`NamedTuple` is a :func:`collections.namedtuple` with the class's fields, defaults,
docstring and methods, as ``typing.NamedTuple`` makes it; :data:`Protocol` is :class:`object`,
as a protocol only describes, for type checkers, what a class must have.

>>> class Point(NamedTuple):
...     x: int
...     y: int = 0
...     def norm(self) -> int:
...         return abs(self.x) + abs(self.y)
>>> Point(3), Point(3, -4).norm(), Point._field_defaults
(Point(x=3, y=0), 7, {'y': 0})
"""

from __future__ import annotations

import collections

_OWN = frozenset({"__module__", "__annotations__"})


class _NamedTupleMeta(type):
    """Makes each subclass of :data:`NamedTuple` a :func:`collections.namedtuple`."""

    def __new__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
        if not bases:  # NamedTuple itself
            return super().__new__(cls, name, bases, namespace)
        annotations = namespace.get("__annotations__", {})
        assert isinstance(annotations, dict)
        fields = tuple(annotations)
        defaulted = [field for field in fields if field in namespace]
        if defaulted != list(fields[len(fields) - len(defaulted) :]):
            raise TypeError(f"{name}: a field without a default follows one with a default")
        make = collections.namedtuple  # called by name, its arguments are not literals
        record: type = make(
            name,
            fields,
            defaults=[namespace[field] for field in defaulted],
            module=str(namespace["__module__"]),
        )
        record.__annotations__ = dict(annotations)
        for key, value in namespace.items():
            if key not in fields and key not in _OWN:
                setattr(record, key, value)
        return record


NamedTuple = _NamedTupleMeta("NamedTuple", (), {"__module__": __name__})
Protocol = object
