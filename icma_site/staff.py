"""The staff admin site: sign-in with an optional second factor, the corrections
waiting for staff shown on the admin's index, a refusal page in the admin's frame, and
a longer database deadline for the CSV import and export.

Sign-in: a password, then, for staff who have added an authenticator app (django-otp's
TOTP devices), its six-digit code. With settings.OTP_REQUIRED_FOR_SUPERUSERS, a
superuser who has not signed in with a code cannot use the admin. django-axes counts the
failed sign-ins and locks them out (settings.AXES_*).
"""

from functools import wraps

from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin

from icma_site import lockouts
from icma_site.postgresql.base import deadline


class StaffAuthenticationForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin's sign-in form; asks for the authenticator code only of staff who have
    an authenticator (and of superusers, when settings.OTP_REQUIRED_FOR_SUPERUSERS)."""

    otp_device = forms.CharField(label="Authenticator", required=False, widget=forms.Select)
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        help_text="Only if you have set up an authenticator app for this account.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "id_otp_token_helptext",
            }
        ),
    )
    otp_challenge = forms.CharField(required=False)

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "Enter the six-digit code from your authenticator app.",
        "invalid_token": "That code is not right. Enter the code your app shows now.",
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and (user_has_device(user) or needs_second_factor(user)):
            if not user_has_device(user):
                raise forms.ValidationError(
                    "Your account must sign in with an authenticator app, and none is set "
                    "up for it yet. Ask another administrator to add one for you.",
                    code="no_device",
                )
            if not cleaned_data.get("otp_device"):
                # Most people have one authenticator: no need to choose it.
                devices = list(devices_for_user(user))
                if len(devices) == 1:
                    cleaned_data["otp_device"] = devices[0].persistent_id
            self.clean_otp(user)
        return cleaned_data

    def device_choices_shown(self):
        """Whether the page asks which authenticator: only of someone with several."""
        user = self.get_user()
        return user is not None and len(list(devices_for_user(user))) > 1


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before every sign-in from a client (settings.AUTHENTICATION_
    BACKENDS). A sign-in without a request (the test client's login(), a script on the
    server) comes from no client address and has nothing to lock out, so it is passed on
    to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class BulkEditDeadlineMiddleware:
    """Gives the CSV import, its confirm step and the export BULK_EDIT_REQUEST_TIMEOUT
    seconds to wait for the database rather than DATABASE_REQUEST_TIMEOUT: they read and
    write thousands of entries, and a preview of a large file outlasted the general
    deadline (a 503). Right after DatabaseDeadlineMiddleware, so that everything a
    request does after it, saving the session included, has the longer deadline."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DATABASE_REQUEST_TIMEOUT and request.path_info in settings.BULK_EDIT_PATHS:
            with deadline(settings.BULK_EDIT_REQUEST_TIMEOUT):
                return self.get_response(request)
        return self.get_response(request)


def needs_second_factor(user):
    return bool(settings.OTP_REQUIRED_FOR_SUPERUSERS and user.is_superuser)


class StaffAdminSite(admin.AdminSite):
    site_header = "ICMA partner directory"
    site_title = "ICMA partner directory admin"
    index_title = "Directory administration"
    login_form = StaffAuthenticationForm
    login_template = "admin/staff_login.html"
    # The list of models beside every page took a quarter of a 1280-pixel screen from
    # the lists and forms; the index and the breadcrumbs lead to the same places.
    enable_nav_sidebar = False

    def admin_view(self, view, cacheable=False):
        """Every admin page; one the account may not use answers with a page in the
        admin's frame that says so and leads back (templates/admin/refused.html)."""
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def refusing(request, *args, **kwargs):
            try:
                return inner(request, *args, **kwargs)
            except PermissionDenied:
                return self.refused(request)

        return refusing

    def refused(self, request):
        context = {**self.each_context(request), "title": "You may not open this page"}
        return TemplateResponse(request, "admin/refused.html", context, status=403)

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not needs_second_factor(request.user) or request.user.is_verified()

    def get_app_list(self, request, app_label=None):
        """The admin's index and sidebar. A ModelAdmin with an `index_name(request)` names
        its own entry (the corrections queue says how many are new; the sign-in pages
        speak plainly)."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            if app["app_label"] == "axes":
                app["name"] = lockouts.APP_NAME
            for model in app["models"]:
                model_admin = self._registry.get(model["model"])
                if hasattr(model_admin, "index_name"):
                    model["name"] = model_admin.index_name(request)
        return app_list


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a page that says when to try again
    (settings.AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
    from django.db.models import Max
    from django.shortcuts import render
    from django.utils import timezone

    by_user, by_address = lockouts.attempts_of(
        get_client_username(request, credentials), get_client_ip_address(request)
    )
    # The lockout ends a cool-off after the last failure that caused it.
    locking = by_user if lockouts.failures(by_user) >= settings.AXES_FAILURE_LIMIT else by_address
    last_failure = locking.aggregate(last=Max("attempt_time"))["last"]
    retry_at = (last_failure or timezone.now()) + get_cool_off(request)
    minutes = max(1, round((retry_at - timezone.now()).total_seconds() / 60))
    response = render(
        request,
        "admin/locked_out.html",
        {
            "title": "Too many failed sign-ins",
            "retry_at": retry_at,
            "minutes": minutes,
            "site_header": StaffAdminSite.site_header,
            "site_title": StaffAdminSite.site_title,
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
