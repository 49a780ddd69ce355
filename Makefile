# Two commands for a fresh machine (Python 3.11+, Node.js 20+): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
WEB_DEPS := web/node_modules/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint web web-test chromium install clean-data

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

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## Build the web app into web/dist (the gateway serves it at /).
web: $(WEB_DEPS)
	cd web && npm run build

## Install, build the web app, migrate every service, seed demo data and start the all-in-one
## platform on :7001. Without Node.js the API still starts, without the web app.
run: $(STAMP)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory web; \
	else echo "npm not found: starting the API without the web app (install Node.js 20+ for it)"; fi
	$(BIN)/nilecare db upgrade --all
	$(BIN)/nilecare seed demo
	$(BIN)/nilecare up

## Lint, type-check, check import boundaries, test the web app and run the whole test suite
## (including the browser tests in Debian's Chromium).
test: $(DEV_STAMP) lint web-test chromium
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy nilecare
	$(BIN)/lint-imports

## Type-check, build and unit-test the web app.
web-test: web
	cd web && npm run format:check && npx vitest run

## Debian's Chromium for the browser tests (a test tool's own browser download is not used).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "no $(CHROMIUM) and no apt-get: the browser tests will be skipped"; fi; \
	fi

## Remove the embedded databases and development secrets under var/.
clean-data:
	rm -rf var
