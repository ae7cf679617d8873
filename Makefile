# Two commands on a fresh machine: `make demo` (the main job on the bundled sample) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup system demo test lint format fuzz clean bench-peers bench-corpus bench-ocr-engines

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Tesseract and poppler for OCR and page images; a clear message where they cannot be installed.
system:
	@bash scripts/install-system.sh

setup: $(STAMP) system

## Write the bundled sample leak to sample/ and run foialog on it (outputs in sample/out).
demo: setup
	$(BIN)/foialog demo sample

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Bytecode first: where PYTHONDONTWRITEBYTECODE is set, every process the tests start would
# compile foialog's modules from source again (compileall does not follow foialog/'s links).
test: lint
	$(BIN)/python -m compileall -q foialog extract entities
	$(BIN)/pytest

## Fuzz the value parsers and the sniffer with atheris (FUZZ_RUNS=0 runs until stopped).
FUZZ_RUNS ?= 20000
fuzz: setup
	$(BIN)/python fuzz/fuzz_values.py -atheris_runs=$(FUZZ_RUNS)

## foialog beside Camelot, pdfplumber, tabula-py and pandas on the same files (not part of test).
PEER_SEEDS ?= 20
# Runs measured at once in each half (generated kinds, corpus): speed is compared in CPU-s.
PEER_JOBS ?= 2
bench-peers: setup
	$(BIN)/python bench/peers.py --seeds $(PEER_SEEDS) --jobs $(PEER_JOBS)

## Every ../shared/corpus document read and checked against its README row, into docs/accuracy.md.
bench-corpus: setup
	$(BIN)/python bench/corpus_sweep.py

## Tesseract beside RapidOCR through foialog's table finder, into docs/accuracy.md and performance.md.
OCR_SEEDS ?= 30
bench-ocr-engines: setup
	nice $(BIN)/python bench/ocr_engines.py --seeds $(OCR_SEEDS)

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) sample out .mypy_cache .ruff_cache .pytest_cache
