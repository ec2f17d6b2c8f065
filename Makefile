# The two commands of the README:
#   make run    set up everything (virtualenv, packages, SQLite, demo data) and serve on 127.0.0.1:8000
#   make test   run the whole test suite (SQLite unless DATABASE_URL points at PostgreSQL)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true

.PHONY: run setup test lint typecheck format mutation bench bench-load bench-retention totp clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: setup
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Strict types where the rules are (pyproject.toml, [tool.mypy] lists the modules checked).
typecheck: $(STAMP)
	$(DEV_ENV) $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Mutation testing (README, Mutation testing; docs/mutation.md): each module where the rules
# are, against its own tests, on SQLite. Long; not part of CI. One module:
#   make mutation MUTATION_ARGS=families/scheduling.py
mutation: $(STAMP)
	nice -n 10 $(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

# Page benchmark on a large generated data set (README, Benchmark). It drops and refills the
# database, so it only accepts PostgreSQL databases named *_bench. The network size (350
# centres, 350,000 families; long, not run by default nor in CI):
#   make bench BENCH_ARGS="--sizes network"
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cccc_bench

bench: $(STAMP)
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(DEV_ENV) $(BIN)/python manage.py bench $(BENCH_ARGS)

# Load benchmark: gunicorn as in docker-compose.yml on loopback, against the page benchmark's
# database (filled at the small size when empty), coordinators signed in through the real
# login and two-factor pages, locust driving the page mix and two floors (README, Benchmark).
bench-load: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(DEV_ENV) $(BIN)/python manage.py bench_load $(BENCH_ARGS)

# Retention benchmark: the nightly job destroying the network's nightly load (320 due families
# in 350 centres), 10,000 and 100,000 due families against plain SQL DELETEs of the same rows
# (README, Benchmark). Drops and refills its own *_bench database. A night with nothing due on
# the network's data, once `make bench BENCH_ARGS="--sizes network"` has filled cccc_bench:
#   make bench-retention BENCH_ARGS="--network-database cccc_bench"
BENCH_RETENTION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cccc_retention_bench

bench-retention: $(STAMP)
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_RETENTION_DATABASE_URL)}" $(DEV_ENV) $(BIN)/python manage.py bench_retention $(BENCH_ARGS)

# Current two-factor codes of the demo accounts (development only).
totp: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py demo_totp

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .mypy_cache .hypothesis
