# bonemets: `make run` serves the app on SQLite with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Development only: `make run` is for a laptop, never for production (DEBUG on, no SECRET_KEY needed).
RUN_ENV := DEBUG=1

.PHONY: run test serve audit lint format migrate clean typecheck mutate fuzz bench

# The task worker runs beside the server and stops with it: notifications go out, and their mail is written to
# var/sent-mail/ (one file per message; README "Notifications").
run: $(VENV)/.run-installed
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev-installed
	$(BIN)/pytest $(PYTEST_ARGS)

# Production (README "Deploy"): settings come from the environment (.env.example), migrations are applied by the
# release (`manage.py migrate`) and only checked here, the static files are collected, then gunicorn serves
# (deploy/gunicorn.conf.py: workers, timeouts, an access log without query strings).
serve: $(VENV)/.run-installed
	$(BIN)/python manage.py migrate --check
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	exec $(BIN)/gunicorn --config deploy/gunicorn.conf.py bonemets.wsgi

# Known vulnerabilities of everything installed (needs PyPI's JSON API; CI skips it, with a note, where it cannot
# reach it).
audit: $(VENV)/.dev-installed
	$(BIN)/pip-audit --strict --progress-spinner off

# mypy --strict on the pure rules package (issue 10).
typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy --strict checklists/rules

# Mutation testing of the rules (about 3 minutes); fails under 95% killed.
mutate: $(VENV)/.dev-installed
	$(BIN)/python .ci/mutation_score.py

# Arbitrary text in every field of every form (issue 11): 200 examples per field, about an hour; CI runs 50.
FUZZ_EXAMPLES ?= 200
fuzz: $(VENV)/.dev-installed
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider -q tests/fuzz
	cat test-artifacts/fuzz-report-$(FUZZ_EXAMPLES).txt

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(VENV)/.run-installed
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when the requirements change.
$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache .mypy_cache staticfiles test-artifacts mutants mutants.log

# The benchmark of issue 13 (README "Scale"): seeds BENCH_VISITS visits into a PostgreSQL database of its own (dropped
# and re-created) and measures the pages under gunicorn. Not part of the test suite. BENCH_OPTIONS=--measure-only
# measures the database the last run seeded again.
BENCH_VISITS ?= 100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bonemets_bench
bench: $(VENV)/.run-installed
	DJANGO_SETTINGS_MODULE=checklists.benchmark.settings DATABASE_URL=$(BENCH_DATABASE_URL) \
	DEBUG=0 ALLOWED_HOSTS=127.0.0.1 STATIC_MANIFEST=0 \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	$(BIN)/python manage.py bench --visits $(BENCH_VISITS) $(BENCH_OPTIONS)
