# One command for each job. `make run` and `make test` work on a fresh machine with
# Python 3.11+ and Node.js 20+; nothing else needs to be installed or set.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: code run test test-sqlite lint format install assets clean reminders bench-reminders bench-seed bench-pages bench-documents security

## Start the application at http://127.0.0.1:8000 on the embedded default (SQLite,
## tasks in-process, e-mail to var/mail/) with the fictional demo partnership.
## The reminder sweep runs beside the server every 5 minutes (there is no Celery beat here).
run: install assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py plan_reminders
	$(BIN)/python manage.py send_reminders --every 300 & trap 'kill $$!' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## The code a demo person's authenticator app would show now: make code PERSON=manager
code: install
	@$(BIN)/python manage.py demo_code $(PERSON)

## Send the reminders whose day has come, once (what Celery beat does every 10 minutes).
reminders: install
	$(BIN)/python manage.py send_reminders

## Time one reminder sweep over 50,000 open deadlines (needs PostgreSQL; see docs/benchmarks.md).
bench-reminders: install
	$(BIN)/python bench/reminder_sweep.py

## Seed the national-scale dataset into the PostgreSQL database cspr_scale (made afresh).
BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
bench-seed: install
	dropdb --if-exists -h 127.0.0.1 -U postgres cspr_scale && createdb -h 127.0.0.1 -U postgres cspr_scale
	DATABASE_URL=$(BENCH_SERVER)/cspr_scale $(BIN)/python manage.py migrate --noinput -v 0
	CSPR_BENCH=1 DATABASE_URL=$(BENCH_SERVER)/cspr_scale $(BIN)/python manage.py seed_scale --preset national

## The page benchmark against cspr_scale (needs the load tool: requirements-bench.txt).
bench-pages: install
	$(BIN)/pip install -q -r requirements-bench.txt
	DATABASE_URL=$(BENCH_SERVER)/ $(BIN)/python bench/pages.py --database cspr_scale

## Time the rapid review PDFs and the annual report against cspr_scale.
bench-documents: install
	DATABASE_URL=$(BENCH_SERVER)/ $(BIN)/python bench/documents.py --database cspr_scale

## Run every test (against DATABASE_URL if set, else SQLite), then the linters. The tests
## run in TEST_WORKERS processes (pytest-xdist; one per core by default), a file to each.
TEST_WORKERS ?= auto
test: install assets
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Security scans, with their figures: Django's deployment checks on the production
## settings, bandit over the code, pip-audit over the installed packages. Fails on a
## deploy warning, a high or medium bandit finding, or a known vulnerability; pip-audit
## without its vulnerability data (it needs the network) prints "not run" and the reason.
## Not part of `make test`: CI must not depend on the network. See docs/security.md.
security: install
	$(BIN)/python scripts/security_scan.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

assets: static/build/.built

static/build/.built: package.json package-lock.json $(wildcard static/src/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run build
	touch $@

clean:
	rm -rf $(VENV) node_modules static/build var
