"""Corrections from the public: a small form on every partner page, a queue for staff,
and nothing public changes until staff act."""

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Correction, Organization
from tests.staff import make_editor

pytestmark = pytest.mark.django_db

GOOD = {
    "what_is_wrong": "The website address no longer works.",
    "right_value": "https://www.cama.ca/",
    "email": "reader@example.org",
    "homepage": "",
}


@pytest.fixture
def cama(directory):
    return Organization.objects.get(acronym="CAMA")


def form_url(organization):
    return reverse("partners:correction", args=[organization.slug])


def test_every_partner_page_links_to_the_form_and_stays_cacheable(client, cama):
    page = client.get(cama.get_absolute_url())
    assert f'href="{form_url(cama)}"'.encode() in page.content
    assert b"Suggest a correction" in page.content
    assert not page.cookies  # no CSRF cookie: the page can be cached
    assert "no-store" not in page.get("Cache-Control", "")


def test_the_form_page_is_never_cached_and_sets_the_csrf_cookie(client, cama):
    page = client.get(form_url(cama))
    assert page.status_code == 200
    assert "csrftoken" in page.cookies
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert b'name="homepage"' in page.content  # the honeypot, hidden from people
    assert b"<script" not in page.content  # works without JavaScript


def test_a_visitors_correction_lands_in_the_queue_and_changes_nothing_public(
    client, cama, django_user_model
):
    before = Organization.objects.values().get(pk=cama.pk)
    page_before = client.get(cama.get_absolute_url()).content
    response = client.post(form_url(cama), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:correction-sent", args=[cama.slug])
    thanks = client.get(response["Location"])
    assert b"Thank you" in thanks.content

    correction = Correction.objects.get()
    assert correction.organization == cama
    assert correction.status == Correction.Status.NEW
    assert correction.email == "reader@example.org"
    assert Organization.objects.values().get(pk=cama.pk) == before
    assert client.get(cama.get_absolute_url()).content == page_before

    staff = Client()
    staff.force_login(make_editor(django_user_model))
    index = staff.get(reverse("admin:index")).content.decode()
    assert "Corrections (1 new)" in index
    queue = staff.get(reverse("admin:partners_correction_changelist"))
    assert "Corrections: 1 new" in queue.content.decode()
    assert cama.name in queue.content.decode()
    detail = staff.get(reverse("admin:partners_correction_change", args=[correction.pk]))
    assert reverse("admin:partners_organization_change", args=[cama.pk]) in detail.content.decode()


def test_staff_accept_or_dismiss_corrections(client, cama, django_user_model):
    client.post(form_url(cama), GOOD)
    client.post(form_url(cama), dict(GOOD, what_is_wrong="Spam-ish but harmless"))
    first, second = Correction.objects.order_by("created_at")
    staff = Client()
    staff.force_login(make_editor(django_user_model))
    url = reverse("admin:partners_correction_changelist")
    staff.post(url, {"action": "accept", "_selected_action": [first.pk]})
    staff.post(url, {"action": "dismiss", "_selected_action": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "dismissed")
    assert "none new" in staff.get(url).content.decode()
    assert staff.get(reverse("admin:partners_correction_add")).status_code == 403


def test_a_filled_honeypot_is_rejected_and_nothing_is_stored(client, cama):
    response = client.post(form_url(cama), dict(GOOD, homepage="http://spam.example/"))
    assert response.status_code == 400
    assert b"could not be sent" in response.content
    assert not Correction.objects.exists()


def test_too_many_suggestions_from_one_client_are_refused(client, cama, settings):
    for _ in range(settings.CORRECTIONS_PER_HOUR):
        assert client.post(form_url(cama), GOOD).status_code == 302
    response = client.post(form_url(cama), GOOD)
    assert response.status_code == 429
    assert b"try again in an hour" in response.content
    assert Correction.objects.count() == settings.CORRECTIONS_PER_HOUR
    # Another client is not affected.
    assert client.post(form_url(cama), GOOD, REMOTE_ADDR="192.0.2.99").status_code == 302


def test_behind_a_proxy_forged_addresses_do_not_escape_the_limit(client, cama, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.CORRECTIONS_PER_HOUR + 3):
        response = client.post(
            form_url(cama), GOOD, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 192.0.2.77"
        )
    assert response.status_code == 429
    assert Correction.objects.count() == settings.CORRECTIONS_PER_HOUR


def test_behind_a_proxy_honest_visitors_each_have_their_own_limit(client, cama, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.CORRECTIONS_PER_HOUR + 3):
        response = client.post(form_url(cama), GOOD, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
        assert response.status_code == 302
    assert len(set(Correction.objects.values_list("sender", flat=True))) == (
        settings.CORRECTIONS_PER_HOUR + 3
    )


def test_the_limit_survives_a_cleared_cache_and_keeps_no_address(client, cama, settings):
    from django.core.cache import cache

    for _ in range(settings.CORRECTIONS_PER_HOUR):
        client.post(form_url(cama), GOOD, REMOTE_ADDR="192.0.2.7")
    cache.clear()
    assert client.post(form_url(cama), GOOD, REMOTE_ADDR="192.0.2.7").status_code == 429
    assert "192.0.2.7" not in Correction.objects.first().sender


def test_the_limit_counts_only_the_last_hour(client, cama, settings):
    import datetime

    for _ in range(settings.CORRECTIONS_PER_HOUR):
        client.post(form_url(cama), GOOD)
    Correction.objects.update(
        created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=61)
    )
    assert client.post(form_url(cama), GOOD).status_code == 302


def test_missing_fields_and_a_bad_email_are_explained(client, cama):
    response = client.post(form_url(cama), {"what_is_wrong": "", "right_value": "", "email": "x@"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Please check the form" in text
    assert "This field is required." in text
    assert "Enter a valid email address." in text
    assert not Correction.objects.exists()


def test_the_form_needs_its_csrf_token(cama):
    client = Client(enforce_csrf_checks=True)
    assert client.post(form_url(cama), GOOD).status_code == 403
    assert not Correction.objects.exists()


def test_there_is_no_form_for_an_unknown_or_unpublished_partner(client, cama):
    assert client.get("/partners/no-such-partner/correction/").status_code == 404
    cama.is_published = False
    cama.save()
    assert client.get(form_url(cama)).status_code == 404
    assert client.post(form_url(cama), GOOD).status_code == 404


def test_inputs_are_tied_to_their_help_and_errors(client, cama):
    response = client.post(form_url(cama), dict(GOOD, what_is_wrong=""))
    text = response.content.decode()
    assert 'aria-describedby="id_what_is_wrong-help id_what_is_wrong-error"' in text
    assert 'id="id_what_is_wrong-error"' in text
    assert 'aria-describedby="id_right_value-help"' in text
