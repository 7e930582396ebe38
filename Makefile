# The front door: `make run` serves the demo deck, `make test` runs the whole suite.
# Both create and fill .venv when needed; `make test` also installs what the suite needs
# from Debian (Chromium and CJK fonts for the browser tests, LibreOffice Writer to render
# the DOCX paperwork, Redis and Sentinel for the standby tests) when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui redis-server redis-sentinel

.PHONY: run test lint format system-deps bench demo screenshots clean

run: $(VENV)/.stamp-run
	$(BIN)/python app.py $(ARGS)

edit: $(VENV)/.stamp-run
	$(BIN)/python app.py edit $(ARGS)

test: $(VENV)/.stamp-test system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.stamp-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.stamp-test
	$(BIN)/python bench/hashing.py
	$(BIN)/python bench/sync_latency.py
	$(BIN)/python bench/screens_browser.py
	$(BIN)/python bench/media_drift.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/large_image.py
	$(BIN)/python bench/large_table.py
	$(BIN)/python bench/originals.py
	$(BIN)/python bench/redaction.py
	$(BIN)/python bench/charts.py
	$(BIN)/python bench/fund_cycles.py
	$(BIN)/python bench/hostile.py

# Every demo exhibit, panel and page on court screens of four sizes, as PNG files in
# screenshots/ (not committed), with any text found cut, overlapping or too small.
screenshots: $(VENV)/.stamp-test system-deps
	$(BIN)/python -m tests.screens screenshots

# Regenerate decks/demo/ from decks/demo.source/ (needs fonts-noto-cjk; ffmpeg comes with
# imageio-ffmpeg, xlsxwriter with the test extras); commit the result.
demo: $(VENV)/.stamp-test
	$(BIN)/python decks/make_demo.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-run: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.stamp-run

# Installs only what is missing; needs root (or sudo) the first time on a fresh machine.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v redis-sentinel >/dev/null 2>&1 || missing="$$missing redis-sentinel"; \
	if [ -n "$$missing" ]; then \
		echo "Installing from Debian:$$missing"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
