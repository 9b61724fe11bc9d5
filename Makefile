# The README's two commands: `make demo` (set up with the live page's extra, run the
# flagship experiment)
# and `make test` (set up with the test-full extra, run the tests).
VENV    := .venv
PY      := $(VENV)/bin/python
FLAGSHIP := experiments/fleecing-vs-fair.toml

.PHONY: demo test setup setup-test setup-mutate setup-docs docs lint bench figures mutate clean

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(scripts/find-python) || exit 1; \
	 [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	@echo "setting up $(VENV): pip, then longgame and its dependencies with the live page's extra (numpy, pandas, matplotlib, mesa, solara, ...); a few minutes the first time"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[explore]'
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "installing the test-full extra into $(VENV): pytest, hypothesis, nbclient, ruff, mypy, dask, playwright"
	$(PY) -m pip install --quiet -e '.[test-full]'
	@touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@touch $@

$(VENV)/.installed-mutate: $(VENV)/.installed-test
	@echo "installing the mutation-testing extra into $(VENV): mutmut"
	$(PY) -m pip install --quiet -e '.[test-full,mutate]'
	@touch $@

$(VENV)/.installed-docs: $(VENV)/.installed
	@echo "installing the docs extra into $(VENV): mkdocs, mkdocstrings[python]"
	$(PY) -m pip install --quiet -e '.[docs]'
	@touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test
setup-mutate: $(VENV)/.installed-mutate
setup-docs: $(VENV)/.installed-docs

# A fresh clone has the flagship's committed figures and report but not the run's manifest,
# so the runner would (rightly) refuse to write over them: before the first run, remove the
# files git tracks there (git has them). Once a run has written its manifest, this does nothing.
CLAIM_FLAGSHIP = [ -f results/fleecing-vs-fair/manifest.json ] || git ls-files -z results/fleecing-vs-fair | xargs -0 rm -f

# the flagship to results/fleecing-vs-fair (a second `make demo` reuses the finished runs)
demo: setup
	@$(CLAIM_FLAGSHIP)
	$(VENV)/bin/longgame run $(FLAGSHIP) --out results/fleecing-vs-fair

# the flagship's figures and report committed under results/ (run from scratch, then redrawn)
figures: setup
	@$(CLAIM_FLAGSHIP)
	$(VENV)/bin/longgame run $(FLAGSHIP) --out results/fleecing-vs-fair --fresh

test: setup-test
	$(PY) -m pytest -n 2 -q

# the documentation site in site/ (offline; any warning is an error): how-tos, theory, the
# API from the docstrings, and a parameter reference and metric glossary generated from the
# schemas (scripts/docs_hooks.py)
docs: setup-docs
	$(VENV)/bin/mkdocs build --strict --quiet
	@echo "documentation site built: site/index.html"

lint: setup-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# mutation testing of the core modules, each against its own tests (minutes; not in CI):
# a score per module, goal >= 90% of non-equivalent mutants killed. MODULES="play ..." picks
# modules (scripts/mutate.py --list names them all, market mechanisms and the store included)
mutate: setup-mutate
	$(PY) scripts/mutate.py $(MODULES)

# every benchmark, each against its reference in the same run; a table of targets at the end
bench: $(VENV)/.installed-bench
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build/mutate site
