# kaoping — the commands README.md names.  Everything runs in the project's uv environment.
PYTHON ?= python
UV := $(PYTHON) -m uv
RUN := $(UV) run --locked --no-sync

.PHONY: help uv sync assets demo test test-postgres check lint typecheck bench clean

help:
	@echo "make demo   the county assessment on the bundled (synthetic) demo data -> results.xlsx, then the platform filled with it on http://127.0.0.1:8000 (SERVE=0: not served)"
	@echo "make test   install what the tests need, then ruff, mypy, import contracts and pytest"
	@echo "make check  ruff, mypy and import contracts only"
	@echo "make test-postgres  the platform's tests (kaoping.web) against a throw-away PostgreSQL server"
	@echo "make bench  start-up (kaoping --help against import numpy), entropy + TOPSIS + ranking, uncertainty against NumPy and peers, published pages under gunicorn, a month of dispatch for 10,000 projects, Dagum Gini and Moran's I against NumPy and PySAL, the pipeline at 100,000 and 1,000,000 units (CSV, Parquet, xlsx, peak memory) against plain pandas, NumPy and XlsxWriter"

uv:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv

# [tool.uv] compile-bytecode: uv writes site-packages' .pyc at install; kaoping itself is
# installed editable (src/), which uv does not compile, so compileall does (PYTHONDONTWRITEBYTECODE
# would otherwise recompile every module of src on every run)
sync: uv assets
	$(UV) sync --locked --extra web
	@$(RUN) python -m compileall -q src
	@test -s node_modules/.kaoping-maps/henan.json || KAOPING_DEBUG=1 $(RUN) python -m kaoping.web build_maps

# the platform's front-end assets (ECharts), from the npm registry, served by Django locally
assets: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --silent

# the CLI's demo (results.xlsx), then the platform's: a fresh kaoping-demo.sqlite3 filled through
# the services, served on http://127.0.0.1:8000 (SERVE=0: fill it, do not serve); one line with
# the URL and the accounts once the login page answers
DEMO_DB := kaoping-demo.sqlite3
SERVE ?= 1
demo: sync
	$(RUN) kaoping demo -o results.xlsx
	rm -rf $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB)-media
	KAOPING_DEBUG=1 KAOPING_SQLITE_PATH=$(DEMO_DB) $(RUN) python -m kaoping.web demo $(if $(filter 1,$(SERVE)),--serve 127.0.0.1:8000)

lint: sync
	$(RUN) ruff check src tests benchmarks scripts
	$(RUN) ruff format --check src tests benchmarks scripts

typecheck: sync
	$(RUN) mypy src/kaoping/methods src/kaoping/scoring src/kaoping/methodology src/kaoping/analysis src/kaoping/dispatch src/kaoping/observation src/kaoping/report src/kaoping/chains src/kaoping/mujun src/kaoping/data/_columnar.py src/kaoping/data/panel.py src/kaoping/data/_xlsx_write.py src/kaoping/data/parks.py src/kaoping/data/parks_demo.py src/kaoping/assess/parks.py src/kaoping/assess/excel_charts.py src/kaoping/errors.py src/kaoping/__init__.py

check: lint typecheck
	$(RUN) lint-imports

# pytest on both cores (pytest-xdist): one worker process per core, each with its own test
# database (pytest-django: SQLite in each one's memory; test_kaoping_gw0, _gw1 on PostgreSQL).
# --dist loadfile: a test file runs whole in one worker, so a module-scoped fixture (a browser,
# the production child process, the demo's workbooks) is built once, not once per worker.
# TEST_WORKERS=0: a single process, as before.
TEST_WORKERS ?= 2
PYTEST := pytest -q -n $(TEST_WORKERS) --dist loadfile

test: check
	$(RUN) $(PYTEST)

# CI runs this after `make test`: the same web tests on a real PostgreSQL server on loopback
PG_TEST_PORT ?= 55432
test-postgres: sync
	@dir=$$(mktemp -d /tmp/kaoping-pg.XXXXXX); \
	url=$$(scripts/pg-test-server start $$dir $(PG_TEST_PORT)) || exit 1; \
	KAOPING_DATABASE_URL=$$url $(RUN) $(PYTEST) tests/web; status=$$?; \
	scripts/pg-test-server stop $$dir; rm -rf $$dir; exit $$status

# the environment of `make sync` plus the peers (the bench group), bytecode compiled as there
bench: uv
	$(UV) sync --locked --extra web --group bench
	@$(RUN) python -m compileall -q src
	$(RUN) python benchmarks/bench_startup.py; startup=$$?; \
	$(RUN) python benchmarks/bench_entropy_topsis.py; first=$$?; \
	$(RUN) python benchmarks/bench_uncertainty.py; second=$$?; \
	$(RUN) python benchmarks/bench_pages.py; pages=$$?; \
	$(RUN) python benchmarks/bench_dispatch.py; dispatch=$$?; \
	$(RUN) python benchmarks/bench_inequality.py; inequality=$$?; \
	$(RUN) python benchmarks/bench_spatial.py; spatial=$$?; \
	$(RUN) python benchmarks/bench_scale.py; scale=$$?; \
	test $$startup -eq 0 && test $$first -eq 0 && test $$second -eq 0 && test $$pages -eq 0 \
		&& test $$dispatch -eq 0 && test $$inequality -eq 0 && test $$spatial -eq 0 \
		&& test $$scale -eq 0

clean:
	rm -rf .venv node_modules .pytest_cache .mypy_cache .ruff_cache results.xlsx kaoping-demo.sqlite3* kaoping-cache
