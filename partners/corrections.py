"""Corrections from the public: the form a visitor fills in on a partner's page, and the
limits that keep it from being abused (a honeypot field, a rate limit per client).

A correction only lands in the staff's queue (the Correction model, the admin's
"Corrections"); nothing a visitor sends changes the directory.
"""

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .models import Correction

RATE_LIMIT_KEY = "corrections-sent:{address}"
RATE_LIMIT_SECONDS = 60 * 60


class CorrectionForm(forms.ModelForm):
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by robots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Correction
        fields = ["what_is_wrong", "right_value", "email"]
        labels = {
            "what_is_wrong": _("What is wrong?"),
            "right_value": _("What is right?"),
            "email": _("Your e-mail address (optional)"),
        }
        help_texts = {
            "what_is_wrong": _("For example: the website address no longer works."),
            "right_value": _("The correct information, and where it can be checked if you can."),
            "email": _("Only if we may write to you with a question. We never publish it."),
        }
        widgets = {
            "what_is_wrong": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "right_value": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    def describe_fields(self):
        """Tie each input to its help text and error message for screen readers (the
        ids are those templates/partners/correction_form.html gives them)."""
        errors = self._errors or {}
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"id_{name}-help")
            if name in errors:
                ids.append(f"id_{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def is_robot(self):
        """True when the honeypot field was filled in."""
        return bool(self.data.get("homepage", "").strip())


def client_address(request):
    """The visitor's address, worked out as the sign-in lockout does (settings.AXES_IPWARE_*)."""
    return get_client_ip_address(request) or "unknown"


def may_send(request):
    """Whether this client is still under settings.CORRECTIONS_PER_HOUR."""
    sent = cache.get(RATE_LIMIT_KEY.format(address=client_address(request)), 0)
    return sent < settings.CORRECTIONS_PER_HOUR


def count_sent(request):
    key = RATE_LIMIT_KEY.format(address=client_address(request))
    if cache.add(key, 1, RATE_LIMIT_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, RATE_LIMIT_SECONDS)
