PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo.qualcode

.PHONY: run test install install-test demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(DEMO): $(VENV)/.installed
	$(BIN)/qualcode demo $(DEMO)

demo: $(DEMO)

run: $(VENV)/.installed $(DEMO)
	$(BIN)/qualcode tui $(DEMO)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(DEMO) $(DEMO)-wal $(DEMO)-shm
