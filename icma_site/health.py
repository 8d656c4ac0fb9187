"""Availability: the /healthz probe for load balancers, and the 503 page shown while the
database cannot be reached.

Neither touches anything but the database connection: no session, no user, no context
processor, so they still answer when the database (or Redis) is away.
"""

import ipaddress
import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from icma_site.clients import client_address, normalized

logger = logging.getLogger("icma_site.health")

HEALTH_CHECK_PATHS = {"/healthz", "/healthz/"}

# Shown if templates/503.html itself cannot be rendered.
PLAIN_503 = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<title>Temporarily unavailable · ICMA International</title>"
    "<h1>The partner directory is temporarily unavailable</h1>"
    "<p>Please try again in a few minutes.</p></html>"
)
PLAIN_400 = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<title>Bad request · ICMA International</title>"
    "<h1>The site could not read this request</h1>"
    "<p>Please go back and try again.</p></html>"
)
PLAIN_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<title>Something went wrong · ICMA International</title>"
    "<h1>Something went wrong on our side</h1>"
    "<p>Please try again later.</p></html>"
)


def database_status():
    """'ok' when the database answers a trivial query, else 'unreachable'."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not healthy"
        logger.warning("Health check: the database does not answer: %s", one_line(error))
        return "unreachable"
    return "ok"


def cache_status():
    """'ok' when the cache answers, else 'unreachable'. Informative only: pages are served
    without the cache when it is away."""
    try:
        cache.get("healthz-probe")
    except Exception as error:
        logger.warning("Health check: the cache does not answer: %s", one_line(error))
        return "unreachable"
    return "ok"


def may_see_detail(request):
    """Whether this client may learn which services failed (settings.HEALTH_DETAIL_FROM)."""
    address = normalized(client_address(request))
    if address is None:
        return False
    address = ipaddress.ip_address(address)
    return any(address in network for network in settings.HEALTH_DETAIL_FROM)


def healthz(request):
    """200 {"status": "ok"} when the database answers, 503 when it does not; which of the
    database and the cache answer, only for monitoring's addresses."""
    database = database_status()
    healthy = database == "ok"
    body = {"status": "ok" if healthy else "unavailable"}
    if may_see_detail(request):
        body.update(database=database, cache=cache_status())
    response = JsonResponse(body, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """Answers /healthz before anything else looks at the request: load balancers probe
    app servers by address, with a Host header that is not in ALLOWED_HOSTS, over plain
    HTTP (SECURE_REDIRECT_EXEMPT keeps SecurityMiddleware from redirecting it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in HEALTH_CHECK_PATHS and request.method in {"GET", "HEAD"}:
            return healthz(request)
        return self.get_response(request)


def is_database_unavailable(exception):
    """Whether `exception` (or what caused it) says the database cannot be reached."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def service_unavailable_response(exception=None):
    """The 503 page, rendered without the request (so without sessions, users or context
    processors, which would query the database)."""
    if exception is not None:
        logger.warning("Database unavailable, answering 503: %s", one_line(exception))
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER
    try:
        content = render_to_string("503.html", {"retry_after": retry_after})
    except Exception:
        logger.exception("Cannot render 503.html; sending a plain page")
        content = PLAIN_503
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def server_error(request, template_name="500.html"):
    """handler500: the friendly 500 page, or the 503 page when the error was the database
    being unreachable (raised outside a view, where DatabaseUnavailableMiddleware cannot
    see it). Rendered without context, like Django's own."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return service_unavailable_response(error)
    try:
        content = render_to_string(template_name)
    except Exception:
        logger.exception("Cannot render %s; sending a plain page", template_name)
        content = PLAIN_500
    return HttpResponse(content, status=500)


def bad_request(request, exception):
    """handler400. Django's own gives its page a CSRF token by running the CSRF check,
    which reads the form again: when the form itself was the bad input (a charset Django
    cannot read), that fails the same way, and the 400 became a 500. This one renders
    without the request."""
    try:
        content = render_to_string("400.html")
    except Exception:
        logger.exception("Cannot render 400.html; sending a plain page")
        content = PLAIN_400
    return HttpResponseBadRequest(content)


def one_line(error):
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
