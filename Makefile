# The README's two commands: `make demo` (set up with the live page's extra, run the
# flagship experiment)
# and `make test` (set up with the test extra, run the tests).
VENV    := .venv
PY      := $(VENV)/bin/python
FLAGSHIP := experiments/fleecing-vs-fair.toml

.PHONY: demo test setup setup-test lint bench figures clean

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(scripts/find-python) || exit 1; \
	 [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[explore]'
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

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

bench: setup-test
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
