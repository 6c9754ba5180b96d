# Two commands do all the set-up on a fresh Debian machine with Python 3.11 (python3-venv), make and,
# when not root, nodejs and npm (README, "Two commands"):
#   make serve   creates .venv, installs cwkg, builds the graph (unless dist/ is newer than its inputs)
#                and serves it on :8000
#   make test    creates .venv, installs cwkg with its test dependencies, runs the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# the source documents, beside this repository (cwkg.config's default)
SOURCES ?= ../shared/sources
# what a build reads: the graph in dist/ is current when its SHA256SUMS (written last) is newer than all of it
BUILD_INPUTS := $(shell find data ontology shapes -type f 2>/dev/null) $(wildcard $(SOURCES)/*)

.PHONY: install serve build test lint validate clean chromium

$(BIN)/cwkg: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "cwkg needs Python 3.11 or newer"'
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "cwkg needs python3-venv: apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $@

VENDOR := server/static/vendor

# the front-end libraries (YASGUI, Vega), pinned with integrity hashes in web/package-lock.json, served by us
$(VENDOR)/VERSIONS.json: web/package.json web/package-lock.json web/vendor.mjs
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq nodejs npm; }
	cd web && npm ci --no-audit --no-fund --ignore-scripts && node vendor.mjs

install: $(BIN)/cwkg $(VENDOR)/VERSIONS.json

dist/SHA256SUMS: $(BIN)/cwkg $(BUILD_INPUTS)
	$(BIN)/cwkg build

build: install dist/SHA256SUMS

serve: build
	$(BIN)/cwkg serve

validate: install
	$(BIN)/cwkg validate

# the browser tests drive Debian's chromium: installed here when missing and we are root
chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium; } || echo "chromium is missing: the browser tests will fail under CI"

# the quality gate: formatting, lint and types (configured in pyproject.toml); each fails on an error
lint: $(BIN)/cwkg
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install chromium
	$(BIN)/python -m pytest

clean:
	rm -rf dist $(VENV)
