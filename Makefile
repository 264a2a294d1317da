# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
# `make run` installs smartcity-kg alone; `make test` adds the test tools (the `test` extra).
# `make test` runs the fast tests (pytest -m "not slow" on two processes, see tests/conftest.py);
# `make test-all` runs every test, also the slow ones with real processes, a browser and built
# wheels: CI runs it.
# Both first check the Python (tools/check-python: 3.11 or newer; a .venv made by an older or
# removed Python is built again), and `make test` checks the system packages the tests need
# (tools/check-system reads .ci/apt-packages and prints the install command for what is missing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-all check-test lint format bench clean docs-images install-run install-test release

# $(call install,run|test): a checked interpreter, then .venv with smartcity-kg (and for `test`
# its test tools). A sub-make, because tools/check-python may remove .venv and make would not
# see that in this run.
define install
	@tools/check-python $(PYTHON) $(VENV)
	@+$(MAKE) --no-print-directory install-$(1)
endef

$(BIN)/python:
	@echo "Creating $(VENV) with $(PYTHON) and installing smartcity-kg (once) ..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	@$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install-run: $(VENV)/.installed-run
	@:

install-test: $(VENV)/.installed-test
	@:

run:  ## install smartcity-kg, then run the flagship query
	$(call install,run)
	@$(BIN)/smartcity-kg query topic-goals

check-test:  # the system packages, the install with the test tools, ruff and mypy: before any tests
	@tools/check-python $(PYTHON) $(VENV)
	@$(PYTHON) tools/check-system
	$(call install,test)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

# The fast tests run on two processes (pytest-xdist); the files named in tests/conftest.py
# (ONE_WORKER) keep their tests on one process, so their costly module fixtures are built once.
# The slow ones run one at a time, as their time limits assume.
test: check-test  ## lint, then the fast tests (no test marked slow)
	$(BIN)/python -m pytest -m "not slow" -n 2 --dist loadgroup

test-all: check-test  ## lint, then every test, the slow ones too (what CI runs)
	$(BIN)/python -m pytest

lint:  ## ruff (lint and format) and mypy
	$(call install,test)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

format:
	$(call install,test)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

docs-images:  ## regenerate the pictures and the screenshots (headless Chromium) in docs/images
	$(call install,test)
	mkdir -p docs/images
	$(BIN)/smartcity-kg export --view topics --lang de -o docs/images/topics.svg
	$(BIN)/smartcity-kg analyze matrix --lang de -o docs/images/topic-goal-matrix.svg
	SMARTCITY_KG_DOCS_IMAGES=1 $(BIN)/python -m pytest -q tests/test_docs_images.py

release:  ## write release VERSION into releases/VERSION (make release VERSION=0.2.0)
	@test -n "$(VERSION)" || { echo "Give the version: make release VERSION=0.2.0" >&2; exit 2; }
	$(call install,run)
	$(BIN)/smartcity-kg release "$(VERSION)" -o "releases/$(VERSION)"

bench:
	$(call install,test)
	$(BIN)/python benchmarks/coldstart.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache
