"""Corrections from the public: the form a visitor fills in on a partner's page, and the
limits that keep it from being abused (a honeypot field, a limit per sender per hour).

A correction only lands in the staff's queue (the Correction model, the admin's
"Corrections"); nothing a visitor sends changes the directory.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from icma_site.clients import client_address
from partners.models import Correction


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


def sender(request):
    """The client's address (icma_site/clients.py), as a keyed hash: enough to count what
    one sender sent, without keeping anyone's address."""
    return salted_hmac("corrections-sender", client_address(request)).hexdigest()


def may_send(request):
    """Whether this client has sent fewer than settings.CORRECTIONS_PER_HOUR in the last
    hour."""
    since = timezone.now() - timedelta(hours=1)
    return Correction.objects.sent_by(sender(request), since).count() < (
        settings.CORRECTIONS_PER_HOUR
    )
