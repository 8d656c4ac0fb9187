"""One rule for the web addresses staff type, in the admin's form and in a CSV import:
an address typed without http:// or https:// ("www.example.org") gets https://."""

from django import forms

from partners.models import web_address


class WebsiteField(forms.URLField):
    """The admin form's website field."""

    default_error_messages = {"invalid": web_address.message}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


def clean_website(text):
    """The address `text` gives, as the admin's form would save it ("" for none); raises
    ValidationError with the form's message."""
    return WebsiteField(required=False).clean(text)
