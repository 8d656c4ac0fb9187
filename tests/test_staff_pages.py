"""The admin speaks plainly and leads on, through the real admin pages: the refusal page,
the sign-in page's code field, the History page's words and its restore, the lists'
columns, and corrections that show what is right, come new first and lead back after
an edit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Correction, Country, Organization
from tests.staff import make_editor, organization_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model, client):
    user = make_editor(django_user_model)
    client.force_login(user)
    return user


def history_url(organization):
    return reverse("admin:partners_organization_history", args=[organization.pk])


def change_url(organization):
    return reverse("admin:partners_organization_change", args=[organization.pk])


def publish_cama(client):
    """CAMA unpublished and published again through the admin: two versions."""
    cama = Organization.objects.get(acronym="CAMA")
    client.post(change_url(cama), organization_form_data(cama, is_published=False))
    client.post(change_url(cama), organization_form_data(cama, is_published="on"))
    return cama


# A page the account may not use.


def test_a_refused_page_is_in_the_admins_frame_with_the_way_back(client, editor):
    response = client.get(reverse("admin:auth_user_change", args=[editor.pk]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "ICMA partner directory" in text  # the admin's header
    assert "<h1>You may not open this page</h1>" in text
    assert f'<a href="{reverse("admin:index")}">Back to the directory administration</a>' in text
    assert response.templates[0].name == "admin/refused.html"


def test_an_editor_is_not_shown_links_to_user_accounts_in_history(client, editor, directory):
    cama = publish_cama(client)
    text = client.get(history_url(cama)).content.decode()
    assert "/admin/auth/user/" not in text
    assert "editor" in text and "load_partners" in text


def test_an_administrator_is(client, admin_user, directory):
    client.force_login(admin_user)
    cama = publish_cama(client)
    text = client.get(history_url(cama)).content.decode()
    assert reverse("admin:auth_user_change", args=[admin_user.pk]) in text


# Signing in.


def test_the_sign_in_page_asks_for_the_authenticator_code_in_plain_words(client):
    text = client.get(reverse("admin:login")).content.decode()
    assert "OTP" not in text
    assert '<label for="id_otp_token">Code from your authenticator app:</label>' in text
    assert "Only if you have set up an authenticator app for this account." in text
    token = text[text.index('name="otp_token"') - 200 : text.index('name="otp_token"') + 300]
    assert "required" not in token
    assert 'aria-describedby="id_otp_token_helptext"' in token
    assert 'id="id_otp_token_helptext"' in text


# History in plain words.


def test_history_says_what_happened_in_words(client, editor, directory):
    cama = publish_cama(client)
    text = client.get(history_url(cama)).content.decode()
    assert "None" not in text
    assert "False" not in text and "True" not in text
    assert "<strong>Published:</strong> no → yes" in text
    assert "<strong>Published:</strong> yes → no" in text
    assert "<strong>Changed</strong>" in text and "<strong>Created</strong>" in text


def test_a_revert_says_which_version_it_restored(client, editor, directory):
    cama = Organization.objects.get(acronym="CAMA")
    data = organization_form_data(cama, website="https://cama.example/")
    client.post(change_url(cama), data, follow=True)  # its message shown
    loaded = cama.history.earliest("history_date")
    version_url = reverse(
        "admin:partners_organization_simple_history", args=[cama.pk, loaded.history_id]
    )
    response = client.post(version_url, organization_form_data(loaded.instance), follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == history_url(cama)
    assert "changed successfully" not in text
    moment = timezone.localtime(loaded.history_date)
    assert f"is restored to its version of {moment:%-d %B %Y, %H:%M}" in text
    assert cama.history.first().history_change_reason.startswith("Restored the version of")
    assert "<strong>Restored</strong>" in text


def test_a_deleted_entry_brought_back_is_listed_as_restored_not_created(client, editor, directory):
    cama = Organization.objects.get(acronym="CAMA")
    client.post(reverse("admin:partners_organization_delete", args=[cama.pk]), {"post": "yes"})
    before = cama.history.exclude(history_type="-").first()
    version_url = reverse(
        "admin:partners_organization_simple_history", args=[cama.pk, before.history_id]
    )
    client.post(version_url, organization_form_data(before.instance))
    assert Organization.objects.filter(pk=cama.pk).exists()
    rows = client.get(history_url(cama)).context["page_obj"].object_list
    assert [row.what_happened for row in rows] == ["Restored", "Deleted", "Created"]


# The lists.


def test_the_organizations_list_has_columns_that_fit(client, editor, directory):
    cama = Organization.objects.get(acronym="CAMA")
    Organization.objects.filter(pk=cama.pk).update(last_verified=datetime.date(2026, 12, 6))
    response = client.get(reverse("admin:partners_organization_changelist"), {"q": "CAMA"})
    text = response.content.decode()
    assert 'Canadian Association of Municipal Administrators <span class="acronym">(CAMA)' in text
    assert '<time datetime="2026-12-06">6 Dec 2026</time>' in text
    assert response.context["cl"].list_display == [
        "action_checkbox",
        "partner",
        "country",
        "relationship_type",
        "published",
        "verified",
    ]


def test_the_countries_list_shows_iso_codes(client, editor, directory):
    text = client.get(reverse("admin:partners_country_changelist")).content.decode()
    assert '<td class="field-iso_code">CZ</td>' in text
    assert '<td class="field-iso_code">Czechia</td>' not in text
    assert Country.objects.filter(code="CZ").exists()


# Corrections.


@pytest.fixture
def corrections(directory):
    cama = Organization.objects.get(acronym="CAMA")
    now = timezone.now()
    return [
        Correction.objects.create(
            organization=cama,
            what_is_wrong="Old dismissed one",
            right_value="Nothing",
            status=Correction.Status.DISMISSED,
            created_at=now,
        ),
        Correction.objects.create(
            organization=cama,
            what_is_wrong="The website no longer works",
            right_value="https://www.camacam.ca/ is the address now",
            created_at=now - datetime.timedelta(days=3),
        ),
        Correction.objects.create(
            organization=cama,
            what_is_wrong="Wrong acronym",
            right_value="ACAM in French",
            created_at=now - datetime.timedelta(days=1),
        ),
    ]


def test_corrections_show_what_is_right_and_come_new_first(client, editor, corrections):
    response = client.get(reverse("admin:partners_correction_changelist"))
    listed = [correction.what_is_wrong for correction in response.context["cl"].result_list]
    assert listed == ["Wrong acronym", "The website no longer works", "Old dismissed one"]
    text = response.content.decode()
    assert "https://www.camacam.ca/ is the address now" in text
    assert ">What is right<" in text


def test_editing_a_partner_from_a_correction_comes_back_to_it(client, editor, corrections):
    correction = corrections[1]
    page = client.get(reverse("admin:partners_correction_change", args=[correction.pk]))
    cama = correction.organization
    link = f"{change_url(cama)}?correction={correction.pk}"
    assert f'href="{link}"' in page.content.decode()

    response = client.post(link, organization_form_data(cama, website="https://www.camacam.ca/"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:partners_correction_change", args=[correction.pk])
    assert Organization.objects.get(pk=cama.pk).website == "https://www.camacam.ca/"

    # "Save and continue editing" keeps the way back.
    data = organization_form_data(cama, website="https://www.camacam.ca/", _continue="1")
    response = client.post(link, data)
    assert response["Location"].endswith(f"correction={correction.pk}")


def test_a_correction_link_that_names_nothing_goes_to_the_list(client, editor, corrections):
    cama = corrections[0].organization
    for value in ("999999", "abc", ""):
        response = client.post(
            f"{change_url(cama)}?correction={value}", organization_form_data(cama)
        )
        assert response["Location"] == reverse("admin:partners_organization_changelist")
