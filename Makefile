.PHONY: run test setup lint format messages services-start services-stop clean

run:  ## Set up, migrate, load the demo data, start web + Celery worker + beat
	scripts/run.sh

test:  ## Set up and run the whole suite (lint, migrations check, tests)
	scripts/test.sh

setup:
	scripts/setup.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:  ## Refresh the German and English message files after changing texts
	.venv/bin/python scripts/makemessages.py

clean:
	rm -rf var frontend/vendor/vendor

# --- Production shape (docker/README.md) ---------------------------------------------------
.PHONY: prod-like prod-like-stop prod-like-status docker-check

prod-like:  ## Start PostgreSQL, Redis, gunicorn, two Celery workers and beat on loopback
	scripts/prod_like.sh start

prod-like-stop:
	scripts/prod_like.sh stop

prod-like-status:
	scripts/prod_like.sh status

docker-check:  ## Validate docker/compose.yaml, lint docker/Dockerfile, validate docker/Caddyfile
	scripts/setup.sh
	.venv/bin/pytest -q tests/deploy/test_container_files.py
