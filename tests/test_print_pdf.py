"""Printing in Chromium: the filtered, paginated list prints whole, filters and date named."""

import re
import unicodedata
from io import BytesIO

import pytest
from django.utils import timezone

from partners.models import Organization
from tests.factories import grow_directory_to

pytestmark = [pytest.mark.browser]


def pdf_text(pdf):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = unicodedata.normalize("NFKC", text)  # "ﬁ" ligatures back to "fi"
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_the_filtered_paginated_list_prints_whole_with_its_filters(writable_site, open_page):
    grow_directory_to(260)  # more than a page of 50 bilateral partners in Europe
    page = open_page(width=1280)
    page.goto(f"{writable_site}/partners/?type=bilateral&region=europe&page=2")
    assert "Page 2 of 2" in page.inner_text(".pagination")
    page.click("text=Print this list")
    page.wait_for_url("**/print/partners/?type=bilateral&region=europe")
    pages, text = pdf_text(page.pdf(format="Letter"))
    expected = list(
        Organization.objects.published()
        .filter(relationship_type__slug="bilateral", country__region="europe")
        .values_list("name", flat=True)
    )
    assert len(expected) > 50
    missing = [name for name in expected if re.sub(r"\s+", " ", name) not in text]
    assert missing == []
    assert "Region: Europe" in text
    assert "Relationship: Bilateral" in text
    assert f"{len(expected)} partners in 8 countries match these filters" in text
    today = timezone.now().strftime("%d %B %Y").lstrip("0")
    assert f"Printed {today}" in text
    assert "Print this list" not in text and "Back to the directory" not in text
    assert pages >= 2


def test_printing_a_directory_page_names_its_filters_and_says_where_the_rest_is(
    writable_site, open_page
):
    grow_directory_to(130)
    page = open_page(width=1280)
    page.goto(f"{writable_site}/partners/?type=bilateral")
    _, text = pdf_text(page.pdf(format="Letter"))
    assert "Filters in use: Relationship: Bilateral" in text
    assert "remove this filter" not in text
    assert "Clear all filters" not in text
    assert "Page 1 of 3 of these results. To print all 127, use “Print this list”" in text


def test_a_spanish_directory_page_prints_its_filters_in_spanish(site, open_page):
    page = open_page(width=1280)
    page.goto(f"{site}/es/partners/?type=bilateral&region=europe")
    _, text = pdf_text(page.pdf(format="Letter"))
    assert "Filtros aplicados: Región: Europa; Relación: Bilateral" in text
    assert "Filters" not in text
