# Two commands do all the set-up on a fresh machine: `make sandbox` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python

.PHONY: test test-wagtail-lts lint sandbox bench chromium

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[s3,wagtail]" --group test
	touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
chromium:
	@[ -x "$${CHROMIUM:-/usr/bin/chromium}" ] || { apt-get update -q && apt-get install -y -q chromium; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.installed chromium lint
	$(MAKE) typecheck imports
	$(PY) -m pytest
	$(MAKE) test-wagtail-lts

.PHONY: typecheck imports
# mypy (strict for s3file) and the import contracts (layers, no cycles), both in pyproject.toml.
typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

imports: $(VENV)/.installed
	$(VENV)/bin/lint-imports

# The newest Wagtail is what .venv gets; the Wagtail tests also run on the 7.4 LTS.
LTS_VENV ?= .venv-wagtail74
$(LTS_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LTS_VENV)
	$(LTS_VENV)/bin/python -m pip install -q --upgrade pip
	$(LTS_VENV)/bin/python -m pip install -q -e ".[s3]" "wagtail>=7.4,<7.5" --group test
	touch $@

test-wagtail-lts: $(LTS_VENV)/.installed chromium
	$(LTS_VENV)/bin/python -m pytest tests/wagtail tests/test_forms.py tests/test_middleware.py

sandbox: $(VENV)/.installed
	$(PY) sandbox/run.py

# `make bench BENCH_ARGS=--quick` for a smoke run; `$(PY) -m benchmarks --help` for the options.
BENCH_ARGS ?=
bench: $(VENV)/.installed chromium
	$(PY) -m benchmarks $(BENCH_ARGS)
