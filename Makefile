# Kota Cerdas Cirebon. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000

.PHONY: run test check lint bench install demo-city messages clean

# The environment is rebuilt only when the lock file changes.
$(VENV)/.installed: uv.lock pyproject.toml
	@test -x $(PY) || { python=$$(scripts/find-python) && echo "Using $$python" && $$python -m venv $(VENV); }
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --quiet --python $(PY)
	@touch $@

install: $(VENV)/.installed

run: install
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py demo --scale small
	@echo
	@echo "Kota Cerdas Cirebon: http://127.0.0.1:$(PORT)   (Ctrl+C stops the server, the workers and the audit sequencer)"
	@echo "No SMS leaves this machine: sign-in codes and replies are at http://127.0.0.1:$(PORT)/pesan/berkas/"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --queue-name default --interval 1 & \
	  $(PY) manage.py db_worker --queue-name sms --interval 1 & \
	  $(PY) manage.py audit_sequencer & \
	  $(PY) manage.py runserver --skip-checks 127.0.0.1:$(PORT)

test: install
	@scripts/test

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy kotacerdas bench
	$(VENV)/bin/lint-imports

check: lint test

bench: install
	@$(PY) bench/run.py

messages: install
	scripts/messages

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
