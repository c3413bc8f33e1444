# SoMe-portalen. `make run` starts the demo; `make test` runs every test.
# Both set up what they need first, on a fresh machine too.

PYTHON ?= $(shell command -v python3.13 2>/dev/null || echo $(HOME)/.pyenv/versions/3.13.0/bin/python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
# The suite runs in parallel, one worker a core (at most four); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

.PHONY: run test ci setup install assets messages makemessages migrate system-packages lint format bench bench-load bench-compare accessibility-results clean backup restore docs-screenshots

run: setup
	$(PY) manage.py demo_load
	$(PY) manage.py run_portal --port $(PORT)

test: system-packages setup
	$(PYTEST) $(PYTEST_ARGS)

ci: system-packages setup lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PYTEST) $(PYTEST_ARGS)

setup: install assets messages migrate

install: $(VENV)/.installed

# pip prints errors only: warnings about the machine's own package sources are not the portal's to act on.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 13), "Python 3.13 is needed; set PYTHON=/path/to/python3.13"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --quiet --upgrade pip
	$(PY) -m pip install --quiet --quiet -r requirements-dev.txt
	touch $@

assets: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/inter
	cp node_modules/@digdir/designsystemet-theme/src/themes/designsystemet.css static/vendor/designsystemet-theme.css
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet.css
	cp node_modules/@fontsource/inter/files/inter-latin-400-normal.woff2 \
	   node_modules/@fontsource/inter/files/inter-latin-600-normal.woff2 \
	   node_modules/@fontsource/inter/files/inter-latin-700-normal.woff2 static/vendor/inter/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/
	touch $@

messages: install
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory system-packages
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# After changing strings: update every catalogue (the project's and each app's own), translate
# the new entries, then `make messages`. No source locations, so catalogues change only with the text.
makemessages: install
	$(PY) manage.py makemessages -l nb -l nn -l en --no-location --no-obsolete \
	  --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests

migrate: install assets
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0

# The browser, pdftotext and PostgreSQL for the tests, from Debian's packages, where missing. apt's
# own chatter (debconf's notes among it) is shown only if the install fails.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium chromium-driver"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  log=$$(mktemp); \
	  if ! { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; } >$$log 2>&1; \
	  then cat $$log; rm -f $$log; echo "Could not install:$$missing"; exit 1; fi; \
	  rm -f $$log; \
	fi

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# A consistent backup of the database and the portal's files into var/backups/ (safe while
# the portal runs); restore one into an empty database with make restore FILE=var/backups/….
backup: install
	$(PY) manage.py portal_backup

restore: install
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=var/backups/some-portalen-….tar.gz"; exit 2; }
	$(PY) manage.py portal_restore "$(FILE)"
	$(PY) manage.py migrate --noinput -v 0

# Before a release: the accessibility sweep, which writes the statement's results file
# (docs/accessibility.md); commit the file with the release.
accessibility-results: install
	A11Y_RESULTS=accessibility/data/check-results.json $(PYTEST) -p tests.a11y_results tests/test_a11y_sweep.py \
	  --deselect tests/test_a11y_sweep.py::test_the_statement_lists_what_the_sweep_knows
	$(PY) manage.py accessibility_results --check
	$(PY) -m pytest -p no:xdist -q tests/test_a11y_sweep.py::test_the_statement_lists_what_the_sweep_knows

bench: setup
	$(PY) bench/pages.py
	$(PY) bench/registry.py
	$(PY) bench/sso_sync.py
	$(PY) bench/courses.py
	$(PY) bench/throttle.py
	$(PY) bench/evaluations.py

# The portal served as in production under wrk, at national scale, on PostgreSQL and SQLite, and on
# two web nodes (bench/load.py; about 7 minutes on 2 cores, stops by itself).
bench-load: system-packages setup
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/load.py

# Before and after a change, side by side (bench/compare.py): make bench-compare BEFORE=<commit>
bench-compare: system-packages setup
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/compare.py $(BEFORE)

clean:
	rm -rf $(VENV) node_modules static/vendor var

# The screenshots in docs/using.md, from a demo that runs (make run) on PORT.
docs-screenshots: install
	$(PY) docs/screenshots.py --base-url http://127.0.0.1:$(PORT)
