"""Site-wide middleware: a deadline for the database, a 503 page when the database is
unreachable, sessions that survive it, and a cap on the size of a request."""

from django.conf import settings
from django.contrib.sessions import middleware as django_sessions
from django.http import HttpResponse

from icma_site.health import is_database_unavailable, service_unavailable_response
from icma_site.postgresql.base import deadline


class DatabaseDeadlineMiddleware:
    """Gives each request DATABASE_REQUEST_TIMEOUT seconds, in all, to wait for PostgreSQL
    (icma_site/postgresql/base.py): a database that stops answering makes the request fail
    with an OperationalError, answered with the 503 page, instead of hanging until gunicorn
    kills the worker. Comes first, so that everything after it is bounded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with deadline(settings.DATABASE_REQUEST_TIMEOUT):
            return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answers 503 (templates/503.html, with Retry-After) when the view or its template
    fails because the database cannot be reached, instead of a 500 and a traceback.

    Failures outside the view (another middleware, an error page) reach the handler500
    view, icma_site.health.server_error, which answers the same 503. Nothing here keeps
    state: once the database is back, the next request reconnects (CONN_HEALTH_CHECKS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return service_unavailable_response(exception)
        return None


class SessionMiddleware(django_sessions.SessionMiddleware):
    """Django's, except that an error response leaves the session alone.

    Staff sessions are extended on every request (SESSION_SAVE_EVERY_REQUEST: they end
    after a working day of inactivity), which reads the session from the database on the
    way out. When the database is what failed, that read would turn the friendly 503
    into a second failure; the session is not saved on a 5xx anyway.
    """

    def process_response(self, request, response):
        if response.status_code >= 500:
            return response
        return super().process_response(request, response)


class RequestSizeLimitMiddleware:
    """Refuses (413) a request whose body is larger than the site ever needs: a form is a
    few kilobytes (MAX_REQUEST_BYTES), and only the CSV import takes an upload
    (MAX_UPLOAD_REQUEST_BYTES, at UPLOAD_PATHS). Django caps form fields but still reads
    and spools file parts of any size, whatever the form expects. A body sent without a
    Content-Length is not read at all. Placed inside the security headers' middleware,
    so that the refusal carries them too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        upload = request.path_info in settings.UPLOAD_PATHS
        limit = settings.MAX_UPLOAD_REQUEST_BYTES if upload else settings.MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                f"This request is too large: the most this address accepts is "
                f"{limit // 1024:,} KB.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
