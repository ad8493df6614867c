# Targets match the README. VENV can be overridden: make test VENV=/path/to/venv
VENV ?= .venv
PYTHON ?= python3.11
BIN := $(VENV)/bin

.PHONY: setup build report run test lint golden clean-curated

$(BIN)/plancompare:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e ".[test,dev]"

setup: $(BIN)/plancompare  ## create .venv and install the package with test and dev extras

build: setup  ## data/raw -> data/curated
	$(BIN)/plancompare build

report: setup  ## notebooks -> reports/*.html
	$(BIN)/plancompare report

run: setup  ## build + report (the scheduled job)
	$(BIN)/plancompare run

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests

golden: setup  ## regenerate the parsers' golden files (tests/golden/*.csv); review the diff
	$(BIN)/python tests/regen_golden_indicators.py
	$(BIN)/python tests/regen_golden_structure.py
	git diff --stat tests/golden
