"""/partners/feed/: an Atom feed of the partners most recently added or changed
(django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from partners.models import Organization
from partners.text import printable

FEED_LENGTH = 50


class PartnerFeed(Feed):
    feed_type = Atom1Feed
    title = "ICMA International partners: additions and changes"
    subtitle = "Partner local-government associations added to, or changed in, ICMA's directory."
    author_name = "ICMA International"

    def link(self):
        return reverse("partners:directory")

    def items(self):
        return (
            Organization.objects.published()
            .select_related("country", "relationship_type")
            .order_by("-updated_at", "slug")[:FEED_LENGTH]
        )

    # Every text from the database goes through printable(): XML cannot carry control
    # characters, and one left in old data must not take the feed down for everyone.

    def item_title(self, organization):
        return printable(str(organization))

    def item_description(self, organization):
        kind = organization.relationship_type.name.lower()
        where = "headquartered in" if organization.is_multinational else "in"
        text = f"{organization.name}: {kind} partner of ICMA {where} {organization.country.name}."
        if organization.description:
            text = f"{text} {organization.description}"
        return printable(text)

    def item_pubdate(self, organization):
        return organization.created_at

    def item_updateddate(self, organization):
        return organization.updated_at

    def item_categories(self, organization):
        return [
            printable(organization.relationship_type.name),
            printable(organization.country.name),
        ]
