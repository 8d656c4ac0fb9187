"""icma_site/logs.py: the log level from the environment; a forged Host header logs one
short warning, not an ERROR with a traceback."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from icma_site.logs import log_level


@pytest.mark.parametrize(
    ("value", "level"),
    [("warning", "WARNING"), ("INFO", "INFO"), (" Debug ", "DEBUG"), ("critical", "CRITICAL")],
)
def test_log_level_in_any_case(value, level):
    assert log_level(value) == level


@pytest.mark.parametrize("value", ["verbose", "", "warn ing", "10"])
def test_unknown_log_level_is_refused_clearly(value):
    with pytest.raises(ImproperlyConfigured, match="LOG_LEVEL must be one of debug, info"):
        log_level(value)


@pytest.mark.django_db
def test_forged_host_logs_one_short_warning(client, caplog):
    host = "evil.example" + "x" * 500
    with caplog.at_level(logging.INFO, logger="django"):
        response = client.get("/partners/", headers={"host": host})
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    message = record.getMessage()
    assert message.startswith("Rejected a request for a host this site does not serve: ")
    assert message.count("evil.example") == 1
    assert len(message) < 200
    assert "\n" not in caplog.text.strip()


@pytest.mark.django_db
def test_forged_host_with_control_characters_stays_on_one_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="django"):
        client.get("/", headers={"host": "a\nb\x1b[31m"})
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert "\n" not in record.getMessage() and "\x1b" not in record.getMessage()
