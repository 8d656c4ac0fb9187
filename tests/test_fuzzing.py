"""Property-based tests over every public URL (hypothesis): generated query strings, paths,
methods and headers never get a server error, never see their markup echoed unescaped,
and never make the page cache keep an entry for a URL that is not canonical.

Every public page of partners/pages.py is fuzzed (each example of it, and each page in
the other languages): a page added there is fuzzed here. FUZZ_EXAMPLES scales how many
requests each property sends (default 1: about 2,000 in all, a minute or so per database).
"""

import string
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from partners import pages
from tests.fuzz import examples

pytestmark = pytest.mark.django_db


def public_urls():
    """Every public page's examples (partners/pages.py), and each translated page's own
    address in the other languages, without the examples' queries (the fuzzer makes
    its own)."""
    urls = {page.path(example).split("?")[0] for page, example in pages.examples().values()}
    for page in pages.PAGES.values():
        if page.translated:
            urls |= {page.path(language=code) for code, _ in settings.LANGUAGES}
    return sorted(urls)


PUBLIC_URLS = public_urls()
# The query parameters the public pages read, with values they accept. The fuzzer uses
# these more often than made-up ones.
PARAMETERS = {
    "q": ["association", "india", "stmou", "união", "municipal league"],
    "country": ["IN", "in", "CZ", "za"],
    "region": ["europe", "Africa", "asia"],
    "type": ["bilateral", "multinational"],
    "page": ["1", "2", "last"],
}
# Markup that must never come back as markup.
MARKUP = "<x-fuzz onload=alert(1)>"


texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=40),
    st.sampled_from(["", " ", "%", "_", "\\", "'", '"', "0", "-1", "9" * 30, "x" * 3000]),
    st.just(MARKUP),
    st.builds(lambda a, b: a + MARKUP + b, st.text(max_size=8), st.text(max_size=8)),
)
values = st.one_of(
    st.sampled_from([value for choices in PARAMETERS.values() for value in choices]),
    texts,
)
names = st.one_of(st.sampled_from(list(PARAMETERS)), texts)
queries = st.lists(st.tuples(names, values), max_size=6)
methods = st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"])
# A WSGI server hands headers over as latin-1 strings: any byte but controls.
header_values = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0xFF), max_size=60),
    st.sampled_from(["*/*", "gzip, br", "bytes=0-10", 'W/"x"', MARKUP, "en;q=0.9, fr"]),
)
headers = st.dictionaries(
    st.sampled_from(
        [
            "accept",
            "accept-encoding",
            "accept-language",
            "cookie",
            "if-none-match",
            "if-modified-since",
            "range",
            "referer",
            "user-agent",
            "x-forwarded-proto",
            "x-forwarded-for",
        ]
    ),
    header_values,
    max_size=4,
)
# What happens to the path: nothing, a segment added, or its last segment replaced.
path_changes = st.one_of(
    st.just(None),
    st.tuples(st.sampled_from(["add", "replace"]), texts),
)


def fuzzed_path(url, change):
    if change is None:
        return url
    action, text = change
    segment = quote(text, safe="") or "x"
    if action == "add":
        return f"{url.rstrip('/')}/{segment}/"
    return f"{url.rstrip('/').rsplit('/', 1)[0]}/{segment}/"


def html_of(response):
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return response.content.decode("utf-8", errors="replace")


@examples(600)
@given(
    url=st.sampled_from(PUBLIC_URLS),
    change=path_changes,
    query=queries,
    method=methods,
    request_headers=headers,
)
def test_no_request_gets_a_server_error_or_its_markup_back(
    directory, url, change, query, method, request_headers
):
    client = Client(raise_request_exception=True)
    path = fuzzed_path(url, change)
    full = f"{path}?{urlencode(query)}" if query else path
    response = client.generic(method, full, headers=request_headers)
    assert response.status_code < 500, (method, full, request_headers)
    assert MARKUP.lower() not in html_of(response).lower(), (method, full)


@examples(100)
@given(url=st.sampled_from(PUBLIC_URLS), host=header_values)
def test_any_host_header_is_answered_and_never_echoed(directory, url, host):
    response = Client().get(url, headers={"host": host or "x"})
    assert response.status_code < 500
    assert MARKUP.lower() not in html_of(response).lower()


# Canonical requests: a public URL with parameters it knows, each once, with a value it
# accepts, in a stable order. The page cache may keep exactly these.
canonical_queries = st.dictionaries(
    st.sampled_from(["q", "country", "region", "type"]),
    st.sampled_from(["association", "IN", "europe", "bilateral"]),
    max_size=3,
).map(lambda chosen: sorted(chosen.items()))
unknown_names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=12).filter(
    lambda name: name not in PARAMETERS
)


