PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# The tool that writes the lock; installed into the venv by `make lock` only, never by the lock.
UV_VERSION := 0.13.8
LOCK_FLAGS ?=

.PHONY: run test lint bench faults lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the locked set (hash-checked), then the project itself without resolving anything.
$(STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lhl

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

faults: $(STAMP)
	$(BIN)/python -m bench faults

# Rewrites the lock from pyproject.toml, keeping the pins that still fit;
# `make lock LOCK_FLAGS=--upgrade` moves everything to the newest versions.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command 'make lock' -o $(LOCK) $(LOCK_FLAGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
