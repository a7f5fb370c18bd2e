# CampaignFlow — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup venv deps frontend migrate demo serve lint format bench bench-scale clean

run: setup demo serve

test: setup
	$(PY) scripts/run_tests.py

setup: deps frontend migrate

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

# Re-install only when a requirements file changed (stamp file), so a second `make run` is quick.
$(VENV)/.deps-stamp: $(VENV)/bin/activate requirements.txt requirements-dev.txt
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps-stamp

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

frontend: node_modules/.package-lock.json deps
	$(PY) scripts/copy_vendor.py
	mkdir -p staticfiles

migrate: deps
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) sync_playbooks

demo:
	$(MANAGE) load_demo

serve:
	HOST=$(HOST) PORT=$(PORT) $(PY) scripts/serve.py

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) -m bench

# Read throughput with 1 and 2 web workers on PostgreSQL + Redis (deploy/compose.scale.yaml's set-up).
bench-scale: setup
	$(PY) -m bench.bench_scale

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
