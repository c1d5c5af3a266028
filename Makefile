# Two commands: `make run` and `make test`. Both bootstrap .venv themselves.
# For development also: `make lint`, `make check` (lint + test), `make test-fast`
# (no screen tests), `make bench` (every benchmark script; prints figures).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := db/mesa.db
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test test-fast lint check bench install install-dev db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

# Creates, migrates and fills db/mesa.db only when it is missing. The new desk's
# first catalog is loaded by the desk itself; the demo makes whoever runs make
# (the real uid's login) the new desk's administrator, so `--as supervisor` works.
$(DB): | $(STAMP_RUN)
	$(BIN)/mesa db upgrade
	$(BIN)/mesa catalog import db/catalog.tsv
	$(BIN)/mesa demo --tickets 400 --operator "$$(id -un)"

db: $(DB)

run: $(STAMP_RUN) $(DB)
	$(BIN)/mesa --as supervisor

test: $(STAMP_DEV)
	$(BIN)/python -m pytest -q -n 2

# Domain, store, services, CLI and architecture: everything that needs no screen.
test-fast: $(STAMP_DEV)
	$(BIN)/python -m pytest -q -n 2 tests --ignore=tests/screens

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

check: lint test

# Each script with its defaults; some build large databases the first time.
bench: $(STAMP_DEV)
	@for script in bench/*.py; do \
		echo "== $$script"; \
		$(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
