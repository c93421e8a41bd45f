# Two commands for a new user: `make run` (set up and launch) and `make test` (set up and test).
# Each creates .venv when missing and installs with pip; run again, it is quick.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.convscope-installed

.PHONY: run test lint bench setup clean install-desktop uninstall-desktop translations

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

# The Korean UI: collect every tr()/translate() string of gui/ into the .ts (dropping vanished ones),
# then compile it. Translate what `python tools/ts_tool.py unfinished` lists, and run it again.
TS := resources/i18n/convscope_ko.ts
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find gui -name '*.py' | sort) -locations none -no-obsolete -target-language ko_KR -ts $(TS)
	$(VENV)/bin/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)

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
