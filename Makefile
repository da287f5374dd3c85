# 工会工作文库 — every target sets up .venv/ first, so `make site` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all setup convert site serve test lint check bench clean

all: site

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

## convert: raw texts in sources/ -> Markdown pages in docs/ (hand edits are kept; see CONTRIBUTING.md)
convert: $(STAMP)
	$(PY) -m build_tools convert --sources sources --out docs

## site: convert, then build the Simplified and Traditional editions into site/
site: convert
	$(PY) -m build_tools site

## serve: preview the Simplified edition at http://127.0.0.1:8000
serve: convert
	$(VENV)/bin/mkdocs serve

## lint: ruff lint and format check
lint: $(STAMP)
	$(VENV)/bin/ruff check build_tools tests
	$(VENV)/bin/ruff format --check build_tools tests

## check: front matter, links, orphans, addresses (python -m build_tools check)
check: $(STAMP)
	$(PY) -m build_tools check --docs docs --sources sources

## test: lint, every test (unit, golden, end-to-end in headless Chromium), then the docs check
test: $(STAMP)
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory check

## bench: time and memory of conversion, corpus pass and site build (writes bench/results.json)
bench: $(STAMP)
	$(PY) -m build_tools.bench

clean:
	rm -rf site build .pytest_cache
