"""Strategy lookup: registry names, aliases, import paths and entry points.

Classes register themselves when they are defined (:meth:`Strategy.__init_subclass__`),
so there is no hand-kept list. Third-party strategies are found by an import path
``"package.module:ClassName"`` or through the entry point group
:data:`ENTRY_POINT_GROUP` (``longgame.strategies``), whose entry points name strategy
classes or modules that define them.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

from longgame.errors import InputError, closest_names

if TYPE_CHECKING:
    from longgame.strategies._base import Strategy

__all__ = ["ENTRY_POINT_GROUP", "get_strategy", "known_names", "register", "registry", "resolve"]

#: Entry point group searched for third-party strategies.
ENTRY_POINT_GROUP = "longgame.strategies"

_KEBAB = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*\Z")
_CLASSES: dict[str, type[Strategy]] = {}
_ALIASES: dict[str, str] = {}
_entry_points_loaded = False


def register(cls: type[Strategy], *, replace: bool = False) -> type[Strategy]:
    """Add ``cls`` to the registry under its ``name`` and ``aliases``.

    Called by :meth:`Strategy.__init_subclass__`; usable as a decorator too. A name
    already taken by another class raises ``TypeError`` naming both classes (a
    programming error), unless the author asks to replace it: ``replace=True`` here, or
    ``class Mine(Strategy, replace=True)``. The same class defined again (same module
    and qualified name: a re-run notebook cell, a module reload) replaces the old one.
    """
    import math

    problems = []
    for label in (cls.name, *cls.aliases):
        if not _KEBAB.match(label):
            problems.append(f"name {label!r} is not kebab-case (e.g. 'tit-for-tat')")
        owner = _ALIASES.get(label)
        if owner is not None:
            other = _CLASSES[owner]
            # the same class defined again (a re-run notebook cell, a reload) replaces it
            if not replace and _where(other) != _where(cls):
                problems.append(
                    f"name {label!r} is already taken by {_where(other)}; expected a new "
                    "name, or replace=True in the class statement to replace it"
                )
    if not cls.description:
        problems.append("description is empty; expected one line")
    if not (cls.memory_depth >= 0 and (math.isinf(cls.memory_depth) or cls.memory_depth % 1 == 0)):
        problems.append(f"memory_depth={cls.memory_depth!r}; expected an integer >= 0 or math.inf")
    if problems:
        raise TypeError(f"strategy {_where(cls)}: " + "; ".join(problems))
    _CLASSES[cls.name] = cls
    for label in (cls.name, *cls.aliases):
        _ALIASES[label] = cls.name
    return cls


def _where(cls: type) -> str:
    """``module.QualName`` of a class, so that an error names both colliding classes."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _load_builtins() -> None:
    importlib.import_module("longgame.strategies.classic")
    importlib.import_module("longgame.strategies.sales")


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()  # defining the class registers it
        except Exception as exc:  # a broken third-party plugin: name it, no traceback
            raise InputError(
                f"strategy plugin {ep.name!r} = {ep.value!r} (entry point group "
                f"{ENTRY_POINT_GROUP}) failed to load ({type(exc).__name__}: {exc}); "
                "expected an importable module defining Strategy subclasses: fix or "
                "uninstall the package that provides it"
            ) from exc


def registry() -> dict[str, type[Strategy]]:
    """Every known strategy class by canonical name (built-ins and plugins), sorted.

    >>> registry()["tit-for-tat"].__name__
    'TitForTat'
    """
    _load_builtins()
    _load_entry_points()
    return dict(sorted(_CLASSES.items()))


def known_names() -> list[str]:
    """Every accepted name: canonical names and aliases."""
    registry()
    return sorted(_ALIASES)


def resolve(spec: str | type[Any]) -> type[Strategy]:
    """The strategy class for a registry name, alias or ``"package.module:ClassName"``;
    ``"axelrod:Tit For Tat"`` or an Axelrod player class gives the adapted Axelrod
    strategy (:mod:`longgame.strategies.axelrod`, needs ``longgame[axelrod]``)."""
    from longgame.strategies import axelrod as adapter
    from longgame.strategies._base import Strategy

    if isinstance(spec, type):
        if issubclass(spec, Strategy):
            return spec
        if adapter.is_axelrod_player(spec):
            return adapter.axelrod_strategy(spec)
        raise InputError(f"strategy: {spec!r} is not a Strategy subclass")
    if not isinstance(spec, str):
        raise InputError(f"strategy: {spec!r} is not a name; expected a strategy name")
    if spec.strip().startswith(adapter.PREFIX):
        return adapter.axelrod_strategy(spec.strip())
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise InputError(
                f"strategy {spec!r}: cannot import module {module_name!r} ({exc})"
            ) from exc
        obj = getattr(module, attr, None)
        if not (isinstance(obj, type) and issubclass(obj, Strategy)):
            raise InputError(
                f"strategy {spec!r}: {module_name} has no Strategy subclass named {attr!r}"
            )
        return obj
    key = spec.strip().lower().replace("_", "-").replace(" ", "-")
    _load_builtins()
    if key not in _ALIASES:
        _load_entry_points()
    if key not in _ALIASES:
        hint = closest_names(key, sorted(_ALIASES))
        raise InputError(
            f"unknown strategy {spec!r}; expected a name from `longgame strategies` "
            "or 'package.module:ClassName'" + (f" ({hint})" if hint else "")
        )
    return _CLASSES[_ALIASES[key]]


def get_strategy(spec: str | type[Any] | Strategy | object, **params: Any) -> Strategy:
    """A strategy instance from a name, alias, import path, class or instance.

    Unknown parameters raise :class:`InputError` listing the accepted ones.

    >>> get_strategy("reciprocator")
    TitForTat()
    >>> get_strategy("generous-tit-for-tat", generosity=0.2)
    GenerousTitForTat(generosity=0.2)
    """
    from longgame.strategies._base import Strategy

    if isinstance(spec, Strategy):
        return spec.clone() if not params else type(spec)(**{**spec.params, **params})
    if not isinstance(spec, str | type):
        from longgame.strategies.axelrod import is_axelrod_player

        if not is_axelrod_player(spec):
            raise InputError(f"strategy: {spec!r} is not a name; expected a strategy name")
        spec = type(spec)  # an Axelrod player instance
    cls = resolve(spec)
    if not params:  # reading the signature costs more than the rest of a small match
        return cls()
    accepted = cls.parameters()
    unknown = [k for k in params if k not in accepted]
    if unknown:
        expected = ", ".join(accepted) if accepted else "no parameters"
        raise InputError(
            *(f"strategy {cls.name}: unknown parameter {k!r}; expected {expected}" for k in unknown)
        )
    return cls(**params)
