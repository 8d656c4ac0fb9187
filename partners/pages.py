"""Every public page, listed once.

The sitemap's fixed pages come from here (partners/opendata/sitemaps.py), and so do the
pages every test that walks the site visits: accessibility, HTML validity, right-to-left
layout, the languages, the fuzzer. A new public page is one more entry in PAGES, with an
example of its arguments and the states of it worth checking (EXAMPLES); nothing else
needs to list it.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation

# A partner and a country whose pages show every part of them (a bilateral partner with
# neighbours in its country; a country with several partners).
PARTNER = {"slug": "city-managers-association-of-karnataka"}
COUNTRY = {"slug": "india"}


@dataclass(frozen=True)
class Example:
    """One address of a page, in a state worth checking: a query, other arguments, the
    status it answers, and how many organizations the directory must hold for it (more
    than a page of results, for a paginated list)."""

    query: str = ""
    kwargs: dict | None = None
    status: int = 200
    organizations: int | None = None


@dataclass(frozen=True)
class Page:
    """A public address: its URL name, example arguments, whether people read it (HTML)
    or programs do (data), whether it is at /es/… and /fr/… too, and whether the sitemap
    lists it as it is (pages with arguments are listed per partner and per country by
    the sitemap's own sections)."""

    url_name: str
    kwargs: dict = field(default_factory=dict)
    html: bool = True
    translated: bool = True
    in_sitemap: bool = False
    examples: dict = field(default_factory=dict)

    def path(self, example=None, language=None):
        """The address of `example` (by default the page's own), in `language` (by
        default the active one)."""
        example = example or Example()
        kwargs = self.kwargs if example.kwargs is None else example.kwargs
        with translation.override(language or translation.get_language()):
            path = reverse(self.url_name, kwargs=kwargs)
        return f"{path}?{example.query}" if example.query else path


PAGES = {
    "home": Page("partners:home", in_sitemap=True),
    "about-international": Page("partners:about", in_sitemap=True),
    "about-icma": Page("partners:about-icma", in_sitemap=True),
    "directory": Page(
        "partners:directory",
        in_sitemap=True,
        examples={
            "filtered": Example("country=in&type=bilateral"),
            "search": Example("q=municipal"),
            "search-in-a-region": Example("q=association&region=europe"),
            "did-you-mean": Example("q=tanzanai"),
            "empty": Example("q=nowhere-at-all"),
            "bad-input": Example("country=zz&region=atlantis&page=abc"),
            "paginated": Example("type=bilateral&page=2", organizations=130),
        },
    ),
    "print": Page(
        "partners:directory-print",
        examples={
            "filtered": Example("country=in"),
            "long": Example("type=bilateral", organizations=130),
        },
    ),
    "country-list": Page("partners:country-list", in_sitemap=True),
    "country": Page(
        "partners:country-detail",
        COUNTRY,
        examples={"with-multinational": Example(kwargs={"slug": "costa-rica"})},
    ),
    "partner": Page(
        "partners:organization-detail",
        PARTNER,
        examples={
            "multinational": Example(kwargs={"slug": "environmental-center-for-arab-towns"}),
            "not-found": Example(kwargs={"slug": "no-such-partner"}, status=404),
        },
    ),
    "correction-form": Page("partners:correction", PARTNER),
    "correction-sent": Page("partners:correction-sent", PARTNER),
    # Open data, the feed and what search engines and monitoring read: at the root only.
    "export-csv": Page("data:export-csv", html=False, translated=False),
    "export-json": Page("data:export-json", html=False, translated=False),
    "partner-json": Page("data:organization-json", PARTNER, html=False, translated=False),
    "country-json": Page("data:country-json", COUNTRY, html=False, translated=False),
    "openapi": Page("data:openapi", html=False, translated=False),
    "feed": Page("data:feed", html=False, translated=False),
    "sitemap": Page("sitemap", html=False, translated=False),
    "sitemap-section": Page(
        "sitemap-section", {"section": "partners"}, html=False, translated=False
    ),
    "robots": Page("robots", html=False, translated=False),
    "healthz": Page("healthz", html=False, translated=False),
}


def examples(html=None):
    """{name: (page, example)} for every page's own address (named as the page) and each
    of its EXAMPLES ("directory-empty"); only pages people read (html=True) or only the
    data (html=False) if asked."""
    found = {}
    for name, page in PAGES.items():
        if html is not None and page.html != html:
            continue
        found[name] = (page, Example())
        for state, example in page.examples.items():
            found[f"{name}-{state}"] = (page, example)
    return found


def in_sitemap():
    """The URL names of the pages the sitemap lists as they are, in their order here."""
    return [page.url_name for page in PAGES.values() if page.in_sitemap]
