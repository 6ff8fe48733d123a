# Two commands set up a fresh machine: `make demo` and `make test`.
# Each creates .venv when missing, installs what it needs, then runs.

PYTHON ?= python3

# One BLAS thread unless you say otherwise: the course's networks are small, and on a
# busy 2-core machine two BLAS threads per process made a 512x64 matmul 100x slower.
# (benchmarks/ sets its own thread counts per measurement.)
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: test demo bench notebooks lint dot clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps-test: pyproject.toml | $(PY)
	$(PIP) -e '.[test]'
	@touch $@

$(VENV)/.deps-notebooks: pyproject.toml | $(PY)
	$(PIP) -e '.[test,notebooks]'
	@touch $@

$(VENV)/.deps-bench: pyproject.toml | $(PY)
	$(PIP) -e '.[test,bench]'
	@touch $@

# Graphviz's `dot` renders the drawn graphs to SVG/PNG (the DOT source works without it).
dot:
	@if ! command -v dot >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Graphviz (the dot program) with apt-get ..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz) >/dev/null; \
	  else \
	    echo "Graphviz's dot program is missing; drawing to SVG/PNG needs it: sudo apt-get install graphviz | brew install graphviz | conda install -c conda-forge graphviz"; \
	  fi; \
	fi

lint: $(VENV)/.deps-test
	$(PY) -m ruff check .

test: $(VENV)/.deps-test dot lint
	$(PY) -m pytest

demo: $(VENV)/.deps-test dot
	$(PY) -m nn.demo

# valgrind counts the instructions per step (benchmarks/instructions.py), the figure
# this shared machine's load cannot move; the tables are made without it if missing.
bench: $(VENV)/.deps-bench
	@if ! command -v valgrind >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing valgrind with apt-get ..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind) >/dev/null || true; \
	fi
	$(PY) -m benchmarks.run

notebooks: $(VENV)/.deps-notebooks dot
	$(PY) -m jupyter nbconvert --to notebook --execute --inplace notebooks/*.ipynb

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .ruff_cache
