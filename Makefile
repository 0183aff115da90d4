# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Runtime dependencies only (what `make install` and `make demo` need) ...
STAMP := $(VENV)/.installed
# ... and the development tools on top (ruff, mypy, pytest): `make dev`, and every target
# that runs them, so `make test` works from a fresh checkout.
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install dev demo test lint typecheck pytest test-compiled bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEV_STAMP)

install: $(STAMP)

dev: $(DEV_STAMP)

demo: $(STAMP)
	$(BIN)/entitywatch demo $(DEMO_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Two workers (pytest-xdist): many tests wait on real processes and servers, so two
# workers fill two cores. worksteal: an idle worker takes queued tests from the other,
# so one slow file does not leave a core idle at the end. PYTEST_WORKERS=0: one process.
# PYTHONDONTWRITEBYTECODE (set in many Python images) is dropped: the suite starts a few
# hundred `entitywatch` processes, and without cached bytecode each compiles the project's
# modules again (about a third of a second of CPU each).
PYTEST_WORKERS ?= 2
pytest: $(DEV_STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test: lint typecheck pytest

# The screening engine as the image ships it, compiled with mypyc: the screening suite and
# 3,152 answers against it (tests/screening/test_compiled.py; compiling takes about half a
# minute, cached in .build/). Needs a C compiler and the Python headers. CI runs it after
# `make test`, which leaves it out (-m "not compiled" in pyproject.toml).
test-compiled: $(DEV_STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -m compiled tests/screening/test_compiled.py

# Every bench/bench_*.py, each in its own process; exits non-zero when one fails.
bench: $(DEV_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .build build