@st.composite
def non_canonical(draw, query):
    """The same request made non-canonical: parameters reordered, unknown ones added,
    known ones left empty."""
    extra = draw(st.lists(st.tuples(unknown_names, st.text(max_size=10)), max_size=3))
    empty = draw(st.lists(st.sampled_from(sorted(PARAMETERS)), max_size=2, unique=True))
    empty = [(name, "") for name in empty if name not in dict(query)]
    changed = draw(st.permutations([*query, *extra, *empty]))
    if changed == query:  # Nothing changed: add an unknown parameter at least.
        changed = [*query, ("utm_source", draw(st.text(max_size=5)))]
    return changed


# Pages and exports the page cache stores.
CACHED_URLS = ["/", "/partners/", "/countries/india/", "/partners.csv", "/partners.json"]


def cached_entry_count():
    return len(cache._cache)  # The test settings' local-memory cache.


@examples(100)
@given(data=st.data())
def test_the_page_cache_keeps_no_entry_for_a_non_canonical_url(directory, settings, data):
    settings.PAGE_CACHE_ENABLED = True
    url = data.draw(st.sampled_from(["/", "/partners/", "/countries/", "/countries/india/"]))
    query = data.draw(canonical_queries) if url == "/partners/" else []
    variant = data.draw(non_canonical(query))
    cache.clear()
    client = Client()
    canonical = f"{url}?{urlencode(query)}" if query else url
    client.get(canonical)
    after_canonical = cached_entry_count()
    response = client.get(f"{url}?{urlencode(variant)}")
    assert response.status_code < 500
    assert cached_entry_count() == after_canonical, (canonical, variant)


# X-Forwarded-For as clients write it: addresses, junk, ports, spaces, nothing at all.
forwarded_entries = st.lists(
    st.one_of(
        st.ip_addresses().map(str),
        st.sampled_from(["", " ", "unknown", "203.0.113.9:443", "[2001:db8::1]", "::ffff:1.2.3.4"]),
        st.text(alphabet=string.printable.replace(",", ""), max_size=20),
    ),
    max_size=5,
)


@examples(300)
@given(
    proxies=st.integers(min_value=0, max_value=2),
    entries=st.one_of(st.none(), forwarded_entries),
    forged=forwarded_entries,
    remote=st.ip_addresses().map(str),
)
def test_what_a_client_writes_before_the_trusted_entries_changes_nothing(
    settings, proxies, entries, forged, remote
):
    from django.test import RequestFactory

    from icma_site.clients import client_address, normalized

    settings.TRUSTED_PROXY_COUNT = proxies

    def address(header):
        extra = {"REMOTE_ADDR": remote}
        if header is not None:
            extra["HTTP_X_FORWARDED_FOR"] = ",".join(header)
        return client_address(RequestFactory().get("/", **extra))

    honest = address(entries)
    # Never a placeholder shared by everyone: an address, the trusted entry's or the
    # connection's own.
    assert honest is not None and normalized(honest) == honest
    if entries is not None and proxies and len(entries) >= proxies:
        # Entries the client wrote in front of those the proxies appended are ignored.
        assert address([*forged, *entries]) == honest


@examples(60)
@given(
    proxies=st.integers(min_value=0, max_value=2),
    entries=st.one_of(st.none(), forwarded_entries),
)
def test_forged_or_missing_forwarded_for_never_breaks_a_form_or_the_sign_in(
    directory, settings, proxies, entries
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {} if entries is None else {"x-forwarded-for": ",".join(entries)}
    client = Client(raise_request_exception=True)
    correction = client.post(
        "/partners/canadian-association-of-municipal-administrators/correction/",
        {"what_is_wrong": "x", "right_value": "y"},
        headers=headers,
    )
    assert correction.status_code in {302, 429}
    sign_in = client.post(
        "/admin/login/", {"username": "nobody", "password": "wrong"}, headers=headers
    )
    assert sign_in.status_code in {200, 429}


@examples(60)
@given(port=st.integers(min_value=0, max_value=65535), url=st.sampled_from(CACHED_URLS))
def test_a_host_with_any_port_adds_no_cache_entry_and_poisons_none(directory, settings, port, url):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    client = Client()
    # Bodies read whole: an export is stored once it has been sent.
    plain = body_of(client.get(url, headers={"host": "localhost"}))
    after_plain = cached_entry_count()
    ported = client.get(url, headers={"host": f"localhost:{port}"})
    assert ported.status_code < 500
    body_of(ported)
    # The server's own port (the test client's 80) is the one other form kept.
    assert cached_entry_count() <= after_plain + (1 if port == 80 else 0)
    again = client.get(url, headers={"host": "localhost"})
    assert body_of(again) == plain


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
