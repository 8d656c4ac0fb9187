"""The directory's answer to issue 25's search queries, one Markdown table row each.

    .venv/bin/python bench/search_queries.py

Run from a checkout's root with its Python environment: it imports that checkout's code,
builds a throw-away SQLite database (test settings, `migrate`, `load_partners`), asks
`/<language>/partners/?q=<query>` for each query below with the test client and prints

    | page | query | lists | notes |

`lists` is the number of partners the page says it found, then up to 6 acronyms (the
name when a partner has none) in page order, then "…" when it found more. `notes` is
what the page says about the search: "Did you mean", "ICMA has no partner in …", the
corrected search ("Partners for …"), a warning notice; "—" when it shows none.

Everything is read from the HTML by class (the count, `partner-card__name`,
`partner-card__acronym`, `suggestions`, `search-note`, `notice`), never from the view's
context, so that the same script runs on an older checkout whose context differs.
"""

import os
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

QUERIES = [
    ("en", "asia"),
    ("fr", "Asie"),
    ("en", "Africa"),
    ("fr", "Amérique latine"),
    ("es", "América Latina"),
    ("es", "Latinoamérica"),
    ("es", "Centroamérica"),
    ("es", "Caribe"),
    ("en", "Honduras"),
    ("es", "asociación de municipios"),
    ("fr", "association des maires"),
    ("es", "ciudades"),
    ("fr", "villes"),
    ("es", "municipios"),
    ("fr", "maires"),
    ("es", "gobiernos locales"),
    ("fr", "collectivités locales"),
    ("fr", "de"),
    ("en", "of"),
    ("en", "the"),
    ("en", "UK local government"),
    ("es", "México"),
    ("fr", "Corée du Sud"),
    ("en", "Türkiye"),
    ("fr", "Côte d'Ivoire"),
    ("en", "South Korea"),
    ("fr", "Tanzanie"),
    ("es", "Eswatini"),
    ("en", "asociation"),
    ("es", "Asociación de Municipios de Honduras"),
    ("en", "Асоціація міст України"),
    ("fr", "Tchéquie"),
    ("es", "Chequia"),
    ("es", "Esuatini"),
    ("es", "Palestina"),
    ("en", "europe"),
    ("es", "Europa"),
]
PREFIXES = {"en": "/", "es": "/es/", "fr": "/fr/"}
SHOWN = 6
# Classes of the paragraphs that say something about the search itself.
NOTE_CLASSES = ("suggestions", "search-note", "notice")
# Elements without an end tag: they must not open a level in the parser's stack.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}

# The checkout this file sits in, first on sys.path: `python bench/…` puts bench/ there,
# and the virtualenv's editable install points at /work/main, whichever checkout runs.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Always a fresh SQLite file and the test settings (no page cache, local-memory cache),
# whatever DATABASE_URL or DJANGO_SETTINGS_MODULE the shell holds.
DATABASE = Path(tempfile.mkdtemp(prefix="search_queries-")) / "db.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ["DJANGO_SETTINGS_MODULE"] = "icma_site.settings.test"


class Page(HTMLParser):
    """The count's text, the cards' (name, acronym) and the notes' texts, by class."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.count = None
        self.cards = []
        self.notes = []
        self.open = []  # per open element: the roles its class gives it

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        roles = set()
        if "results-summary__count" in classes:
            roles.add("count")
            self.count = ""
        if "partner-card" in classes:
            self.cards.append(["", ""])
        if "partner-card__name" in classes:
            roles.add("name")
        if "partner-card__acronym" in classes:
            roles.add("acronym")
        if any(name in classes for name in NOTE_CLASSES):
            roles.add("note")
            self.notes.append("")
        self.open.append(roles)

    def handle_endtag(self, tag):
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        roles = set().union(*self.open)
        if "count" in roles:
            self.count += data
        if "note" in roles:
            self.notes[-1] += data
        # The acronym's <abbr> sits inside the name's heading: keep the two apart.
        if "acronym" in roles:
            self.cards[-1][1] += data
        elif "name" in roles:
            self.cards[-1][0] += data


def tidy(text):
    return " ".join(text.split()).replace("|", "\\|")


def row(client, language, query):
    response = client.get(f"{PREFIXES[language]}partners/", {"q": query}, follow=True)
    page = Page()
    page.feed(response.content.decode())
    notes = [tidy(note) for note in page.notes if tidy(note)]
    if response.redirect_chain:
        notes.append(f"redirected to {response.redirect_chain[-1][0]}")
    if response.status_code != 200:
        lists = f"status {response.status_code}"
    elif page.count is None:
        lists = "—"
    else:
        # "12 partners in 5 countries", "1 234 partners", "No partners": the first number.
        number = re.search(r"\d[\d,.\s]*", page.count)
        found = int(re.sub(r"\D", "", number.group())) if number else 0
        shown = [tidy(acronym or name) for name, acronym in page.cards[:SHOWN]]
        more = ["…"] if found > len(shown) else []
        lists = ": ".join([str(found), ", ".join(shown + more)]) if shown else str(found)
    return f"| {language} | {query} | {lists} | {' · '.join(notes) or '—'} |"


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    import icma_site
    import partners

    # A wrong checkout's figures would look right: refuse rather than print them.
    for package in (icma_site, partners):
        if not Path(package.__file__).resolve().is_relative_to(ROOT):
            sys.exit(f"imported {package.__file__}, not this checkout's ({ROOT})")
    call_command("migrate", verbosity=0)
    call_command("load_partners", verbosity=0)
    client = Client()
    print("| page | query | lists | notes |")
    print("| --- | --- | --- | --- |")
    for language, query in QUERIES:
        print(row(client, language, query))


if __name__ == "__main__":
    try:
        main()
    finally:
        for path in DATABASE.parent.iterdir():
            path.unlink()
        DATABASE.parent.rmdir()
