"""One address per page: one cache entry, and one address for search engines.

A page names the query parameters it uses (`query_parameters` on its view); its
canonical address keeps only those, each once, none empty. Views with
CanonicalQueryMixin redirect any other address there, so `?q=&country=` (a filter form
sent with empty fields) is the plain page. The page cache keys pages on their parameters
sorted, and stores only canonical addresses, host included (`is_canonical_host`).
"""

from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect, QueryDict
from django.http.request import split_domain_port


def needs_redirect(query, parameters):
    """Whether the QueryDict `query` has a parameter the page does not use, an empty
    one, or one given more than once."""
    return any(
        name not in parameters or len(values) > 1 or not values[-1].strip()
        for name, values in query.lists()
    )


def canonical_query(query, parameters):
    """The canonical query string for `query` on a page that uses `parameters`: those
    parameters in that order, each with its last non-empty value."""
    kept = QueryDict(mutable=True)
    for name in parameters:
        value = query.get(name)
        if value is not None and value.strip():
            kept[name] = value
    return kept.urlencode()


def sorted_query(query):
    """`query` with its parameters sorted: the same string however they were ordered."""
    return urlencode(sorted((name, value) for name, values in query.lists() for value in values))


def page_parameters(request):
    """The query parameters the page that answered `request` uses (none, when its view
    does not say). Known once the URL has been resolved."""
    match = getattr(request, "resolver_match", None)
    view = getattr(getattr(match, "func", None), "view_class", None)
    return getattr(view, "query_parameters", ())


def canonical_query_of(request):
    """The query string of the page's canonical address: only the query parameters its
    view uses, each once, page 1 being the page itself."""
    canonical = QueryDict(canonical_query(request.GET, page_parameters(request)), mutable=True)
    if canonical.get("page") == "1":
        del canonical["page"]
    return canonical.urlencode()


def canonical_address(request):
    """The page's absolute canonical address ("" without a request: an error page)."""
    if not request:
        return ""
    query = canonical_query_of(request)
    address = request.build_absolute_uri(request.path)
    return f"{address}?{query}" if query else address


def is_canonical_host(request):
    """Whether the request's Host is its host name as Django reads it (in lower case,
    without a trailing dot), alone or with the port the server listens on.

    Pages name the Host in their absolute links (canonical, Open Graph, JSON-LD, the
    exports' URLs), and ALLOWED_HOSTS lets any port, case or trailing dot through, so only
    these two forms of each allowed name are stored: a page asked for as `localhost:1001`
    is served but never stored, and the key `localhost`'s visitors read never holds it.
    The server's own port needs no setting and fits wherever the site runs (no port behind
    the TLS proxy; runserver's or gunicorn's in development and the benchmarks). A
    configured canonical origin would allow a single form, but only once every absolute
    link is built from it rather than from the request."""
    host = request.get_host()
    name, _port = split_domain_port(host)
    return host in {name, f"{name}:{request.get_port()}"}


def is_canonical(request):
    """Whether `request` asks for its page's canonical address: host and query."""
    return is_canonical_host(request) and not needs_redirect(request.GET, page_parameters(request))


class CanonicalQueryMixin:
    """Redirects (301) a GET or HEAD to the view's canonical address."""

    query_parameters = ()

    def dispatch(self, request, *args, **kwargs):
        if request.method in {"GET", "HEAD"} and needs_redirect(request.GET, self.query_parameters):
            query = canonical_query(request.GET, self.query_parameters)
            return HttpResponsePermanentRedirect(
                f"{request.path}?{query}" if query else request.path
            )
        return super().dispatch(request, *args, **kwargs)
