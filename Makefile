# Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make serve   creates .venv, installs cwkg, builds the graph and serves it on :8000
#   make test    creates .venv, installs cwkg with its test dependencies, runs the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install serve build test validate clean

$(BIN)/cwkg: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "cwkg needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/cwkg

build: install
	$(BIN)/cwkg build

serve: build
	$(BIN)/cwkg serve

validate: install
	$(BIN)/cwkg validate

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf dist $(VENV)
