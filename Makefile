# The two commands of the README: `make demo` and `make test`. Both create .venv and install what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PLUGINS := plugins/electronics plugins/appliances plugins/auto_service plugins/industrial

.PHONY: demo test install benchmarks clean

$(STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(PLUGINS))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]" $(addprefix -e ,$(PLUGINS))
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/aftersales demo

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with its own databases (docs/testing.md);
# TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= 2
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

benchmarks: install
	$(BIN)/python benchmarks/hook_dispatch.py --quick
	$(BIN)/python benchmarks/request_create.py --quick
	$(BIN)/python benchmarks/sla_sweep.py --quick

clean:
	rm -rf $(VENV) var
