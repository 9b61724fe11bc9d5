"""A small TOML writer for resolved configs (the standard library only reads TOML).

Handles what configs contain: tables, strings, booleans, integers, floats (including
``nan`` and ``inf``), lists and inline tables inside lists. ``None`` values are left out,
since TOML has no null.

>>> print(dumps({"experiment": {"name": "demo", "steps": 10}, "sweep": {"a.b": [1, 2]}}))
[experiment]
name = "demo"
steps = 10
<BLANKLINE>
[sweep]
"a.b" = [1, 2]
<BLANKLINE>
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["dumps", "format_key", "format_value"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+\Z")


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def format_key(key: str) -> str:
    """A TOML key: bare if it can be, else a quoted basic string."""
    return key if _BARE_KEY.match(key) else _string(key)


def format_value(value: Any) -> str:
    """One TOML value (scalars, arrays, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        items = [
            f"{format_key(str(k))} = {format_value(v)}" for k, v in value.items() if v is not None
        ]
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value if v is not None) + "]"
    if hasattr(value, "item"):  # numpy scalar
        return format_value(value.item())
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) to TOML")


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _emit(lines: list[str], path: list[str], table: Mapping[str, Any]) -> None:
    scalars = [(k, v) for k, v in table.items() if v is not None and not _is_table(v)]
    tables = [(k, v) for k, v in table.items() if _is_table(v)]
    if path and (scalars or not tables):
        lines.append("[" + ".".join(format_key(p) for p in path) + "]")
    for key, value in scalars:
        lines.append(f"{format_key(str(key))} = {format_value(value)}")
    if path and (scalars or not tables):
        lines.append("")
    for key, value in tables:
        _emit(lines, [*path, str(key)], value)


def dumps(document: Mapping[str, Any]) -> str:
    """Serialise a mapping of tables to TOML text (round-trips through ``tomllib``)."""
    lines: list[str] = []
    top = [(k, v) for k, v in document.items() if v is not None and not _is_table(v)]
    for key, value in top:
        lines.append(f"{format_key(str(key))} = {format_value(value)}")
    if top:
        lines.append("")
    _emit(lines, [], {k: v for k, v in document.items() if _is_table(v)})
    return "\n".join(lines)
