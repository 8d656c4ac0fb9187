"""Bad input is refused with a clear answer and changes nothing; it never gets a 500,
and old data that breaks a rule cannot take a page down."""

import logging
import re
import xml.dom.minidom

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from partners.models import Correction, Organization
from partners.text import neutralized, printable, unwanted_characters
from tests.staff import make_editor, organization_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def cama(directory):
    return Organization.objects.get(acronym="CAMA")


# (NUL is refused before the model sees it: by Django's form fields and by the loader;
# PostgreSQL cannot even be asked about it.)
@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x0b", "\x85", "\u202e", "\u2066"])
@pytest.mark.parametrize("field", ["name", "acronym", "other_name"])
def test_the_model_refuses_control_and_bidi_characters_in_names(cama, field, character):
    setattr(cama, field, f"Canadian{character}Association")
    with pytest.raises(ValidationError) as refused:
        cama.full_clean()
    assert field in refused.value.message_dict
    assert f"U+{ord(character):04X}" in refused.value.message_dict[field][0]


def test_descriptions_keep_their_line_breaks(cama):
    cama.description = "First line.\nSecond line.\tTabbed."
    cama.full_clean()


def test_the_admin_refuses_a_name_with_a_control_character(client, cama, django_user_model):
    client.force_login(make_editor(django_user_model))
    url = reverse("admin:partners_organization_change", args=[cama.pk])
    response = client.post(url, organization_form_data(cama, name="Bell\x07 Association"))
    assert response.status_code == 200
    assert "invisible control characters (U+0007)" in response.content.decode()
    cama.refresh_from_db()
    assert cama.name == "Canadian Association of Municipal Administrators"


def test_the_feed_survives_old_data_with_control_characters(client, cama):
    # Written past the model's rule, as data saved before it existed could be.
    Organization.objects.filter(pk=cama.pk).update(
        name="Old\x07 \x1bdata\x0b", description="Line\x01 one"
    )
    response = client.get(reverse("data:feed"))
    assert response.status_code == 200
    xml.dom.minidom.parseString(response.content)  # well-formed XML
    assert b"Old data" in response.content


@pytest.mark.parametrize("url", ["/partners/%00.json", "/countries/%00.json"])
def test_a_nul_in_a_json_address_is_not_found(client, directory, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"error": response.json()["error"]}


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1"])
def test_a_form_in_a_charset_django_cannot_read_is_a_400(cama, charset):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    url = reverse("partners:correction", args=[cama.slug])
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"what_is_wrong=a&right_value=b&csrfmiddlewaretoken={token}".encode(charset)
    response = client.generic(
        "POST", url, body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )
    assert response.status_code == 400
    assert "could not read this request" in response.content.decode()
    assert not Correction.objects.exists()


def test_a_request_body_larger_than_a_public_form_needs_is_refused(cama, settings):
    client = Client()
    url = reverse("partners:correction", args=[cama.slug])
    body = b"x" * (settings.MAX_REQUEST_BYTES + 1)
    response = client.generic("POST", url, body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Correction.objects.exists()


def test_only_the_csv_import_takes_an_upload_sized_body(client, settings):
    over_a_form = b"x" * (settings.MAX_REQUEST_BYTES + 1)
    # The sign-in page is a form like any other, whoever asks.
    response = client.generic(
        "POST", reverse("admin:login"), over_a_form, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert response["Content-Security-Policy"]  # the refusal carries the security headers
    importing = reverse("admin:partners_organization_import")
    response = client.generic(
        "POST", importing, over_a_form, content_type="application/octet-stream"
    )
    assert response.status_code != 413
    over_an_upload = b"x" * (settings.MAX_UPLOAD_REQUEST_BYTES + 1)
    response = client.generic(
        "POST", importing, over_an_upload, content_type="application/octet-stream"
    )
    assert response.status_code == 413


def test_a_refused_next_lands_on_the_admin_not_a_missing_profile_page(client, django_user_model):
    make_editor(django_user_model)
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "correct horse 7", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_health_detail_only_for_monitorings_addresses(client, settings):
    local = client.get("/healthz", REMOTE_ADDR="127.0.0.1").json()
    assert local == {"status": "ok", "database": "ok", "cache": "ok"}
    outside = client.get("/healthz", REMOTE_ADDR="203.0.113.5")
    assert outside.status_code == 200
    assert outside.json() == {"status": "ok"}
    # Behind a proxy on the same host, the visitor's address counts, not the proxy's.
    settings.TRUSTED_PROXY_COUNT = 1
    proxied = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert proxied.json() == {"status": "ok"}


@pytest.fixture
def console():
    """What the site's console log handler (settings.LOGGING) writes, as text."""
    import io

    (handler,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_refused_requests_log_one_line_without_a_traceback(client, directory, console):
    client.get("/partners/no-such-partner/")
    staff = Client()
    staff.force_login(make_editor_without_rights())
    staff.get(reverse("admin:auth_user_changelist"))
    written = console.getvalue()
    assert "Not Found: /partners/no-such-partner/" in written
    assert "Forbidden" in written and "/admin/auth/user/" in written
    assert "Traceback" not in written


def make_editor_without_rights():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("visitor", password="x", is_staff=True)


def test_text_helpers():
    assert unwanted_characters("a\u202eb\x07c\n") == ["\x07", "\n", "\u202e"]
    assert unwanted_characters("a\nb\tc", allow_line_breaks=True) == []
    assert neutralized("pay\u202egpj.exe\nok") == "pay[U+202E]gpj.exe\nok"
    assert printable("a\x07b\x1b\nc") == "ab\nc"


def test_staff_see_a_visitors_invisible_characters_spelled_out(client, cama, django_user_model):
    Correction.objects.create(
        organization=cama,
        what_is_wrong="Website is www.\u202egro.elpmaxe",
        right_value="x\u2066y",
        email="reader@exa\u202eelpm.com",
    )
    client.force_login(make_editor(django_user_model))
    listing = client.get(reverse("admin:partners_correction_changelist")).content.decode()
    assert "www.[U+202E]gro.elpmaxe" in listing
    assert "\u202e" not in listing
    correction = Correction.objects.get()
    page = client.get(reverse("admin:partners_correction_change", args=[correction.pk]))
    text = page.content.decode()
    assert "www.[U+202E]gro.elpmaxe" in text
    assert "x[U+2066]y" in text
    assert "reader@exa[U+202E]elpm.com" in text
    assert "\u202e" not in text and "\u2066" not in text
