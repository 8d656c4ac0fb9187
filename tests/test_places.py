"""partners/places.py: "in <place>" in each language, with French's prepositions ("au
Kenya", "en Inde", "aux Philippines", "à Cuba") and Spanish's articles, for every ISO
country whatever name it is shown by."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django_countries.data import COUNTRIES

from partners.countries import translated_names
from partners.places import in_country, in_region

REGIONS = ["africa", "americas", "asia", "europe", "oceania"]
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "partners.json"

# Every country of the fixture, in French: the phrase the partner pages say.
FIXTURE_FRENCH = {
    "AE": "aux Émirats arabes unis",
    "AU": "en Australie",
    "BD": "au Bangladesh",
    "CA": "au Canada",
    "CR": "au Costa Rica",
    "CZ": "en Tchéquie",
    "DO": "en République dominicaine",
    "EC": "en Équateur",
    "GB": "au Royaume-Uni",
    "GE": "en Géorgie",
    "HN": "au Honduras",
    "ID": "en Indonésie",
    "IE": "en Irlande",
    "IL": "en Israël",
    "IN": "en Inde",
    "KE": "au Kenya",
    "LK": "au Sri Lanka",
    "NP": "au Népal",
    "PA": "au Panama",
    "PH": "aux Philippines",
    "PL": "en Pologne",
    "PS": "en Palestine",
    "RO": "en Roumanie",
    "SE": "en Suède",
    "SK": "en Slovaquie",
    "SZ": "en Eswatini",
    "TZ": "en Tanzanie",
    "UA": "en Ukraine",
    "VN": "au Viêt Nam",
    "ZA": "en Afrique du Sud",
    "ZM": "en Zambie",
}


def fixture_countries():
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {
        r["fields"]["code"]: r["fields"]["name"]
        for r in records
        if r["model"] == "partners.country"
    }


def test_every_fixture_country_has_its_french_preposition():
    codes = set(fixture_countries())
    names = translated_names("fr")
    assert codes == set(FIXTURE_FRENCH)
    for code in codes:
        assert in_country(code, names[code], "fr") == FIXTURE_FRENCH[code]


@pytest.mark.parametrize(("code", "phrase"), FIXTURE_FRENCH.items())
def test_the_french_phrase_with_the_names_the_site_shows(code, phrase):
    name = phrase.split(" ", 1)[1]
    assert in_country(code, name, "fr") == phrase


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        # Plural names.
        ("États-Unis", "aux États-Unis"),
        ("États-Unis d'Amérique", "aux États-Unis d'Amérique"),
        ("Pays-Bas", "aux Pays-Bas"),
        ("Comores", "aux Comores"),
        ("Maldives", "aux Maldives"),
        ("Seychelles", "aux Seychelles"),
        ("Bahamas", "aux Bahamas"),
        ("Fidji", "aux Fidji"),
        ("Îles Cook", "aux îles Cook"),
        ("Îles Salomon", "aux îles Salomon"),
        # A vowel: "en", masculine or feminine.
        ("Iran", "en Iran"),
        ("Afghanistan", "en Afghanistan"),
        ("Ouganda", "en Ouganda"),
        ("Uruguay", "en Uruguay"),
        ("Équateur", "en Équateur"),
        ("Haïti", "en Haïti"),
        # Feminine.
        ("Corée du Sud", "en Corée du Sud"),
        ("Guinée-Bissau", "en Guinée-Bissau"),
        ("Nouvelle-Zélande", "en Nouvelle-Zélande"),
        ("République centrafricaine", "en République centrafricaine"),
        ("Tchéquie", "en Tchéquie"),
        ("Sierra Leone", "en Sierra Leone"),
        # Masculine, though ending in -e.
        ("Mexique", "au Mexique"),
        ("Cambodge", "au Cambodge"),
        ("Mozambique", "au Mozambique"),
        ("Zimbabwe", "au Zimbabwe"),
        ("Belize", "au Belize"),
        ("Bélize", "au Bélize"),
        ("Suriname", "au Suriname"),
        ("Royaume-Uni", "au Royaume-Uni"),
        # Islands and city-states without an article.
        ("Cuba", "à Cuba"),
        ("Madagascar", "à Madagascar"),
        ("Malte", "à Malte"),
        ("Chypre", "à Chypre"),
        ("Singapour", "à Singapour"),
        ("Maurice", "à Maurice"),
        ("Bahreïn", "à Bahreïn"),
        ("Monaco", "à Monaco"),
        ("Oman", "à Oman"),
        ("Sainte-Lucie", "à Sainte-Lucie"),
        ("Trinité-et-Tobago", "à Trinité-et-Tobago"),
        ("La Réunion", "à La Réunion"),
        ("Réunion, La", "à La Réunion"),
        ("Grenade", "à la Grenade"),
        ("Île de Man", "sur l\u2019île de Man"),
        # Masculine: "au", whatever the last letter.
        ("Kenya", "au Kenya"),
        ("Canada", "au Canada"),
        ("Honduras", "au Honduras"),
        ("Laos", "au Laos"),
        ("Bénin", "au Bénin"),
        ("Yémen", "au Yémen"),
        ("Myanmar (Birmanie)", "au Myanmar (Birmanie)"),
        ("Saint-Siège", "au Saint-Siège"),
        ("Territoires palestiniens", "dans les Territoires palestiniens"),
    ],
)
def test_french_prepositions(name, phrase):
    assert in_country("", name, "fr") == phrase


@pytest.mark.parametrize(
    ("language", "name", "phrase"),
    [
        ("en", "Kenya", "in Kenya"),
        ("en", "Philippines", "in the Philippines"),
        ("en", "United Kingdom", "in the United Kingdom"),
        ("en", "United Arab Emirates", "in the United Arab Emirates"),
        ("en", "Dominican Republic", "in the Dominican Republic"),
        ("en", "Bahamas (The)", "in the Bahamas"),
        ("en", "Solomon Islands", "in the Solomon Islands"),
        ("en", "Cocos (Keeling) Islands", "in the Cocos (Keeling) Islands"),
        ("es", "Kenia", "en Kenia"),
        ("es", "Sudáfrica", "en Sudáfrica"),
        ("es", "Estados Unidos", "en Estados Unidos"),
        ("es", "Filipinas", "en Filipinas"),
        ("es", "Reino Unido", "en el Reino Unido"),
        ("es", "Países Bajos", "en los Países Bajos"),
        ("es", "Emiratos Árabes Unidos", "en los Emiratos Árabes Unidos"),
        ("es", "República Dominicana", "en la República Dominicana"),
        ("es", "Islas Salomón", "en las Islas Salomón"),
        ("es", "El Salvador", "en El Salvador"),
    ],
)
def test_english_and_spanish(language, name, phrase):
    assert in_country("", name, language) == phrase


def test_the_active_language_is_the_default():
    with translation.override("fr"):
        assert in_country("KE", "Kenya") == "au Kenya"
    with translation.override("es"):
        assert in_country("KE", "Kenia") == "en Kenia"
    with translation.override("en"):
        assert in_country("KE", "Kenya") == "in Kenya"


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_iso_country_has_a_phrase_with_its_name(language):
    names = translated_names(language)
    prepositions = {
        "en": ("in ",),
        "es": ("en ",),
        "fr": ("en ", "au ", "aux ", "à ", "dans ", "sur "),
    }
    for code in COUNTRIES:
        name = names[code]
        phrase = in_country(code, name, language)
        assert phrase.startswith(prepositions[language]), (code, phrase)
        if ", La" not in name and "(The)" not in name:
            assert name.split(" ", 1)[-1].lower() in phrase.lower(), (code, phrase)


def test_regions_in_english():
    """Their Spanish and French are in the translations (test_translation_text.py)."""
    with translation.override("en"):
        assert [in_region(slug) for slug in REGIONS] == [
            "in Africa",
            "in the Americas",
            "in Asia",
            "in Europe",
            "in Oceania",
        ]
