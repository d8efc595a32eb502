# Guichet: one command for each job. Python from .venv (requirements.txt, == pins), Node from
# package-lock.json (npm ci). Nothing here downloads from anywhere else.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
PY := .venv/bin/python
VENV_STAMP := .venv/.installed-requirements
NODE_STAMP := node_modules/.package-lock.json
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps serve site test rules i18n coverage chromium clean bench

$(VENV_STAMP): requirements.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: $(VENV_STAMP) $(NODE_STAMP)

## make serve: install, build every language, serve site/ at http://127.0.0.1:8000, rebuild on change
serve: deps
	$(PY) -m scripts.dev.server --port 8000

## make site: rules -> i18n -> site -> web, into site/ (swapped in only when every stage worked)
site: deps
	$(PY) -m scripts.build --out site

## make test: install what the tests need (chromium from Debian, never `playwright install`), run them
test: deps chromium
	$(PY) -m pytest -q tests

## make bench: performance report, bench/report.md and bench/report.json (medians of BENCH_RUNS runs;
## about 20 minutes; not part of make test). BENCH_ONLY=build,weight,lighthouse,planner picks parts.
BENCH_RUNS ?= 3
BENCH_ONLY ?= build,weight,lighthouse,planner
bench: deps chromium
	$(PY) -m scripts.dev.bench --runs $(BENCH_RUNS) --only $(BENCH_ONLY)

## chromium from Debian, and pdftotext (poppler-utils), which reads back the PDFs the browser tests print
chromium:
	@test -x /usr/bin/chromium || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)
	@command -v pdftotext >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y poppler-utils)

## make rules: validate rules/ and write the JSON bundle the engine runs on (the planner CLI reads it)
rules: $(VENV_STAMP)
	$(PY) -m scripts.rules --out build/rules.json

## make i18n: re-extract French strings into rules/locales/guichet.pot and merge every .po
i18n: $(VENV_STAMP)
	$(PY) -m scripts.i18n update

## make coverage: translation coverage and review status per language
coverage: $(VENV_STAMP)
	$(PY) -m scripts.i18n coverage

clean:
	rm -rf site build .pytest_cache
