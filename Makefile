# ssj — make demo / make test / make bench. Each target creates .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
DEMO_DIR ?= out/demo

.PHONY: demo test bench bench-province bench-engines venv clean sample

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TESTSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh $(DEMO_DIR)

test: $(TESTSTAMP)
	$(BIN)/python -m pytest

bench: $(TESTSTAMP)
	$(BIN)/python bench/run.py

# Province scale (issue 12): a 20,000,000-row CSV (~2.2 GB, temp folder, deleted after), freeze /
# check / draw against pyarrow's read of the same file; prints PASS/FAIL per bound. Minutes long.
# ROWS=5000000 gives the 5M line of the issue's table. BENCH_TMP= a folder with room for the file.
ROWS ?= 20000000
bench-province: $(TESTSTAMP)
	$(BIN)/python -m pip install --quiet pyarrow
	nice -n 10 $(BIN)/python bench/province.py --rows $(ROWS) $(if $(BENCH_TMP),--dir $(BENCH_TMP))

# The engine comparison behind docs/scale.md "Measured" (installs the candidates into .venv).
bench-engines: $(TESTSTAMP)
	$(BIN)/python -m pip install --quiet pyarrow polars fastexcel
	nice -n 10 $(BIN)/python bench/measure_engines.py

# Regenerate the shipped sample rosters (deterministic).
sample: $(STAMP)
	$(BIN)/python scripts/make_sample.py

clean:
	rm -rf $(VENV) out .pytest_cache
