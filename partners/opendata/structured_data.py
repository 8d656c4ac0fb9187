"""schema.org JSON-LD for the pages, and its safe embedding in HTML.

The data goes in `<script type="application/ld+json">`: a data block, which browsers never
run, so the strict Content-Security-Policy (no inline script) stays as it is. `embed()`
escapes `<`, `>` and `&` so that no text in the data (a partner named `</script>…`) can
end the block early.
"""

import json

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

ICMA_ID = "#icma"
ICMA = {
    "name": "ICMA International",
    "legalName": "International City/County Management Association",
    "telephone": "+1-202-962-3680",
    "faxNumber": "+1-202-962-3500",
    "foundingDate": "1914",
    "address": {
        "@type": "PostalAddress",
        "streetAddress": "777 North Capitol Street NE, Suite 500",
        "addressLocality": "Washington",
        "addressRegion": "DC",
        "postalCode": "20002-4201",
        "addressCountry": "US",
    },
}
# JSON text that could close a <script> element or open a comment, and the line
# separators older JavaScript parsers choke on, as \u escapes (still the same JSON).
ESCAPES = (
    ("<", "\\u003C"),
    (">", "\\u003E"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def embed(data):
    """`data` as a <script type="application/ld+json"> element, safe in any HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One str.replace a character, not str.translate: on text with any non-ASCII
    # character (a name with an accent), translate looks up every character in Python
    # and took 60 times as long (a twentieth of the directory's page).
    for character, escaped in ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def icma(home_url):
    """ICMA International as an Organization, with its address and phone (home page)."""
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": home_url + ICMA_ID,
        "url": home_url,
        **ICMA,
    }


def program_name(partner):
    """The partnership's name, in the page's language."""
    if partner.is_multinational:
        return gettext("ICMA International multinational partnership")
    return gettext("ICMA International bilateral partnership")


def organization(partner, page_url, home_url, countries_served=()):
    """A partner as an Organization: its names, website, country, and its relationship
    with ICMA (a membership of ICMA's partner programme, hosted by ICMA)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": page_url + "#organization",
        "name": partner.name,
        "mainEntityOfPage": page_url,
        "address": {"@type": "PostalAddress", "addressCountry": str(partner.country.code)},
        "memberOf": {
            "@type": "ProgramMembership",
            "programName": program_name(partner),
            "hostingOrganization": {
                "@type": "Organization",
                "@id": home_url + ICMA_ID,
                "name": ICMA["name"],
            },
        },
    }
    alternate = [
        name for name in (partner.native_name, partner.acronym, partner.shown_other_name) if name
    ]
    if alternate:
        data["alternateName"] = alternate[0] if len(alternate) == 1 else alternate
    if partner.website:
        data["url"] = partner.website
    if partner.description:
        data["description"] = partner.description
    if countries_served:
        data["areaServed"] = [
            {"@type": "Country", "name": country.local_name, "identifier": str(country.code)}
            for country in countries_served
        ]
    return data


def item_list(name, entries, total=None, start=1):
    """An ItemList of (name, absolute URL) entries, numbered from `start` (a page of a
    longer list says so with `numberOfItems`)."""
    entries = list(entries)
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": name,
        "numberOfItems": len(entries) if total is None else total,
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": title, "url": url}
            for position, (title, url) in enumerate(entries, start=start)
        ],
    }


def partner_list_json_ld(name, request, partners, total=None, start=1):
    """The <script> of an ItemList named `name` of `partners`, in order, with their pages' absolute
    addresses (a page of `total`, starting at position `start`)."""
    site = request.build_absolute_uri("/").removesuffix("/")
    entries = [(str(partner), site + partner.get_absolute_url()) for partner in partners]
    return embed(item_list(name, entries, total, start))
