# Everyday commands. `make demo` and `make test` install what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test e2e lint format check audit messages

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/python manage.py demo

test: install
	$(BIN)/pytest

# Browser journeys against a real server on PostgreSQL; needs /usr/bin/chromium
# and `npm ci` (axe-core). Screenshots land in screenshots/.
e2e: install
	$(BIN)/pytest -m e2e tests/e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint
	$(BIN)/python manage.py makemigrations --check --dry-run

# Static security analysis of the project's code: fails on any high-severity
# finding. (Medium ones are reviewed uses of mark_safe and RawSQL.)
audit: install
	$(BIN)/bandit --quiet --recursive --severity-level high --exclude '*/migrations/*' \
		accounts articles comments demo newsroom pagecache paper wordpress

# Compiles the Vietnamese catalogue (locale/) after a .po is edited. The .mo files
# are committed: CI does not compile them.
messages:
	for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "$${po%.po}.mo" "$$po"; done
