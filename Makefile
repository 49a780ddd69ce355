# Two commands for a fresh machine (Python 3.11+): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint install clean-data

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "NileCare needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $@

install: $(STAMP)

## Install, migrate every service, seed demo data and start the all-in-one platform on :7001.
run: $(STAMP)
	$(BIN)/nilecare db upgrade --all
	$(BIN)/nilecare seed demo
	$(BIN)/nilecare up

## Lint, type-check, check import boundaries and run the whole test suite.
test: $(DEV_STAMP) lint
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy nilecare
	$(BIN)/lint-imports

## Remove the embedded databases and development secrets under var/.
clean-data:
	rm -rf var
