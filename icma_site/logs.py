"""Logging: the level from the environment, and one short line for a forged Host header."""

import logging

from django.core.exceptions import ImproperlyConfigured

LEVELS = ("debug", "info", "warning", "error", "critical")
# The most characters of a rejected Host header that go into the log.
HOST_SHOWN = 80


def log_level(value, name="LOG_LEVEL"):
    """A level name as the logging module spells it ("WARNING") from any case of one of
    LEVELS (gunicorn spells them in lower case)."""
    level = (value or "").strip().lower()
    if level not in LEVELS:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(LEVELS)}; not {value!r}.")
    return level.upper()


class RejectedHostFilter(logging.Filter):
    """For django.security.DisallowedHost: a request with a Host header the site does not
    serve is a bot or a misconfigured client, not an error in the site. Django logs each
    one at ERROR with a full traceback and the header twice; this makes it one WARNING
    line, the header shortened and quoted."""

    def filter(self, record):
        request = getattr(record, "request", None)
        host = request.META.get("HTTP_HOST", "") if request is not None else ""
        shown = host if len(host) <= HOST_SHOWN else f"{host[:HOST_SHOWN]}…"
        record.msg = "Rejected a request for a host this site does not serve: %s"
        record.args = (ascii(shown),)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = record.stack_info = None
        return True


class RefusedRequestFilter(logging.Filter):
    """On the log handler: a request the site refused (a 4xx: not found, forbidden, bad
    input) is the client's mistake, not the site's. Django attaches the exception's
    traceback to some of those lines; this keeps the one line and drops the traceback.
    Server errors (5xx) keep theirs."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = record.exc_text = record.stack_info = None
        return True
