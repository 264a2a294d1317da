# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench clean docs-images

$(BIN)/smartcity-kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/smartcity-kg  ## install, then run the flagship query
	$(BIN)/smartcity-kg query topic-goals

test: $(BIN)/smartcity-kg  ## install, then lint and run the whole test suite
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

lint: $(BIN)/smartcity-kg
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(BIN)/smartcity-kg
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

docs-images: $(BIN)/smartcity-kg  ## regenerate the pictures in docs/images from the shipped graph
	mkdir -p docs/images
	$(BIN)/smartcity-kg export --view topics --lang de -o docs/images/topics.svg
	$(BIN)/smartcity-kg analyze matrix --lang de -o docs/images/topic-goal-matrix.svg

bench: $(BIN)/smartcity-kg
	$(BIN)/python benchmarks/coldstart.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache
