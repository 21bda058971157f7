# The two commands a newcomer needs: `make serve` and `make test`. Each sets itself up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: venv check build serve test test-fast chromium bench bench-search golden lint clean mutation

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP)

check: venv
	$(BIN)/gijiroku check

build: venv
	$(BIN)/gijiroku build

serve: venv
	$(BIN)/gijiroku serve

# Debian's Chromium drives the browser tests, with Debian's Noto CJK fonts: without them every
# Japanese character is drawn as an empty box of another width, and the tests that measure a
# phone's layout (the tabs at 320 px) measure boxes. Installed when missing (root, or sudo).
chromium:
	@if ! command -v chromium >/dev/null 2>&1 || ! test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc; then \
	  echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

test: venv chromium
	$(BIN)/pytest

test-fast: venv
	$(BIN)/pytest -m "not browser and not slow"

lint: venv
	$(BIN)/ruff check hooks tests bench

# Builds synthetic sites of 300, 1000, 2000 and 4000 meetings (each step timed) and one of 50 for
# the page sizes; at 1000, a naive baseline, a serve rebuild and the search checks in Chromium.
# Slow: run it on a quiet machine. Prints the figures and, last, issue 15's targets, each marked met
# or not; every figure goes to bench-out/bench.json.
bench: venv
	$(BIN)/python bench/bench.py --sizes 300 1000 2000 4000 --reference 1000

# Search figures (not tests): our index against Material's lunr on one corpus; writes bench-out/search.json.
# BENCH_SEARCH_ARGS="--corpus DIR" uses DIR/minutes and DIR/decisions; "--grams 3,4,5,6" compares token lengths.
BENCH_SEARCH_ARGS ?= --meetings 1000
bench-search: venv chromium
	$(BIN)/python bench/search_bench.py $(BENCH_SEARCH_ARGS)

clean:
	rm -rf site .site.staging-* .site.old-* .pytest_cache .mutation

# Regenerate tests/golden/ after an intended change to the pages; review the diff before committing.
golden: venv
	GIJIROKU_UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_golden.py -q

# Mutation testing of hooks/gijiroku/disclosure/ (mutmut, pinned in requirements-mutation.txt).
# Not part of `make test`: it takes minutes. Survivors must be killed by a test or listed, with a
# reason, in mutation/equivalent.txt. MUTATION_ARGS="--keep" re-tests what changed and the last
# survivors; MUTATION_TARGET=src/gijiroku/disclosure/markers.py one module; MUTATION_TESTS="tests/x.py"
# fewer tests, for a quick screen while writing tests (a full run uses every in-process test).
MUTATION_STAMP := $(VENV)/.installed-mutation
$(MUTATION_STAMP): requirements-mutation.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements-mutation.txt
	@touch $@

mutation: $(MUTATION_STAMP)
	$(BIN)/python mutation/run.py $(MUTATION_ARGS)
