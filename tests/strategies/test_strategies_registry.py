"""Strategy registry: lookup by name, alias, import path; errors; metadata."""

from __future__ import annotations

import math
import sys
import types

import pytest

from longgame.errors import InputError
from longgame.strategies import (
    AlwaysDefect,
    GenerousTitForTat,
    HistoryView,
    Strategy,
    TitForTat,
    describe,
    get_strategy,
    known_names,
    registry,
    resolve,
)

#: modules holding the built-ins (doctest examples elsewhere register toy classes)
BUILTIN_MODULES = ("longgame.strategies.classic", "longgame.strategies.sales")


def test_aliases_resolve_to_classic_classes() -> None:
    """Sales names are aliases of the classic strategies."""
    assert type(get_strategy("fleecer")) is AlwaysDefect
    assert type(get_strategy("reciprocator")) is TitForTat
    assert get_strategy("fair-dealer").name == "always-cooperate"
    assert get_strategy("Tit_For_Tat") == TitForTat()


def test_unknown_name_suggests_close_names() -> None:
    """A misspelt name raises InputError with a did-you-mean hint."""
    with pytest.raises(InputError, match="did you mean 'grudger'"):
        get_strategy("grudgr")


def test_unknown_parameter_lists_accepted_ones() -> None:
    """An unknown keyword names the strategy and the accepted parameters."""
    with pytest.raises(InputError, match="unknown parameter 'p'; expected generosity"):
        get_strategy("generous-tit-for-tat", p=0.5)
    with pytest.raises(InputError, match="expected no parameters"):
        get_strategy("tit-for-tat", x=1)


def test_import_path_lookup() -> None:
    """'package.module:Class' loads a class from anywhere."""
    assert resolve("longgame.strategies.classic:Grudger").name == "grudger"
    with pytest.raises(InputError, match="cannot import module"):
        resolve("no_such_module_xyz:Thing")
    with pytest.raises(InputError, match="no Strategy subclass named 'Nope'"):
        resolve("longgame.strategies.classic:Nope")


def test_subclass_registers_itself_and_rejects_duplicates() -> None:
    """Defining a named subclass registers it; reusing a taken name is a TypeError."""
    module = types.ModuleType("plugin_for_registry_test")
    sys.modules[module.__name__] = module
    try:
        exec(
            "from longgame.strategies import Strategy, defect_where\n"
            "class Moody(Strategy):\n"
            "    name = 'moody-test'\n"
            "    description = 'Defects every third round.'\n"
            "    memory_depth = math.inf\n"
            "    def decide(self, view, rng):\n"
            "        return defect_where(view.rounds % 3 == 2)\n",
            {**module.__dict__, "math": math},
            module.__dict__,
        )
        assert registry()["moody-test"].__name__ == "Moody"
        assert "moody-test" in known_names()
    finally:
        del sys.modules[module.__name__]
    with pytest.raises(TypeError, match="already taken"):
        type("Impostor", (Strategy,), {"name": "tit-for-tat", "description": "x"})
    with pytest.raises(TypeError, match="kebab-case"):
        type("Bad", (Strategy,), {"name": "Bad Name", "description": "x"})
    with pytest.raises(TypeError, match="kebab-case"):  # `$` would let a final newline in
        type("Trailing", (Strategy,), {"name": "trailing-newline\n", "description": "x"})


def test_repr_equality_and_clone() -> None:
    """Parameters appear in the repr and decide equality; clones are equal copies."""
    g = GenerousTitForTat(generosity=0.25)
    assert repr(g) == "GenerousTitForTat(generosity=0.25)"
    assert g == g.clone()
    assert g != GenerousTitForTat(generosity=0.3)
    assert len({g, g.clone()}) == 1
    assert get_strategy(g, generosity=0.5).generosity == 0.5


def test_describe_is_json_ready() -> None:
    """describe() gives plain metadata, None for unbounded memory."""
    import json

    info = describe(registry()["grudger"])
    json.dumps(info)
    assert info["memory_depth"] is None
    assert info["aliases"] == ["grim-trigger", "grim"]
    assert describe(GenerousTitForTat)["parameters"] == {"generosity": 0.1}
    assert describe(registry()["grid-9.1"])["sale_concern"] == 9


def test_history_view_from_actions_validates_shapes() -> None:
    """Mismatched own/partner histories are an InputError."""
    with pytest.raises(InputError, match="expected equal shapes"):
        HistoryView.from_actions([[0, 1]], [[0]])


def test_every_builtin_cites_a_source() -> None:
    """Each built-in has a citation and memory depth that is an integer or infinite."""
    for cls in registry().values():
        if cls.__module__ in BUILTIN_MODULES:
            assert cls.citation
            assert math.isinf(cls.memory_depth) or cls.memory_depth == int(cls.memory_depth)


def test_entry_point_plugins_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Strategies advertised in the longgame.strategies entry point group are found."""
    import importlib.metadata

    from longgame.strategies import _registry

    loaded: list[str] = []

    class FakeEntryPoint:
        name = "plugin"

        def load(self) -> object:
            loaded.append("plugin")
            return type(
                "PluginStrategy",
                (Strategy,),
                {"name": "plugin-entry-point-test", "description": "From a plugin."},
            )

    def fake_entry_points(*, group: str) -> list[FakeEntryPoint]:
        return [FakeEntryPoint()] if group == "longgame.strategies" else []

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    monkeypatch.setattr(_registry, "_entry_points_loaded", False)
    assert resolve("plugin-entry-point-test").__name__ == "PluginStrategy"
    assert loaded == ["plugin"]


def test_broken_plugin_is_named_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin entry point that fails to import is reported as InputError naming it."""
    import importlib.metadata

    from longgame.strategies import _registry

    broken = importlib.metadata.EntryPoint(
        name="broken", value="no_such_plugin_module_xyz:Thing", group=_registry.ENTRY_POINT_GROUP
    )

    def fake_entry_points(group: str) -> list[importlib.metadata.EntryPoint]:
        return [broken] if group == _registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    monkeypatch.setattr(_registry, "_entry_points_loaded", False)
    with pytest.raises(InputError, match=r"strategy plugin 'broken'.*no_such_plugin_module_xyz"):
        _registry.registry()
