# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
M50 := $(BIN)/m50
RUN_STAMP := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed
NODE_STAMP := node_modules/.installed
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test setup demo-data test-sqlite test-postgres test-e2e test-fuzz lint lint-openapi \
        system-deps css bench messages clean

$(RUN_STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## run: set everything up and serve the platform at http://127.0.0.1:8000 (SQLite in var/)
run: $(RUN_STAMP) demo-data
	@echo
	@echo "M50-platform draait op http://127.0.0.1:8000  (stoppen: Ctrl+C)"
	@echo "Inloggen: http://127.0.0.1:8000/account/inloggen/ met een van de demo-accounts hierboven."
	@echo
	$(M50) runserver 127.0.0.1:8000

demo-data: $(RUN_STAMP)
	$(M50) migrate --noinput
	$(M50) load-reference-data
	$(M50) create-demo-accounts
	$(M50) rebuild-search-index

## test: the whole suite on SQLite and on PostgreSQL, the browser tests, lint and API rules
test: system-deps $(TEST_STAMP) $(NODE_STAMP) lint lint-openapi test-sqlite test-postgres test-e2e test-fuzz

system-deps:
	@scripts/ensure-system-deps.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(M50) makemigrations --check --dry-run

lint-openapi: $(TEST_STAMP) $(NODE_STAMP)
	@mkdir -p var
	$(M50) spectacular --validate --fail-on-warn --format openapi-json --file var/openapi.json
	node_modules/.bin/spectral lint --fail-severity=error -r standards/adr-2.1.0-spectral.yml var/openapi.json

test-sqlite: $(TEST_STAMP)
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

test-postgres: $(TEST_STAMP)
	$(BIN)/python scripts/with_postgres.py $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

test-e2e: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

## test-fuzz: schemathesis against the running API on a throw-away database (scripts/fuzz_api.py)
test-fuzz: $(TEST_STAMP)
	$(BIN)/python scripts/fuzz_api.py

## css: refresh the shipped NL Design System CSS from the npm registry (pinned in package.json)
css: $(NODE_STAMP)
	cp node_modules/@utrecht/component-library-css/dist/index.css src/m50/core/static/vendor/utrecht/component-library.css
	cp node_modules/@utrecht/component-library-css/LICENSE.md src/m50/core/static/vendor/utrecht/LICENSE.md

## messages: regenerate and compile the translations (needs gettext)
messages: $(TEST_STAMP)
	cd src/m50 && ../../$(M50) makemessages -l en -l nl --no-obsolete && ../../$(M50) compilemessages

## bench: every benchmark; one alone with options: make bench BENCH_ARGS="national --quick"
bench: $(TEST_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
