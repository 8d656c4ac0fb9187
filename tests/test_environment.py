"""Settings from the environment (icma_site/settings/environment.py): each bad value is
refused with one line naming the variable; gunicorn's settings are checked the same way."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from icma_site.settings.environment import env_bool, env_int, env_list, env_networks, env_seconds

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "parse, value, message",
    [
        (lambda: env_int("X_NUMBER", 1, minimum=1), "abc", "X_NUMBER must be a whole number"),
        (lambda: env_int("X_NUMBER", 1, minimum=1), "0", "of at least 1, not '0'"),
        (lambda: env_bool("X_NUMBER"), "maybe", "X_NUMBER must be true or false"),
        (lambda: env_seconds("X_NUMBER", 1), "-3", "X_NUMBER must be a number of seconds"),
        (lambda: env_networks("X_NUMBER", []), "10.0.0.0/33", "X_NUMBER must list IP addresses"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(monkeypatch, parse, value, message):
    monkeypatch.setenv("X_NUMBER", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        parse()
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_good_values_and_defaults(monkeypatch):
    monkeypatch.delenv("X_NUMBER", raising=False)
    assert env_int("X_NUMBER", 7) == 7
    monkeypatch.setenv("X_NUMBER", " 12 ")
    assert env_int("X_NUMBER", 7, minimum=1) == 12
    monkeypatch.setenv("X_NUMBER", "a, b,,c")
    assert env_list("X_NUMBER") == ["a", "b", "c"]
    monkeypatch.setenv("X_NUMBER", "yes")
    assert env_bool("X_NUMBER") is True


@pytest.mark.parametrize(
    "variable, value",
    [("WEB_CONCURRENCY", "abc"), ("GUNICORN_TIMEOUT", "-1"), ("GUNICORN_MAX_REQUESTS", "x")],
)
def test_gunicorns_settings_are_checked_with_one_line(variable, value):
    checked = subprocess.run(
        [sys.executable, "gunicorn.conf.py"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", variable: value},
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1
    assert checked.stderr.strip().splitlines() == [
        checked.stderr.strip()
    ] and checked.stderr.startswith(variable)


def test_a_unix_socket_needs_a_trusted_proxy():
    checked = subprocess.run(
        [sys.executable, "gunicorn.conf.py"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BIND": "unix:/run/icma.sock", "TRUSTED_PROXY_COUNT": "0"},
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1
    assert checked.stderr.startswith("TRUSTED_PROXY_COUNT must be at least 1")
