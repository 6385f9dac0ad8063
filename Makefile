# CMI IMSS: `make run` sets up and starts the dashboard; `make test` sets up and runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
DB ?= data/cmi.duckdb

.PHONY: run test venv demo lint typecheck format bench browser postgres nginx shared-demo clean

run: venv $(DB)
	$(VENV)/bin/streamlit run app.py

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

$(DB): | venv
	$(PY) -m data.demo --db $(DB)

demo: venv
	$(PY) -m data.demo --db $(DB) --force

browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Falta /usr/bin/chromium: instálelo (apt-get install chromium) para las pruebas de navegador"; fi; }

# PostgreSQL for the shared mode's tests and `make shared-demo` (Debian's package, as root).
postgres:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "Falta PostgreSQL: instálelo (apt-get install postgresql) para el modo compartido"; fi; }

# nginx in front of several dashboard processes (deploy/proxy.sh; Debian's nginx-light, as root).
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "Falta nginx: instálelo (apt-get install nginx-light) para servir varios procesos en una dirección"; fi; }

# Two dashboards (ports 8501 and 8502) behind one address (:8500, nginx) and a CLI load on one
# DuckLake; see docs/despliegue.md.
shared-demo: venv postgres nginx
	PY=$(PY) bash deploy/shared-demo.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Scope and settings in pyproject.toml; the cache in .mypy_cache makes a re-run take seconds.
typecheck: venv
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Two workers (one per core): a third was tried and made browser tests time out under the load.
# Each test module stays on one worker; the longest modules go first (tests/schedule.py).
# mypy runs beside pytest; either failing fails. The suite runs «as of» one fixed day (tests/clock.py);
# then the modules marked `calendario` run again as of the other days that file names.
test: venv browser postgres nginx lint
	@$(VENV)/bin/mypy > $(VENV)/mypy.log 2>&1 & mypy=$$!; \
	$(PY) -m pytest -n 2 --dist loadscope --durations=30; tests=$$?; \
	for day in $$($(PY) -m tests.clock); do \
	  echo "== CMI_HOY=$$day: módulos que dependen del calendario"; \
	  CMI_HOY=$$day $(PY) -m pytest -n 2 --dist loadscope -m calendario -q -p no:cacheprovider || tests=1; \
	done; \
	wait $$mypy; types=$$?; echo "mypy:"; cat $(VENV)/mypy.log; \
	exit $$(( tests != 0 || types != 0 ))

bench: venv $(DB)
	$(PY) -m bench

clean:
	rm -rf $(VENV) $(DB) $(DB).wal tests/artifacts data/compartido data/proxy
