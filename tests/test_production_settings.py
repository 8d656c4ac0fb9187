"""icma_site.settings.production, icma_site.wsgi and gunicorn.conf.py, each loaded in a
fresh process (or namespace) with a controlled environment."""

import json
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Variables the settings and gunicorn.conf.py read: none leaks in from the outside.
READ_FROM_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "PAGE_CACHE",
    "CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "STATIC_ROOT",
    "RELEASE",
    "BIND",
    "PORT",
    "WEB_CONCURRENCY",
    "LOG_LEVEL",
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_REQUEST_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_KEEPALIVE_IDLE",
    "DATABASE_TCP_USER_TIMEOUT",
}
SECRET = secrets.token_urlsafe(50)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "icma_site.settings.production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "partners.example.org",
    "DATABASE_URL": "postgres://icma:db-password@db.internal:5432/icma",
}
SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
database = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": database["ENGINE"],
    "CONN_MAX_AGE": database["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": database["CONN_HEALTH_CHECKS"],
    "connect_timeout": database["OPTIONS"].get("connect_timeout"),
    "OPTIONS": database["OPTIONS"],
    "DATABASE_REQUEST_TIMEOUT": settings.DATABASE_REQUEST_TIMEOUT,
    "LOG_LEVEL": settings.LOGGING["root"]["level"],
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "PAGE_CACHE_ENABLED": settings.PAGE_CACHE_ENABLED,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "STATIC_ROOT": str(settings.STATIC_ROOT),
    "MIDDLEWARE": settings.MIDDLEWARE,
    "LOG_STREAM": settings.LOGGING["handlers"]["console"].get("stream"),
}))
"""


def run(arguments, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        # Not even DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set.
        if key not in READ_FROM_ENVIRONMENT and not key.startswith("DJANGO_")
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def production_settings(**overrides):
    environment = {**PRODUCTION, **overrides}
    result = run(["-c", SHOW_SETTINGS], **{k: v for k, v in environment.items() if v is not None})
    return result


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    result = production_settings(**{missing: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is not set" in result.stderr


def test_production_refuses_a_blank_secret_key():
    result = production_settings(SECRET_KEY="   ")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings():
    result = production_settings(STATIC_ROOT="/srv/icma/static", DEBUG="true")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False  # Whatever DEBUG says.
    assert values["ENGINE"] == "icma_site.postgresql"  # Django's, with a request deadline.
    assert values["CONN_MAX_AGE"] == 600
    assert values["CONN_HEALTH_CHECKS"] is True
    assert values["connect_timeout"] == 5
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["STATIC_ROOT"] == "/srv/icma/static"
    assert values["LOG_STREAM"] == "ext://sys.stdout"
    middleware = values["MIDDLEWARE"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )


def test_production_cache_is_local_memory_without_redis_url():
    values = json.loads(production_settings().stdout)
    assert values["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["PAGE_CACHE_ENABLED"] is False


def test_production_cache_is_redis_with_redis_url():
    values = json.loads(production_settings(REDIS_URL="redis://cache.internal:6379/0").stdout)
    assert values["CACHE"] == "icma_site.redis_cache.RedisCache"  # Django's, one client per pool
    assert values["CACHE_LOCATION"] == "redis://cache.internal:6379/0"
    assert values["PAGE_CACHE_ENABLED"] is True


def test_check_deploy_reports_no_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_does_complain_about_a_weak_secret_key():
    # The check is real: the same command fails on a poor key.
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **{**PRODUCTION, "SECRET_KEY": "short"},
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_wsgi_defaults_to_production_settings():
    # gunicorn without DJANGO_SETTINGS_MODULE is never a debug server.
    result = run(["-c", "import icma_site.wsgi"])
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    result = run(
        ["-c", "import icma_site.wsgi; from django.conf import settings; print(settings.DEBUG)"],
        **{k: v for k, v in PRODUCTION.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_manage_py_still_defaults_to_development():
    result = run(["manage.py", "diffsettings", "--output", "unified"])
    assert result.returncode == 0, result.stderr
    assert "+ DEBUG = True" in result.stdout


def gunicorn_config(monkeypatch, **environment):
    for name in ("BIND", "PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_workers_come_from_the_cpu_count(monkeypatch):
    config = gunicorn_config(monkeypatch)
    cpus = len(os.sched_getaffinity(0))
    assert config["workers"] == 2 * cpus + 1
    assert gunicorn_config(monkeypatch, WEB_CONCURRENCY="1")["workers"] == 1
    assert gunicorn_config(monkeypatch, WEB_CONCURRENCY="999")["workers"] == 2 * cpus + 1


def test_gunicorn_binds_to_localhost_by_default_and_to_port_or_bind(monkeypatch):
    assert gunicorn_config(monkeypatch)["bind"] == ["127.0.0.1:8000"]
    assert gunicorn_config(monkeypatch, PORT="9000")["bind"] == ["0.0.0.0:9000"]
    assert gunicorn_config(monkeypatch, BIND="10.0.0.2:80,unix:/run/icma.sock")["bind"] == [
        "10.0.0.2:80",
        "unix:/run/icma.sock",
    ]


def test_gunicorn_logs_access_to_stdout_and_has_timeouts(monkeypatch):
    config = gunicorn_config(monkeypatch, FORWARDED_ALLOW_IPS="10.0.0.0/8")
    assert config["accesslog"] == "-"
    assert config["timeout"] == 30 and config["graceful_timeout"] == 30
    assert config["forwarded_allow_ips"] == "10.0.0.0/8"
    assert config["wsgi_app"] == "icma_site.wsgi:application"


def test_production_database_does_not_wait_for_ever():
    values = json.loads(production_settings().stdout)
    assert values["OPTIONS"] == {
        "connect_timeout": 5,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
        "options": "-c statement_timeout=30000",
    }
    assert values["DATABASE_REQUEST_TIMEOUT"] == 4


def test_production_database_timeouts_come_from_the_environment():
    values = json.loads(
        production_settings(
            DATABASE_CONNECT_TIMEOUT="3",
            DATABASE_REQUEST_TIMEOUT="2.5",
            DATABASE_STATEMENT_TIMEOUT="0",
            DATABASE_KEEPALIVE_IDLE="60",
            DATABASE_TCP_USER_TIMEOUT="1.5",
        ).stdout
    )
    assert values["OPTIONS"]["connect_timeout"] == 3
    assert values["OPTIONS"]["keepalives_idle"] == 60
    assert values["OPTIONS"]["tcp_user_timeout"] == 1500
    assert values["OPTIONS"]["options"] == "-c statement_timeout=0"
    assert values["DATABASE_REQUEST_TIMEOUT"] == 2.5


def test_production_database_url_options_win():
    url = "postgres://icma:pw@db.internal:5432/icma?connect_timeout=10&options=-c%20search_path%3Dicma"
    options = json.loads(production_settings(DATABASE_URL=url).stdout)["OPTIONS"]
    assert options["connect_timeout"] == 10
    assert options["options"] == "-c search_path=icma"
    assert options["keepalives"] == 1


@pytest.mark.parametrize("value", ["soon", "-1", "1e9"])
def test_production_refuses_a_timeout_that_is_not_seconds(value):
    result = production_settings(DATABASE_REQUEST_TIMEOUT=value)
    assert result.returncode != 0
    assert f"DATABASE_REQUEST_TIMEOUT must be a number of seconds, not {value!r}" in result.stderr


@pytest.mark.parametrize(("value", "level"), [("warning", "WARNING"), (" Error ", "ERROR")])
def test_log_level_in_any_case_boots(value, level):
    result = production_settings(LOG_LEVEL=value)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["LOG_LEVEL"] == level


def test_unknown_log_level_is_a_clear_error():
    result = production_settings(LOG_LEVEL="verbose")
    assert result.returncode != 0
    assert (
        "LOG_LEVEL must be one of debug, info, warning, error, critical; not 'verbose'"
        in result.stderr
    )
    assert "Unable to configure root logger" not in result.stderr


def test_gunicorn_log_level_in_any_case(monkeypatch):
    assert gunicorn_config(monkeypatch, LOG_LEVEL="WARNING")["loglevel"] == "warning"
    with pytest.raises(SystemExit, match="LOG_LEVEL must be one of"):
        gunicorn_config(monkeypatch, LOG_LEVEL="loud")
