"""Signing in to the admin resists guessing: lockout, a movable admin URL, sessions that
end, an optional second factor."""

import datetime
import importlib

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import clear_url_caches, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.staff import make_editor

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse 7"


@pytest.fixture
def editor(django_user_model):
    return make_editor(django_user_model, password=PASSWORD)


def sign_in(client, username, password, address="203.0.113.7", **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/", **extra},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_signs_in(client, editor):
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_six_wrong_passwords_lock_the_client_out_until_the_cool_off_ends(client, editor):
    for _ in range(6):
        response = sign_in(client, "editor", "wrong password")
    assert response.status_code == 429
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    text = response.content.decode()
    assert "Sign-in is locked after too many failed attempts" in text
    assert "Try again in about 30 minutes" in text
    assert "UTC" in text
    assert response["Retry-After"] == "1800"

    # Once the cool-off has passed, the right password works again.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    )
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_a_lockout_is_per_user_name_and_address(client, editor, django_user_model):
    make_editor(django_user_model, username="colleague", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong", address="198.51.100.9")
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429
    # A colleague at the same office, and the same person elsewhere, are not locked out.
    assert sign_in(client, "colleague", PASSWORD, address="198.51.100.9").status_code == 302
    client.logout()
    assert sign_in(client, "editor", PASSWORD, address="192.0.2.51").status_code == 302


def test_an_address_that_tries_many_user_names_is_locked_out(client, editor):
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        assert sign_in(client, f"guess{number}", "wrong", address="198.51.100.9").status_code == 200
    assert sign_in(client, "last-guess", "wrong", address="198.51.100.9").status_code == 429
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429
    assert sign_in(client, "editor", PASSWORD, address="192.0.2.51").status_code == 302


def test_a_few_failures_from_one_address_lock_out_no_one(client, editor):
    assert settings.AXES_ADDRESS_FAILURE_LIMIT >= 5 * settings.AXES_FAILURE_LIMIT
    for number in range(2 * settings.AXES_FAILURE_LIMIT):
        # Each a plain "wrong password", never the lockout page.
        assert sign_in(client, f"guess{number}", "wrong", address="198.51.100.9").status_code == 200
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 302


def test_attempts_while_locked_out_do_not_extend_the_lockout(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong")
    locked_at = AccessAttempt.objects.get(username="editor").attempt_time
    for _ in range(3):
        assert sign_in(client, "editor", "wrong").status_code == 429
    attempt = AccessAttempt.objects.get(username="editor")
    assert attempt.attempt_time == locked_at
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_a_success_does_not_clear_the_addresss_other_failures(client, editor):
    for number in range(3):
        sign_in(client, f"guess{number}", "wrong", address="198.51.100.9")
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 302
    assert AccessAttempt.objects.filter(ip_address="198.51.100.9").count() == 3


def test_a_failure_below_the_limit_is_forgotten_after_success(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="editor").exists()


def test_signing_in_without_a_request_skips_the_lockout_check(client, editor):
    # The test client's login() and scripts on the server have no client address.
    assert client.login(username="editor", password=PASSWORD)


def test_staff_sessions_end_after_a_working_day_without_activity(client, editor):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    sign_in(client, "editor", PASSWORD)
    response = client.get(reverse("admin:index"))
    # Every request moves the expiry on: it is measured from the last activity.
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60


def test_public_pages_set_no_cookie_for_visitors(client, directory):
    response = client.get("/partners/")
    assert not response.cookies


def test_password_validators_stay_on():
    names = {validator["NAME"].rsplit(".", 1)[1] for validator in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names


def test_the_admin_url_is_set_by_a_setting(settings):
    import icma_site.urls

    settings.ADMIN_URL = "staff-office/"
    try:
        clear_url_caches()
        importlib.reload(icma_site.urls)
        assert reverse("admin:index") == "/staff-office/"
    finally:
        settings.ADMIN_URL = "admin/"
        clear_url_caches()
        importlib.reload(icma_site.urls)
    assert reverse("admin:index") == "/admin/"


def add_authenticator(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_staff_with_an_authenticator_must_give_its_code(client, editor):
    device = add_authenticator(editor)
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 200
    assert not signed_in(client)
    assert "Enter the six-digit code" in response.content.decode()
    wrong = sign_in(client, "editor", PASSWORD, otp_token="000000")
    assert "That code is not right" in wrong.content.decode()
    assert not signed_in(client)
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next try down by a second
    code = f"{totp(device.bin_key):06d}"
    response = sign_in(client, "editor", PASSWORD, otp_token=code)
    assert response.status_code == 302
    assert signed_in(client)


def test_staff_without_an_authenticator_sign_in_with_a_password(client, editor, settings):
    settings.OTP_REQUIRED_FOR_SUPERUSERS = True
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_superusers_need_a_second_factor_when_the_setting_asks(client, django_user_model, settings):
    settings.OTP_REQUIRED_FOR_SUPERUSERS = True
    admin = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    response = sign_in(client, "boss", PASSWORD)
    assert response.status_code == 200
    assert "none is set up for it yet" in response.content.decode()

    # A session without a verified code does not reach the admin either.
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 302

    client.logout()
    device = add_authenticator(admin)
    code = f"{totp(device.bin_key):06d}"
    assert sign_in(client, "boss", PASSWORD, otp_token=code).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_superusers_sign_in_with_a_password_alone_by_default(client, django_user_model):
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    assert sign_in(client, "boss", PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_behind_a_proxy_forged_addresses_do_not_escape_the_lockout(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT + 3):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong", "next": "/admin/"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 192.0.2.77",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.77"}
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="192.0.2.77",
    )
    assert response.status_code == 429


def test_behind_a_proxy_one_visitors_failures_never_lock_out_the_others(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong", "next": "/admin/"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    assert not AccessAttempt.objects.filter(ip_address__isnull=True).exists()
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="203.0.113.1",
    )
    assert response.status_code == 302


def test_a_superuser_sees_lockouts_in_plain_words_and_lifts_them(client, editor, django_user_model):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong")
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    admin = type(client)()
    admin.force_login(boss)
    index = admin.get(reverse("admin:index")).content.decode()
    assert "Failed sign-ins and lockouts" in index
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    text = listing.content.decode()
    assert "Locked out until" in text
    assert "Lift the lockout" in text
    attempt = AccessAttempt.objects.get(username="editor")
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "lift_lockouts", "_selected_action": [attempt.pk]},
        follow=True,
    )
    assert "can sign in again now" in response.content.decode()
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    sign_ins = admin.get(reverse("admin:axes_accesslog_changelist")).content.decode()
    assert "<h1>Sign-ins</h1>" in sign_ins and "editor" in sign_ins


def test_editors_cannot_see_or_lift_lockouts(client, editor):
    client.force_login(editor)
    assert "Failed sign-ins" not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_a_lockout_through_several_browsers_is_shown_and_lifted_whole(
    client, editor, django_user_model
):
    # django-axes keeps a row per browser (user agent): the lockout counts them together.
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="198.51.100.20",
            HTTP_USER_AGENT=f"browser {number}",
        )
    assert AccessAttempt.objects.count() == settings.AXES_FAILURE_LIMIT
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    admin = type(client)()
    admin.force_login(boss)
    changelist = reverse("admin:axes_accessattempt_changelist")
    locked = admin.get(changelist, {"locked": "yes"}).content.decode()
    assert locked.count("Locked out until") == settings.AXES_FAILURE_LIMIT
    one = AccessAttempt.objects.first()
    response = admin.post(
        changelist, {"action": "lift_lockouts", "_selected_action": [one.pk]}, follow=True
    )
    assert "Lifted: editor from 198.51.100.20" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.20").status_code == 302
