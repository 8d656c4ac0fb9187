"""The small things that make pages look finished (issue 12's list)."""

import re

import pytest

from partners.models import Organization

pytestmark = pytest.mark.django_db


def test_breadcrumbs_end_on_the_full_name_with_or_without_an_acronym(client, directory):
    for slug in ("city-managers-association-of-karnataka", "urban-management-centre"):
        partner = Organization.objects.get(slug=slug)
        html = client.get(partner.get_absolute_url()).content.decode()
        assert f'<span aria-current="page">{partner.name}</span>' in html.replace("&#x27;", "'")


def test_contact_block_says_phone_once_for_both_numbers(client):
    html = client.get("/about/").content.decode()
    block = html[html.index('class="contact-list"') :]
    block = block[: block.index("</dl>")]
    assert block.count("<dt>Phone</dt>") == 1
    phone = block[block.index("<dt>Phone</dt>") : block.index("<dt>Fax</dt>")]
    assert phone.count("<dd>") == 2  # both numbers under the one term


def test_empty_state_actions_are_laid_out_apart(client, directory):
    html = client.get("/partners/", {"q": "nowhere-at-all"}).content.decode()
    assert '<p class="empty-state__actions"><a class="button button--secondary"' in html


def test_partner_page_with_only_the_documents_facts_has_a_summary_and_facts_panel(
    client, directory
):
    html = client.get("/partners/city-managers-association-of-karnataka/").content.decode()
    assert re.search(
        r'<p class="partner__summary"><abbr title="[^"]+">CMAK</abbr> is one of ICMA\u2019s '
        r'bilateral partners <a href="/countries/india/">in India</a>\.</p>',
        html,
    )
    assert '<h2 id="relationship">The relationship</h2>' in html
    assert '<aside class="partner__facts" aria-labelledby="facts-title">' in html
    assert "Website" not in html  # no empty facts


def test_multinational_partner_summary_names_its_headquarters(client, directory):
    html = client.get("/partners/environmental-center-for-arab-towns/").content.decode()
    assert "multinational partners, with its headquarters <a" in html
    assert ">in the United Arab Emirates</a>" in html
    assert "<dt>Headquarters</dt>" in html


def test_partner_without_acronym_is_introduced_in_words(client, directory):
    html = client.get("/partners/urban-management-centre/").content.decode()
    assert '<p class="partner__summary">This association is one of ICMA\u2019s' in html


def test_facts_staff_add_appear_in_the_panel_and_the_website_as_a_button(client, directory):
    salga = Organization.objects.get(acronym="SALGA")
    salga.website = "https://www.salga.org.za/"
    salga.partner_since = 2004
    salga.save()
    html = client.get(salga.get_absolute_url()).content.decode()
    facts = html[html.index('class="partner__facts"') :]
    assert "<dt>Website</dt>" in facts
    assert "<dt>Partner since</dt><dd>2004</dd>" in facts
    assert 'class="button" href="https://www.salga.org.za/" rel="noopener">Visit the SALGA' in html
