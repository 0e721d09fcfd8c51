"""Frozen JSON objects with named fields: what aitrack.sessionrecord (session.json) and aitrack.meta
(meta.json) are made of.

`from_json(d).to_json() == d` for any object any version wrote: a field an object lacks reads as its
default and is not written back; a field this version does not know, or one whose value has an
unexpected shape, is kept as it was (`extra`) and written back unchanged.

Plain classes with `__slots__` and no `dataclasses`/`typing` import: `aitrack show` and `status`
read these on their hot paths, where each of those imports costs milliseconds.
"""
from __future__ import annotations

TYPE_CHECKING = False  # mypy reads the block; at run time `typing` is not imported
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _V = TypeVar("_V", bound="Value")

# Defaults by shape, copied on use, never handed out. A nested default (an empty Metrics) is
# shared: values are frozen.
EMPTY_LIST: list[Any] = []
EMPTY_DICT: dict[str, Any] = {}


class Value:
    """A frozen JSON object with named fields. Subclasses list `_FIELDS` ((name, default), …) and
    `_NESTED` ({name: (class, is_list)}) for fields holding other values."""

    __slots__ = ("extra", "_given")
    _FIELDS: tuple[tuple[str, Any], ...] = ()
    _NESTED: dict[str, tuple[type[Value], bool]] = {}
    extra: dict[str, Any]
    _given: frozenset[str]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: use .replace({name}=…)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    @classmethod
    def from_json(cls: type[_V], data: dict[str, Any]) -> _V:
        self = object.__new__(cls)
        put = object.__setattr__
        extra = {k: v for k, v in data.items() if k not in cls._NAMES}
        for name, default in cls._FIELDS:
            if name not in data:
                value = _fresh(default)
            else:
                value = _typed(cls._NESTED.get(name), default, data[name])
                if value is _ODD:  # kept as it was, the attribute keeps its default
                    extra[name], value = data[name], _fresh(default)
            put(self, name, value)
        put(self, "extra", extra)
        put(self, "_given", frozenset(k for k in data if k in cls._NAMES and k not in extra))
        return self

    def to_json(self) -> dict[str, Any]:
        """The JSON object this value was read from (or built as), fields changed since included."""
        out: dict[str, Any] = {}
        for name, default in type(self)._FIELDS:
            value = getattr(self, name)
            if name in self._given or value != default:
                out[name] = _plain(value)
        out.update(self.extra)
        return out

    def has(self, name: str) -> bool:
        """Whether the field was in the JSON (or set since): a default is not a recorded value."""
        return name in self._given

    def replace(self: _V, **changes: Any) -> _V:
        """A copy with `changes` (typed values: a Commit, not its dict); the rest as it was."""
        unknown = set(changes) - type(self)._NAMES
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        new = object.__new__(type(self))
        for name, _ in type(self)._FIELDS:
            object.__setattr__(new, name, changes[name] if name in changes else getattr(self, name))
        object.__setattr__(new, "extra", {k: v for k, v in self.extra.items() if k not in changes})
        object.__setattr__(new, "_given", self._given | set(changes))
        return new

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and type(other) is type(self) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # fields hold lists and dicts

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()!r})"

    _NAMES: frozenset[str] = frozenset()

    def __init_subclass__(cls) -> None:
        cls._NAMES = frozenset(name for name, _ in cls._FIELDS)


_ODD = object()  # a value whose shape is not the field's


def _fresh(default: Any) -> Any:
    if default is EMPTY_LIST:
        return []
    if default is EMPTY_DICT:
        return {}
    return default


def _typed(nested: tuple[type[Value], bool] | None, default: Any, value: Any) -> Any:
    if nested is not None:
        cls, many = nested
        if many:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                return _ODD
            return [cls.from_json(v) for v in value]
        if value is None and default is None:
            return None
        return cls.from_json(value) if isinstance(value, dict) else _ODD
    if default is EMPTY_LIST:
        return value if isinstance(value, list) else _ODD
    if default is EMPTY_DICT:
        return value if isinstance(value, dict) else _ODD
    if isinstance(default, bool):
        return value if isinstance(value, bool) else _ODD
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Value):
        return value.to_json()
    if isinstance(value, list) and value and isinstance(value[0], Value):
        return [v.to_json() for v in value]
    return value
