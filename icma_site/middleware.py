"""Site-wide middleware: a 503 page when the database is unreachable; sessions that
survive it."""

from django.contrib.sessions import middleware as django_sessions

from .health import is_database_unavailable, service_unavailable_response


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
