# Two commands do all the set-up on a fresh machine: `make sandbox` and `make test`.
#
#   make test        lint, types, import contracts, JS unit tests and the whole Python suite
#                    (unit, SeaweedFS, Chromium) on this machine's Python; no root needed when
#                    Chromium is there (CHROMIUM=/path/to/chromium names another one)
#   make test-fast   the Python tests that need neither SeaweedFS nor a browser
#   make ci          `make test`, the docs, then the matrix of other Pythons, Djangos, Wagtails
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
SHELL := bash
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
# Two workers share the suite (each with its own SeaweedFS, live server and Chromium).
PYTEST_WORKERS ?= 2
TIMED = ./.ci/timed

.PHONY: test test-fast test-python ci lint typecheck imports test-js chromium sandbox bench \
	matrix test-wagtail-lts test-django6 trixie

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[s3,wagtail]" --group test
	touch $@

test: $(VENV)/.installed chromium
	@$(TIMED) "make test" $(MAKE) --no-print-directory lint typecheck imports test-js test-python

test-fast: $(VENV)/.installed
	$(PY) -m pytest -m "not s3 and not browser" -n $(PYTEST_WORKERS)

# The whole suite and, beside it in one more process, django-unfold's tests (settings of
# their own; the two workers leave a core idle while their browsers wait); then the branch
# coverage of the three packages. Unfold's output follows the main suite's.
test-python: $(VENV)/.installed
	@rm -f .coverage .coverage.* build/unfold.*
	@mkdir -p build
	@echo "django-unfold's tests: running beside the main suite (log: build/unfold.log)"
	@COVERAGE_FILE=build/unfold.coverage $(PY) -m pytest $(UNFOLD) --cov --cov-report= \
	  >build/unfold.log 2>&1 & unfold=$$!; \
	$(PY) -m pytest -n $(PYTEST_WORKERS) --cov --cov-report=; main=$$?; \
	wait $$unfold; unfold=$$?; \
	cat build/unfold.log; \
	[ $$main = 0 ] && [ $$unfold = 0 ]
	$(VENV)/bin/coverage combine --append build/unfold.coverage
	$(VENV)/bin/coverage report

# django-unfold must come before django.contrib.admin: its tests have settings of their own.
UNFOLD = --ds=tests.unfold_settings tests/unfold

# Debian's Chromium for the browser tests (Playwright never downloads a browser). Installed
# with apt-get only when it is missing and we are root; otherwise say how to point at one.
chromium:
	@[ -x "$(CHROMIUM)" ] || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
	@[ -x "$(CHROMIUM)" ] || { echo "No Chromium at $(CHROMIUM): install one, then" \
	  "run 'make test CHROMIUM=/path/to/chromium' (or 'make test-fast' without a browser)"; exit 1; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy and the import contracts (layers, no cycles), both configured in pyproject.toml.
typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

imports: $(VENV)/.installed
	$(VENV)/bin/lint-imports

# The browser scripts' unit tests: Node's own runner, a DOM from npm (package-lock.json).
test-js:
	npm ci --no-audit --no-fund
	node --test tests/js/

# CI: `make test`, then the matrix. Legs B and C need a Python the host lacks: .ci/trixie builds
# a Debian trixie root once (debootstrap, cached in build/trixie) and installs the package there
# from a copy of the working tree with pip, as a user would, so they also test the wheel and
# its package data. The root and its venvs are prepared in the background during `make test`,
# at the lowest CPU and disk priority, so that it takes only what the tests leave idle.
#   A-lts  Python 3.11 + Django 5.2 + Wagtail 7.4 LTS: the tests that touch Wagtail
#   B      Python 3.13 (trixie root) + Django 6.1 + Wagtail 8: everything, browser included
#   C      Python 3.13 (trixie root) + Django 6.0 + Wagtail 8: everything but the browser tests
ci: $(VENV)/.installed chromium
	@$(PY) .ci/versions.py A 5.2 8
	@mkdir -p build
	@echo "trixie root and venvs: preparing in the background (log: build/trixie-prepare.log)"
	@nice -n 19 ionice -c 3 $(MAKE) --no-print-directory trixie >build/trixie-prepare.log 2>&1 & prepare=$$!; \
	$(MAKE) --no-print-directory test docs test-wagtail-lts; a=$$?; \
	wait $$prepare; p=$$?; \
	[ $$a = 0 ] || exit $$a; \
	[ $$p = 0 ] || { tail -n 40 build/trixie-prepare.log; echo "trixie root: preparation failed"; exit $$p; }; \
	$(MAKE) --no-print-directory matrix

matrix:
	@$(TIMED) "B: Django 6.1" .ci/trixie run django61 6.1 8 -n $(PYTEST_WORKERS)
	@$(TIMED) "B-unfold: Django 6.1" .ci/trixie run django61 6.1 8 $(UNFOLD) -n $(PYTEST_WORKERS)
	@$(TIMED) "C: Django 6.0" .ci/trixie run django60 6.0 8 -m "not browser" -n $(PYTEST_WORKERS)

# The newest Wagtail is what .venv gets; the Wagtail tests also run on the 7.4 LTS.
LTS_VENV ?= .venv-wagtail74
$(LTS_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LTS_VENV)
	$(LTS_VENV)/bin/python -m pip install -q --upgrade pip
	$(LTS_VENV)/bin/python -m pip install -q -e ".[s3]" "wagtail>=7.4,<7.5" --group test
	touch $@

test-wagtail-lts: $(LTS_VENV)/.installed chromium
	@$(TIMED) "A-lts: Wagtail 7.4" bash -c '$(LTS_VENV)/bin/python .ci/versions.py A-lts 5.2 7 && \
	  $(LTS_VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) \
	  tests/wagtail tests/test_forms.py tests/test_middleware.py'

# The trixie root (once) and fresh venvs for legs B and C. B takes what pip resolves for a new
# project (the newest Django; versions.py checks it is 6.1), C pins 6.0.
trixie:
	.ci/trixie leg django61
	.ci/trixie leg django60 "django>=6.0,<6.1"

# Legs B and C alone.
test-django6: trixie matrix

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
