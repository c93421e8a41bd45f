"""Declarative checks for data read from a file: each rule says what one value must be.

A rule's ``check(value, field, context)`` returns the value in the form the program uses (a
float for a number, a list for a sequence, a dict holding only the known keys of a record) or
raises ``SchemaError`` naming the field ("history[3].test_accuracy") with a one-line reason.
Numbers go through ``engine.model.param.check_value`` (types, finiteness, ranges; bools are not
numbers); strings have a length limit and no control characters. Lengths may come from the
``context`` (e.g. one per class). Nothing here runs code from the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.model.param import Param, check_value, is_int, show

__all__ = [
    "INT_MAX",
    "Bool",
    "Const",
    "Each",
    "Fixed",
    "Int",
    "Maybe",
    "Num",
    "Record",
    "Rule",
    "SchemaError",
    "Table",
    "Text",
    "Where",
    "at",
]

INT_MAX = 2**31 - 1
Context = Mapping[str, Any]


class SchemaError(ValueError):
    """A value that breaks its rule: ``field`` names it, ``str()`` is ``"field: reason"``."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name or "(file)"
        self.message = message
        super().__init__(f"{self.field}: {message}")


def at(field_name: str, key: str | int) -> str:
    """The name of ``key`` inside ``field_name``: ``history[3]``, ``config.lr``."""
    if is_int(key):
        return f"{field_name}[{key}]"
    return f"{field_name}.{key}" if field_name else str(key)


def _checked(param: Param, value: Any, field_name: str) -> Any:
    problem = check_value(param, value)
    if problem:
        raise SchemaError(field_name, problem)
    return value


class Rule:
    """What one value must be."""

    def check(self, value: Any, field_name: str, context: Context) -> Any:
        raise NotImplementedError

    def check_all(self, values: list[Any] | tuple[Any, ...]) -> list[Any] | None:
        """The checked values when all are plainly fine (a fast path for long lists of numbers),
        else None: ``check`` then looks at each and names the first bad one."""
        return None


@dataclass(frozen=True)
class Num(Rule):
    """A finite number from ``minimum`` to ``maximum`` (``positive``: above 0); read as a float."""

    minimum: float = 0.0
    maximum: float = 1e9
    positive: bool = False
    below_max: bool = False

    def check(self, value: Any, field_name: str, context: Context) -> float:
        problem = check_value(Param("float", minimum=self.minimum, maximum=self.maximum,
                                    exclusive_max=self.below_max), value)
        if problem is None and self.positive and value <= 0:
            problem = f"must be above 0, got {show(value)}"
        if problem:
            raise SchemaError(field_name, problem)
        return float(value)

    def check_all(self, values: list[Any] | tuple[Any, ...]) -> list[Any] | None:
        low, high = self.minimum, self.maximum
        plain = not (self.positive or self.below_max) and all(
            type(v) in (int, float) and low <= v <= high for v in values)
        return [float(v) for v in values] if plain else None


@dataclass(frozen=True)
class Int(Rule):
    """An integer (not a bool) from ``minimum`` to ``maximum``."""

    minimum: int = 0
    maximum: int = INT_MAX

    def check(self, value: Any, field_name: str, context: Context) -> int:
        return int(_checked(Param("int", minimum=self.minimum, maximum=self.maximum), value, field_name))

    def check_all(self, values: list[Any] | tuple[Any, ...]) -> list[Any] | None:
        low, high = self.minimum, self.maximum
        return list(values) if all(type(v) is int and low <= v <= high for v in values) else None


@dataclass(frozen=True)
class Bool(Rule):
    """true or false (JSON's, not 0 or 1)."""

    def check(self, value: Any, field_name: str, context: Context) -> bool:
        return _checked(Param("bool"), value, field_name)


@dataclass(frozen=True)
class Text(Rule):
    """A string of at most ``max_length`` characters without control characters; one of
    ``choices`` when given."""

    max_length: int = 200
    choices: tuple[str, ...] = ()

    def check(self, value: Any, field_name: str, context: Context) -> str:
        if not isinstance(value, str):
            raise SchemaError(field_name, f"must be a string, got {show(value)}")
        if self.choices and value not in self.choices:
            raise SchemaError(field_name, f"must be one of {', '.join(self.choices)}, got {show(value)}")
        if len(value) > self.max_length:
            raise SchemaError(field_name, f"must be at most {self.max_length:,} characters, got {len(value):,}")
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise SchemaError(field_name, f"must not hold control characters, got {show(value)}")
        return value


