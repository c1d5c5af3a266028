# Two commands: `make run` and `make test`. Both bootstrap .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := db/mesa.db
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test install install-dev db clean bench

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

# Creates, migrates and fills db/mesa.db only when it is missing.
$(DB): | $(STAMP_RUN)
	$(BIN)/mesa db upgrade
	$(BIN)/mesa catalog import db/catalog.tsv
	$(BIN)/mesa demo --tickets 400

db: $(DB)

run: $(STAMP_RUN) $(DB)
	$(BIN)/mesa --as supervisor

test: $(STAMP_DEV)
	$(BIN)/python -m pytest -q -n 2

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
