"""How the History page words each version: what happened to the entry (created,
changed, deleted, restored), and each change as old → new in plain words: "yes" and
"no" rather than True and False, "(empty)" rather than None, dates as dates, countries
served as a list of names. django-simple-history shows the values as Python prints them.
"""

import datetime

from django.utils.formats import date_format
from simple_history.template_utils import HistoricalRecordContextHelper

# How the reason of a restore begins ("Restored the version of 12 March 2026, 14:02").
RESTORED = "Restored"

HAPPENED = {"+": "Created", "~": "Changed", "-": "Deleted"}


def what_happened(record, first_version):
    """ "Created", "Changed", "Deleted", or "Restored" for a version that restored an
    earlier one: a deleted entry brought back is recorded as created again, but only its
    first version was really its creation."""
    restored = (record.history_change_reason or "").startswith(RESTORED)
    if restored or (record.history_type == "+" and record.history_id != first_version):
        return RESTORED
    return HAPPENED.get(record.history_type, record.get_history_type_display())


def in_words(value):
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) if value else "(none)"
    if isinstance(value, datetime.datetime):
        return date_format(value, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return value


class PlainChanges(HistoricalRecordContextHelper):
    """The changes of one version, old → new, in words (SimpleHistoryAdmin's hook)."""

    def prepare_delta_change_value(self, change, value):
        return in_words(super().prepare_delta_change_value(change, value))