@dataclass(frozen=True)
class Const(Rule):
    """Exactly ``value``, of its type (``False`` is not ``0``)."""

    value: Any

    def check(self, value: Any, field_name: str, context: Context) -> Any:
        if type(value) is not type(self.value) or value != self.value:
            raise SchemaError(field_name, f"must be {self.value!r}, got {show(value)}")
        return value


@dataclass(frozen=True)
class Maybe(Rule):
    """None (JSON null) or what ``rule`` says."""

    rule: Rule

    def check(self, value: Any, field_name: str, context: Context) -> Any:
        return None if value is None else self.rule.check(value, field_name, context)


def _length(value: Any, field_name: str, length: int | None, max_length: int, what: str) -> None:
    if length is not None and len(value) != length:
        raise SchemaError(field_name, f"must be {length:,} {what} long, got {len(value):,}")
    if len(value) > max_length:
        raise SchemaError(field_name, f"must hold at most {max_length:,} {what}, got {len(value):,}")


def _needed(length: int | str | None, context: Context) -> int | None:
    return context[length] if isinstance(length, str) else length


@dataclass(frozen=True)
class Each(Rule):
    """A list whose items all follow ``item``: at most ``max_length`` of them, exactly ``length``
    when given (a number or the name of a context entry); ``or_empty`` also allows ``[]``."""

    item: Rule
    max_length: int = 100_000
    length: int | str | None = None
    or_empty: bool = False

    def check(self, value: Any, field_name: str, context: Context) -> list[Any]:
        if not isinstance(value, (list, tuple)):
            raise SchemaError(field_name, f"must be a list, got {show(value)}")
        if not (self.or_empty and len(value) == 0):
            _length(value, field_name, _needed(self.length, context), self.max_length, "items")
        checked = self.item.check_all(value)
        if checked is not None:
            return checked
        return [self.item.check(v, at(field_name, i), context) for i, v in enumerate(value)]


@dataclass(frozen=True)
class Fixed(Rule):
    """A list (or tuple, kept a tuple) of exactly one value per rule, each checked by its own rule."""

    items: tuple[Rule, ...]

    def check(self, value: Any, field_name: str, context: Context) -> list[Any] | tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise SchemaError(field_name, f"must be a list of {len(self.items)} values, got {show(value)}")
        _length(value, field_name, len(self.items), len(self.items), "values")
        return type(value)(rule.check(v, at(field_name, i), context)
                           for i, (rule, v) in enumerate(zip(self.items, value)))


@dataclass(frozen=True)
class Record(Rule):
    """An object (string keys) with these fields; ``optional`` ones may be missing. Other keys are
    ignored, refused (``extra=None``), or checked by the ``extra`` rule and kept."""

    fields: Mapping[str, Rule]
    optional: frozenset[str] = frozenset()
    extra: Rule | None | str = "ignore"

    def check(self, value: Any, field_name: str, context: Context) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise SchemaError(field_name, f"must be an object, got {show(value)}")
        out = {}
        for key, rule in self.fields.items():
            if key in value:
                out[key] = rule.check(value[key], at(field_name, key), context)
            elif key not in self.optional:
                raise SchemaError(at(field_name, key), "is missing")
        for key in value:
            if key in self.fields or self.extra == "ignore":
                continue
            if not isinstance(key, str) or not isinstance(self.extra, Rule):
                raise SchemaError(at(field_name, show(key)), "is not a known field")
            out[key] = self.extra.check(value[key], at(field_name, key), context)
        return out


@dataclass(frozen=True)
class Table(Rule):
    """A mapping from keys following ``key`` to values following ``value`` (at most ``max_length``)."""

    key: Rule
    value: Rule
    max_length: int = 100_000

    def check(self, value: Any, field_name: str, context: Context) -> dict[Any, Any]:
        if not isinstance(value, Mapping):
            raise SchemaError(field_name, f"must be an object, got {show(value)}")
        _length(value, field_name, None, self.max_length, "entries")
        return {self.key.check(k, f"{field_name} key", context): self.value.check(v, at(field_name, k), context)
                for k, v in value.items()}


@dataclass(frozen=True)
class Where(Rule):
    """``rule``, then ``test(value, context)``: a message when the value is refused, else None."""

    rule: Rule
    test: Callable[[Any, Context], str | None] = field(default=lambda value, context: None)

    def check(self, value: Any, field_name: str, context: Context) -> Any:
        value = self.rule.check(value, field_name, context)
        problem = self.test(value, context)
        if problem:
            raise SchemaError(field_name, problem)
        return value
