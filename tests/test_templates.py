"""The site's Django templates: the frame (templates/frame.html, with the blocks pages
extend in templates/base.html), its partials, and the translations they write."""

import re
from html import unescape

import polib
import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template, engines
from django.test import RequestFactory
from django.utils import translation


def render(source, request=None):
    """The template `source`, rendered as a view renders it (with `request`) or as the 500
    page is (without one)."""
    context = RequestContext(request) if request else Context()
    return Template(source).render(context)


def test_a_page_gives_its_title_and_description_once_for_both_of_their_tags(rf):
    html = render(
        '{% extends "base.html" %}{% block title %}Partners in Kenya{% endblock %}'
        "{% block meta_description %}ICMA partners in Kenya.{% endblock %}",
        request=rf.get("/countries/kenya/"),
    )
    assert "<title>Partners in Kenya · ICMA International</title>" in html
    assert '<meta property="og:title" content="Partners in Kenya">' in html
    assert '<meta name="description" content="ICMA partners in Kenya.">' in html
    assert '<meta property="og:description" content="ICMA partners in Kenya.">' in html


def test_a_page_without_a_title_has_the_directorys(rf):
    html = render('{% extends "base.html" %}', request=rf.get("/"))
    assert "<title>Partner directory · ICMA International</title>" in html
    assert '<meta property="og:title" content="Partner directory">' in html


@pytest.mark.parametrize(
    ("block", "written"),
    [
        ("head", '<meta name="robots" content="noindex">'),
        ("structured_data", '<script type="application/ld+json">{}</script>'),
        ("breadcrumbs", '<nav class="breadcrumbs">…</nav>'),
        ("content", "<p>The page.</p>"),
    ],
)
def test_every_block_a_page_fills_is_written(rf, block, written):
    html = render(
        '{% extends "base.html" %}{% block ' + block + " %}" + written + "{% endblock %}",
        request=rf.get("/about/"),
    )
    assert written in html


def test_an_error_page_written_without_a_request_has_no_canonical_address():
    html = render('{% extends "base.html" %}')
    assert 'rel="canonical"' not in html and "og:url" not in html and "hreflang" not in html


@pytest.mark.parametrize(
    ("language", "status"),
    [("en", "Page 1,000 of 2,000"), ("fr", "Page 1\xa0000 sur 2\xa0000")],
)
def test_the_pagination_writes_numbers_in_the_pages_language(language, status):
    page = Paginator(range(2000), 1).page(1000)
    request = RequestFactory().get("/partners/", {"page": 1000})
    with translation.override(language):
        html = (
            engines["django"]
            .get_template("includes/pagination.html")
            .render({"page_obj": page, "page_range": [999, 1000, 1001]}, request)
        )
    assert f'<p class="pagination__status">{status}</p>' in html


def test_the_pagination_keeps_the_filters():
    page = Paginator(range(10), 2).page(2)
    request = RequestFactory().get("/partners/", {"q": "kenya", "type": "bilateral", "page": 2})
    html = (
        engines["django"]
        .get_template("includes/pagination.html")
        .render({"page_obj": page, "page_range": page.paginator.page_range}, request)
    )
    links = re.findall(r'href="([^"]*)"', html)
    assert "?q=kenya&amp;type=bilateral&amp;page=3" in links
    assert all("q=kenya" in link and "type=bilateral" in link for link in links)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_translation_takes_its_messages_values(language):
    """A translation with other placeholders than its message would not be filled: the
    page would show the English message instead."""
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    catalogue = polib.pofile(settings.BASE_DIR / "locale" / language / "LC_MESSAGES/django.po")
    for entry in catalogue.translated_entries():
        expected = set(placeholder.findall(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert set(placeholder.findall(form)) <= expected | set(
                placeholder.findall(entry.msgid_plural or "")
            ), entry.msgid


@pytest.mark.parametrize("query", ["d'ivoire", '"><script>alert(1)</script>', "O'Brien & Sons"])
def test_a_search_is_written_back_escaped(client, directory, query):
    html = client.get("/partners/", {"q": query}).content.decode()
    assert "<script>alert" not in html
    written = re.findall(r'<input type="search" name="q" id="id_q" value="([^"]*)"', html)
    assert [unescape(value) for value in written] == [query]


def test_every_template_is_compiled_before_the_workers_start():
    """icma_site/wsgi.py compiles every template of templates/, found by walking it."""
    from icma_site import wsgi

    names = wsgi.site_templates()
    assert {"base.html", "frame.html", "includes/partner_cards.html", "404.html"} <= set(names)
    assert len(names) == len(list((settings.BASE_DIR / "templates").rglob("*.html")))
