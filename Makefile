# Two commands do all the set-up on a fresh machine: `make sandbox` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
SHELL := bash

.PHONY: test test-django52 test-wagtail-lts test-django6 trixie lint sandbox bench chromium

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[s3,wagtail]" --group test
	touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
chromium:
	@[ -x "$${CHROMIUM:-/usr/bin/chromium}" ] || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The CI matrix; a failing leg fails `make test`. Each leg prints its interpreter, Django and
# Wagtail (.ci/versions.py, which also fails a leg that resolved other versions) and its time.
#   A      Python 3.11 (host) + Django 5.2 + Wagtail 8: everything, browser tests included
#   A-lts  Python 3.11 + Django 5.2 + Wagtail 7.4 LTS: the tests that touch Wagtail
#   B      Python 3.13 (trixie root) + Django 6.1 + Wagtail 8: everything, browser tests included
#   C      Python 3.13 (trixie root) + Django 6.0 + Wagtail 8: everything but the browser tests
# B and C need a Python the host lacks: .ci/trixie builds a Debian trixie root once
# (debootstrap, cached in build/trixie) and installs the package there from a copy of the
# working tree with pip, as a user would, so they also test the wheel and its package data.
# Their browser tests use Debian trixie's Chromium installed inside that root, beside the
# live server and SeaweedFS, like leg A's on the host. The root and both venvs are prepared in
# the background while leg A runs (network and disk, while A uses the CPU).
TIMED = ./.ci/timed
test: $(VENV)/.installed chromium lint
	$(MAKE) typecheck imports test-js
	@mkdir -p build
	@echo "trixie root and venvs: preparing in the background (log: build/trixie-prepare.log)"
	@$(MAKE) --no-print-directory trixie >build/trixie-prepare.log 2>&1 & prepare=$$!; \
	$(MAKE) --no-print-directory test-django52 test-wagtail-lts; a=$$?; \
	wait $$prepare; p=$$?; \
	[ $$a = 0 ] || exit $$a; \
	[ $$p = 0 ] || { tail -n 40 build/trixie-prepare.log; echo "trixie root: preparation failed"; exit $$p; }; \
	$(TIMED) "B: Django 6.1" .ci/trixie run django61 6.1 8 && \
	$(TIMED) "B-unfold: Django 6.1" .ci/trixie run django61 6.1 8 $(UNFOLD) && \
	$(TIMED) "C: Django 6.0" .ci/trixie run django60 6.0 8 -m "not browser"

test-django52: $(VENV)/.installed chromium
	@$(TIMED) "A: Django 5.2" bash -c '$(PY) .ci/versions.py A 5.2 8 && $(PY) -m pytest'
	@$(TIMED) "A-unfold: Django 5.2" $(PY) -m pytest $(UNFOLD)

# django-unfold must come before django.contrib.admin: its tests have settings of their own.
UNFOLD = --ds=tests.unfold_settings tests/unfold

.PHONY: typecheck imports test-js
# mypy (strict for s3file) and the import contracts (layers, no cycles), both in pyproject.toml.
typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

imports: $(VENV)/.installed
	$(VENV)/bin/lint-imports

# The browser scripts' unit tests: Node's own runner, a DOM from npm (package-lock.json).
test-js:
	npm ci --no-audit --no-fund
	node --test tests/js/

# The newest Wagtail is what .venv gets; the Wagtail tests also run on the 7.4 LTS.
LTS_VENV ?= .venv-wagtail74
$(LTS_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LTS_VENV)
	$(LTS_VENV)/bin/python -m pip install -q --upgrade pip
	$(LTS_VENV)/bin/python -m pip install -q -e ".[s3]" "wagtail>=7.4,<7.5" --group test
	touch $@

test-wagtail-lts: $(LTS_VENV)/.installed chromium
	@$(TIMED) "A-lts: Wagtail 7.4" bash -c '$(LTS_VENV)/bin/python .ci/versions.py A-lts 5.2 7 && \
	  $(LTS_VENV)/bin/python -m pytest tests/wagtail tests/test_forms.py tests/test_middleware.py'

# The trixie root (once) and fresh venvs for legs B and C (each `make test`). B takes what pip
# resolves for a new project (the newest Django; versions.py checks it is 6.1), C pins 6.0.
trixie:
	.ci/trixie leg django61
	.ci/trixie leg django60 "django>=6.0,<6.1"

# Legs C and B alone.
test-django6: trixie
	@$(TIMED) "B: Django 6.1" .ci/trixie run django61 6.1 8
	@$(TIMED) "B-unfold: Django 6.1" .ci/trixie run django61 6.1 8 $(UNFOLD)
	@$(TIMED) "C: Django 6.0" .ci/trixie run django60 6.0 8 -m "not browser"

# The documentation (Sphinx, MyST markdown, the furo theme) into build/docs; a warning fails it.
.PHONY: docs
docs: $(VENV)/.docs-installed
	$(VENV)/bin/sphinx-build -W --keep-going -q -b html docs build/docs
	@echo "docs: build/docs/index.html"

$(VENV)/.docs-installed: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q --group docs
	touch $@

sandbox: $(VENV)/.installed
	$(PY) sandbox/run.py

# `make bench BENCH_ARGS=--quick` for a smoke run; `$(PY) -m benchmarks --help` for the options.
BENCH_ARGS ?=
bench: $(VENV)/.installed chromium
	$(PY) -m benchmarks $(BENCH_ARGS)
