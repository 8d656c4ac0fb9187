"""Alphabetical order as each language has it, from ICU (PyICU, the `pyicu-wheels` wheels).

Python's own sort puts "Österreich" after "Zambia" and a database's collation depends on
how it was set up; ICU's collators follow CLDR for each language: in Spanish Ñ is a
letter of its own after N ("Nigeria", "Noruega", "Ñandú"), and in every language an
accented letter sorts with its plain one ("Égypte" among the E's).
"""

from functools import lru_cache

import icu
from django.conf import settings
from django.utils.translation import get_language


@lru_cache(maxsize=8)
def collator(language):
    """ICU's collator for `language` ("es"), made once per process."""
    return icu.Collator.createInstance(icu.Locale(language))


def sort_key(text, language=None):
    """The key that sorts `text` in `language`'s (by default the active language's)
    alphabetical order."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return collator(language).getSortKey(str(text))


def sorted_by_name(items, name, language=None):
    """`items` sorted by `name(item)` in the language's alphabetical order."""
    return sorted(items, key=lambda item: sort_key(name(item), language))
