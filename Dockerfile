# One image for web (gunicorn), worker (celery worker) and beat (celery beat); see
# docker-compose.yml. No secrets are baked in: every setting comes from the environment at
# run time (see .env.example). collectstatic runs when `web` starts, because the settings
# refuse to load without the production secrets.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # Import the project from /app (not the copy pip puts in site-packages), so BASE_DIR is
    # /app and templates/, static/ and staticfiles/ are found there, whatever the entry point.
    PYTHONPATH=/app

WORKDIR /app

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

COPY pyproject.toml manage.py ./
COPY cccc ./cccc
COPY families ./families
COPY volunteers ./volunteers
COPY disclosures ./disclosures
COPY retention ./retention
COPY overview ./overview
COPY tools ./tools
COPY templates ./templates
COPY static ./static

# Installs the dependencies (and the project itself) from pyproject.toml; the build leftovers
# are removed so the source tree holds only source. Only staticfiles/ is writable by the app.
RUN pip install --no-cache-dir . \
    && rm -rf build ./*.egg-info \
    && mkdir -p /app/staticfiles \
    && chown app:app /app/staticfiles

USER app

EXPOSE 8000

CMD ["gunicorn", "cccc.wsgi:application", "--config", "python:cccc.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "3"]
