"""Tests of the trainer's HTML report (synthetic results folders)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longgame.errors import InputError
from longgame.plots._load import load
from longgame.report import caveats, headlines, write_report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "href"} and value is not None:
                self.refs.append(value)


def _parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


def test_report_is_one_self_contained_file(market_dir: Path) -> None:
    """report.html embeds every figure and refers to nothing outside itself."""
    path = write_report(market_dir)
    assert path == market_dir / "report.html"
    text = path.read_text(encoding="utf-8")
    parsed = _parse(text)
    assert parsed.refs, "no figures embedded"
    assert all(ref.startswith("data:image/png;base64,") for ref in parsed.refs)
    assert "<script" not in text
    assert "@import" not in text
    assert "url(" not in text
    assert parsed.tags.count("img") >= 4


def test_report_states_question_setup_and_caveats(market_dir: Path) -> None:
    """The page carries the config's question, the setup in words and a caveats section."""
    text = write_report(market_dir).read_text(encoding="utf-8")
    assert "Does fleecing customers pay over the long run?" in text
    assert "Repeat-purchase probability" in text or "repeat-purchase probability" in text
    assert "3 times" in text
    assert "60 periods" in text
    assert "<h2>Caveats</h2>" in text
    assert "repeat.base" not in text  # keys appear as words


def test_headline_numbers_are_computed_from_the_runs(market_dir: Path) -> None:
    """The profit ratio and retention in the headline match the stored runs."""
    results = load(market_dir)
    metrics = results.metrics()
    at = metrics[(metrics["repeat.base"] == 0.95) & (metrics["metric"] == "cumulative_profit")]
    final = at[at["step"] == at["step"].max()].groupby("group")["value"].mean()
    ratio = final["fair-dealer"] / final["fleecer"]
    summary = results.summary
    kept = summary[(summary["repeat.base"] == 0.95) & (summary["metric"] == "retention")]
    kept = kept.set_index("group")["mean"]
    first = headlines(results)[0]
    assert f"Fair dealers earned {ratio:.1f}x the fleecers' profit over 60 periods" in first
    assert f"kept {kept['fair-dealer']:.0%} vs {kept['fleecer']:.0%}" in first


def test_headline_tells_the_truth_when_fleecing_wins(
    tmp_path: Path, market_factory: Callable[..., Path]
) -> None:
    """With rare repeat purchases the same code reports that fleecers earned more."""
    folder = market_factory(tmp_path / "oneshot", sweep={}, replicates=2, steps=30, repeat=0.1)
    first = headlines(load(folder))[0]
    assert first.startswith("Fleecers earned")
    assert re.search(r"\d+\.\dx the fair dealers' profit", first)


def test_crossover_is_reported_along_the_sweep(market_dir: Path) -> None:
    """The headlines say where along the repeat probability the winner changes."""
    lines = headlines(load(market_dir))
    cross = [line for line in lines if line.startswith("Over the whole run")]
    assert len(cross) == 1
    value = float(re.search(r"about ([0-9.]+)", cross[0]).group(1))  # type: ignore[union-attr]
    assert 0.8 <= value <= 0.95


def test_each_model_gets_headlines(tournament_dir: Path, learning_dir: Path) -> None:
    """Tournament and learning results get their own computed headlines."""
    tournament = " ".join(headlines(load(tournament_dir)))
    learning = " ".join(headlines(load(learning_dir)))
    assert "scored highest" in tournament
    assert "of the population" in tournament
    assert "Small firms choose 'wait'" in learning
    assert "(equilibrium: 100%)" in learning


def test_caveats_flag_quick_runs_and_few_replicates(
    tmp_path: Path, market_factory: Callable[..., Path]
) -> None:
    """A --quick run and settings with few runs are called out in the caveats."""
    folder = market_factory(
        tmp_path / "q", sweep={}, replicates=2, steps=20, manifest={"quick": True}
    )
    text = " ".join(caveats(load(folder)))
    assert "quick run" in text
    assert "only 2 run(s)" in text


def test_report_command(market2_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`longgame report DIR` writes report.html and says where."""
    from longgame.cli import main

    main(["report", str(market2_dir)])
    assert str(market2_dir / "report.html") in capsys.readouterr().out


def test_bad_folder_is_input_error(tmp_path: Path) -> None:
    """A folder that holds no results raises InputError."""
    with pytest.raises(InputError, match="manifest"):
        write_report(tmp_path)


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
def test_profit_sentence_names_the_winner_first(fair: float, fleece: float) -> None:
    """The profit comparison leads with the bigger earner and never claims a ratio below
    1, for a loss, or so large it means nothing."""
    from longgame.report._headlines import _profit_sentence

    text, (first, _) = _profit_sentence(
        "fair-dealer", "fleecer", {"fair-dealer": fair, "fleecer": fleece}, 100
    )
    ratio = re.search(r"(\d[\d,]*\.\d)x", text)
    assert first == ("fair-dealer" if fair >= fleece else "fleecer")
    if fair > 0 and fleece > 0 and max(fair, fleece) / min(fair, fleece) <= 100:
        assert ratio is not None
        assert float(ratio.group(1).replace(",", "")) >= 1.0
    else:
        assert ratio is None
        assert ("lost" in text) == (min(fair, fleece) < 0)
