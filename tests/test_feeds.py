"""/partners/feed/: the Atom feed of partners as they are added or changed."""

from datetime import UTC, datetime

import feedparser
import pytest

from partners.models import Organization
from partners.opendata.feeds import FEED_LENGTH
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db


def feed(client):
    response = client.get("/partners/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feed_parses_as_atom_with_the_latest_change_first(client, directory):
    partner = Organization.objects.get(slug="city-managers-association-of-karnataka")
    partner.description = "Karnataka's city managers."
    partner.save()
    parsed = feed(client)
    assert parsed.version == "atom10"
    assert parsed.feed.title == "ICMA International partners: additions and changes"
    assert parsed.feed.link == "http://testserver/partners/"
    assert len(parsed.entries) == 37
    first = parsed.entries[0]
    assert first.link == "http://testserver/partners/city-managers-association-of-karnataka/"
    assert first.title == "City Managers' Association of Karnataka (CMAK)"
    assert "bilateral partner of ICMA in India" in first.summary
    assert "Karnataka's city managers." in first.summary
    assert first.updated_parsed[:6] == partner.updated_at.astimezone(UTC).timetuple()[:6]
    assert {tag.term for tag in first.tags} == {"Bilateral", "India"}


def test_unpublished_partners_are_not_in_the_feed(client, directory):
    hidden = Organization.objects.get(slug="city-managers-association-of-karnataka")
    hidden.is_published = False
    hidden.save()
    links = [entry.link for entry in feed(client).entries]
    assert len(links) == 36
    assert not any(hidden.slug in link for link in links)


def test_feed_is_bounded_and_runs_the_same_queries_at_any_size(
    client, directory, django_assert_max_num_queries
):
    grow_directory_to(500)
    Organization.objects.filter(slug="municipal-association-100").update(
        updated_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    with django_assert_max_num_queries(1):
        parsed = feed(client)
    assert len(parsed.entries) == FEED_LENGTH
    assert parsed.entries[0].link.endswith("/partners/municipal-association-100/")
