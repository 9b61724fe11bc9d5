# The README's two commands: `make demo` (set up with the live page's extra, run the
# flagship experiment)
# and `make test` (set up with the test extra, run the tests).
VENV    := .venv
PY      := $(VENV)/bin/python
FLAGSHIP := experiments/fleecing-vs-fair.toml

.PHONY: demo test setup setup-test setup-mutate lint bench figures mutate clean

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(scripts/find-python) || exit 1; \
	 [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[explore]'
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@touch $@

$(VENV)/.installed-mutate: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e '.[test,mutate]'
	@touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test
setup-mutate: $(VENV)/.installed-mutate

demo: setup
	$(VENV)/bin/longgame run $(FLAGSHIP) --out results/fleecing-vs-fair

# the flagship's figures and report committed under results/ (run from scratch, then redrawn)
figures: setup
	$(VENV)/bin/longgame run $(FLAGSHIP) --out results/fleecing-vs-fair --fresh

test: setup-test
	$(PY) -m pytest -n 2 -q

lint: setup-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

# mutation testing of the core modules, each against its own tests (minutes; not in CI):
# a score per module, goal >= 90% of non-equivalent mutants killed. MODULES="play ..." picks
# modules (scripts/mutate.py --list names them all, market mechanisms and the store included)
mutate: setup-mutate
	$(PY) scripts/mutate.py $(MODULES)

# every benchmark, each against its reference in the same run; a table of targets at the end
bench: $(VENV)/.installed-bench
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build/mutate
