"""Pydantic validation errors as one line per problem: file, key path, value, expectation.

Below every layer that validates user input (the market's parameters, the runner's config
loader, the sweep), so that a model can report its bad parameters the same way the runner
does without importing the runner.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from longgame.errors import closest_names

__all__ = ["describe_value", "format_validation_error"]

_UNION_TAG = re.compile(r"^(int|float|str|bool|none|dict|list|tuple|set|[a-z-]+\[.*\])$")


def describe_value(value: Any) -> str:
    """``repr(value)``, cut to 60 characters for an error line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(root: type[BaseModel] | None, loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model class reached from ``root`` by following ``loc``, if any."""
    current: Any = root
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        if isinstance(part, int):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
        # unwrap Optional / list / dict / union until a model class shows up
        for _ in range(4):
            if isinstance(current, type) and issubclass(current, BaseModel):
                break
            args = [a for a in typing.get_args(current) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            current = models[0] if models else (args[-1] if args else None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _path(prefix: str, loc: Sequence[str | int]) -> str:
    text = prefix
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def format_validation_error(
    exc: ValidationError,
    source: str,
    prefix: str,
    schema: type[BaseModel] | None = None,
    rename: Mapping[str, str] | None = None,
) -> list[str]:
    """Turn a pydantic error into one line per problem: file, key path, value, expectation.

    ``prefix`` is the dotted path of the validated table in the config (e.g.
    ``"parameters"``); ``schema`` (the validated model class) lets unknown keys get a
    list of the known ones; ``rename`` maps a dotted parameter path to the key path that
    supplied it (e.g. a swept value) so the message points at the right line of the file.
    Union alternatives for the same key are merged into one line.
    """
    merged: dict[str, tuple[Any, list[str]]] = {}
    for error in exc.errors():
        loc = [p for p in error["loc"] if not (isinstance(p, str) and _UNION_TAG.match(p))]
        inner = _path("", loc)
        path = _path(prefix, loc)
        if rename:
            for dotted, where in rename.items():
                if inner == dotted or inner.startswith((dotted + ".", dotted + "[")):
                    path = where + inner[len(dotted) :]
                    break
        kind = error["type"]
        message = str(error["msg"])
        value = error.get("input")
        if kind == "missing":
            expectation = "is missing; expected a value"
            value = None
        elif kind == "extra_forbidden":
            parent = _model_at(schema, loc[:-1]) if schema is not None else None
            expectation = "is not a known key"
            if parent is not None:
                known = list(parent.model_fields)
                hint = closest_names(str(loc[-1]), known)
                expectation += f"; expected one of {', '.join(known)}"
                if hint:
                    expectation += f" ({hint})"
        else:
            for lead in ("Value error, ", "Assertion failed, "):
                if message.startswith(lead):
                    message = message[len(lead) :]
            if message.startswith("Input should be "):
                message = "expected " + message[len("Input should be ") :]
            elif message.startswith("Input "):
                message = "expected input " + message[len("Input ") :]
            expectation = f"is invalid; {message}"
        renamed = path != _path(prefix, loc)
        show_value = (
            kind != "missing"
            and not (renamed and kind == "extra_forbidden")
            and bool(loc)  # a whole-table check: the message says what is wrong
        )
        line = f"{path}={describe_value(value)}" if show_value else path
        if path in merged and kind not in ("missing", "extra_forbidden"):
            merged[path][1].append(message)
        else:
            merged[path] = (line, [expectation])
    lines = []
    for line, expectations in merged.values():
        if len(expectations) > 1:
            alternatives = " or ".join(e.removeprefix("expected ") for e in expectations[1:])
            expectations = [expectations[0] + " or " + alternatives]
        lines.append(f"{source}: {line} {expectations[0]}")
    return lines
