# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run test lint typecheck security pytest lock bench clean web graphiql web-check screenshots

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint requirements.lock --editable '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install  ## Start the API on http://127.0.0.1:8000 (embedded SQLite under ./var)
	$(BIN)/shortlist serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/archlint.py  # the room contract of docs/architecture.md

typecheck: install
	$(BIN)/mypy

security: install  ## bandit on the sources (fails on high severity); the pins against known vulnerabilities
	$(BIN)/bandit -c pyproject.toml -r src --severity-level high --quiet
	$(BIN)/python scripts/audit_dependencies.py

# The suite runs on every core (each pytest-xdist worker has its own database, queue and Redis db); tests marked
# `alone` (they restart shared services or wait on wall-clock deadlines) run by themselves afterwards.
PYTEST_WORKERS ?= auto
pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not alone"
	$(BIN)/pytest -m alone

test: lint typecheck security pytest  ## Lint, type-check, security checks and the whole suite

lock:  ## Re-pin every dependency after changing pyproject.toml
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip
	.lockenv/bin/python -m pip install --quiet --editable '.[dev]'
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^shortlist' > requirements.lock
	rm -rf .lockenv

web: install  ## Rebuild the browser app: API client from the OpenAPI document, then the bundle (Node 20 + npm)
	mkdir -p build
	$(BIN)/shortlist openapi > build/openapi.json
	cd web && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	cd web && npm run --silent generate && npm run --silent build

graphiql:  ## Rebuild GraphiQL (served at /graphql outside production) from graphiql/ (Node 20 + npm)
	cd graphiql && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	cd graphiql && npm run --silent build

web-check:  ## Fail if the committed API client or build differ from what the sources produce
	bash scripts/check_web_build.sh

screenshots: install  ## Regenerate docs/screenshots from the browser journeys (Chromium)
	SHORTLIST_SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/web/test_journeys.py tests/web/test_recruiter.py -q -p no:cacheprovider

bench: install
	$(BIN)/python bench/api_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache web/node_modules
