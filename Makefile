# Two commands for a new user: `make run` (set up and launch) and `make test` (set up and test).
# Each creates .venv when missing and installs with pip; run again, it is quick.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.convscope-installed

.PHONY: run test lint bench setup clean install-desktop uninstall-desktop

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) bench/run_all.py

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $(STAMP)

# The application menu entry, icons and file types for this user. The launcher runs CONVSCOPE: the
# convscope on PATH (pipx install .) when there is one, otherwise this clone's .venv (set up first).
CONVSCOPE ?= $(shell command -v convscope 2>/dev/null)

install-desktop:
ifeq ($(strip $(CONVSCOPE)),)
	$(MAKE) setup
	sh resources/desktop/install-desktop.sh install "$(abspath $(VENV))/bin/convscope"
else
	sh resources/desktop/install-desktop.sh install "$(CONVSCOPE)"
endif

uninstall-desktop:
	sh resources/desktop/install-desktop.sh uninstall

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
