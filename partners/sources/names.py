"""Read fixtures/source/partner_names.json: each partner's name in its own language and
its official website, with the public source of each fact.

The file is data that people research, not something a parser can read from the
relationships document; build_fixtures joins it to the document's entries by slug.
"""

import json

from django.core.exceptions import ValidationError

from partners.models import language_tag, plain_name, web_address


class NamesFileError(ValueError):
    """The names file is malformed; the message names the partner and the fact."""


def read_partner_names(text):
    """{slug: {"native_name", "native_name_language", "website"}} from the file's `text`,
    each fact checked by the model's own rules and required to name its source."""
    try:
        data = json.loads(text)
        partners = data["partners"]
        if not isinstance(partners, dict):
            raise TypeError("'partners' is not an object")
    except (ValueError, TypeError, KeyError) as error:
        raise NamesFileError(f"cannot be read ({type(error).__name__}: {error})") from error
    facts = {}
    for slug, entry in partners.items():
        facts[slug] = partner_facts(slug, entry)
    return facts


def partners_missing(facts, records):
    """The slugs `facts` names that the fixture `records` lack, sorted: a partner renamed
    in the document leaves its facts behind under the old slug, which must not be
    dropped quietly."""
    slugs = {r["fields"]["slug"] for r in records if r["model"] == "partners.organization"}
    return sorted(facts.keys() - slugs)


def partner_facts(slug, entry):
    native = entry.get("native_name") or {}
    website = entry.get("website") or {}
    facts = {
        "native_name": text_of(native, "text"),
        "native_name_language": text_of(native, "language"),
        "website": text_of(website, "url"),
    }
    for fact, value, rules in (
        ("native_name", facts["native_name"], [plain_name]),
        ("native_name_language", facts["native_name_language"], [language_tag]),
        ("website", facts["website"], [web_address]),
    ):
        if not value:
            continue
        source = native if fact.startswith("native") else website
        if not text_of(source, "source"):
            raise NamesFileError(f"{slug}: the {fact.replace('_', ' ')} has no source")
        for rule in rules:
            try:
                rule(value)
            except ValidationError as error:
                raise NamesFileError(f"{slug}: {fact} {value!r}: {error.messages[0]}") from error
    if bool(facts["native_name"]) != bool(facts["native_name_language"]):
        raise NamesFileError(f"{slug}: a native name needs both its text and its language")
    return facts


def text_of(mapping, key):
    value = mapping.get(key, "") if isinstance(mapping, dict) else ""
    return " ".join(value.split()) if isinstance(value, str) else ""
