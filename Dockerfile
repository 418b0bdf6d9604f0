# syntax=docker/dockerfile:1
#
# The production image: one image for every app service in docker-compose.yml (web,
# migrate, worker, beat); only the command differs. See docs/deploy.md.

# ---------------------------------------------------------------------------
# Stage 1: compile the GOV.UK Frontend assets (static/src -> static/build).
# ---------------------------------------------------------------------------
FROM node:20-slim AS assets

WORKDIR /src
# Dependencies first, so this layer is cached until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/ static/
RUN npm run build

# ---------------------------------------------------------------------------
# Stage 2: the application.
# ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# WeasyPrint's system libraries (Pango, HarfBuzz) and the fonts the PDFs use. Not pinned:
# bookworm's security updates should come in with each rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user to run as. Its home is writable (fontconfig's cache);
# the application code is not.
RUN groupadd --system --gid 10001 cspr \
    && useradd --system --uid 10001 --gid cspr --create-home --home-dir /home/cspr \
        --shell /usr/sbin/nologin cspr

WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
COPY --from=assets /src/static/build/ static/build/

# Collect static files with the production storage (whitenoise's compressed manifest),
# so the manifest matches what production looks up. The production settings refuse to
# load without a secret key, database and broker: these are build-time dummies, set on
# this command only (never in the image's environment), and nothing connects to them.
# (cspr.settings.local cannot be used here: it has no STATIC_ROOT and no manifest.)
RUN DJANGO_SETTINGS_MODULE=cspr.settings.production \
    SECRET_KEY=build-time-only-collectstatic-dummy-never-used-at-run-time-0000000000 \
    DATABASE_URL=sqlite:////tmp/collectstatic-dummy.sqlite3 \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    python manage.py collectstatic --noinput

# Uploaded and generated files: the only place the app writes. docker compose mounts
# a named volume here, which takes this ownership when it is first created.
RUN mkdir -p /app/var/media && chown cspr:cspr /app/var/media

ENV DJANGO_SETTINGS_MODULE=cspr.settings.production \
    MEDIA_ROOT=/app/var/media

# Numeric, so orchestrators can check it is not root without reading /etc/passwd.
USER 10001:10001

EXPOSE 8000

# No HEALTHCHECK here: the worker and beat run this image too and serve no HTTP;
# docker-compose.yml gives the web service its own.
# --timeout 120: the collated pack's PDF of a thousand chronology rows takes about 30 s to
# lay out (docs/benchmarks.md); gunicorn's default of 30 s would cut it off.
CMD ["gunicorn", "cspr.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
