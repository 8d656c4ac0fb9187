"""An editor's day through the real admin pages: draft, preview, publish, edit, restore,
delete and restore; and what the public sees meanwhile."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from icma_site.pagecache.versions import VERSION_KEY
from partners.models import Country, Organization, RelationshipType
from tests.staff import make_editor, organization_form_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:partners_organization_add")


def history_url(organization):
    return reverse("admin:partners_organization_history", args=[organization.pk])


def version_url(organization, version):
    return reverse("admin:partners_organization_simple_history", args=[organization.pk, version.pk])


@pytest.fixture
def editor(django_user_model, client):
    user = make_editor(django_user_model)
    client.force_login(user)
    return user


@pytest.fixture
def draft_data():
    return {
        "name": "Association of Towns of Atlantis",
        "acronym": "ATA",
        "other_name": "",
        "slug": "association-of-towns-of-atlantis",
        "relationship_type": RelationshipType.objects.get(slug="bilateral").pk,
        "country": Country.objects.get(code="CZ").pk,
        "website": "https://atlantis.example/",
        "description": "Towns under the sea.",
        "partner_since": "2020",
        "last_verified": "",
    }


def create_draft(client, draft_data):
    response = client.post(ADD_URL, draft_data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Organization.objects.get(slug=draft_data["slug"])


def test_the_add_form_starts_as_a_draft(client, editor, directory):
    page = client.get(ADD_URL)
    assert page.status_code == 200
    assert page.context["adminform"].form["is_published"].value() is False


def test_an_editor_creates_a_draft_and_previews_it_on_the_site(
    client, editor, directory, draft_data
):
    draft = create_draft(client, draft_data)
    assert not draft.is_published
    # "View on site" in the admin leads to the page, which staff see with a banner.
    content_type = ContentType.objects.get_for_model(Organization)
    view_on_site = client.get(reverse("admin:view_on_site", args=[content_type.pk, draft.pk]))
    assert view_on_site.status_code == 302
    assert view_on_site["Location"].endswith(draft.get_absolute_url())
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert b"Draft: not public" in preview.content
    assert "no-store" in preview["Cache-Control"]
    assert b"Association of Towns of Atlantis" in preview.content


def test_a_published_page_has_no_draft_banner_for_staff(client, editor, directory):
    organization = Organization.objects.get(acronym="CAMA")
    page = client.get(organization.get_absolute_url())
    assert page.status_code == 200
    assert b"Draft: not public" not in page.content


def test_anonymous_visitors_never_see_a_draft(client, django_user_model, directory, draft_data):
    editor_client = type(client)()
    editor_client.force_login(make_editor(django_user_model))
    draft_data["country"] = Country.objects.get(code="BD").pk
    figures_before = client.get("/").context["figures"]
    create_draft(editor_client, draft_data)
    draft = Organization.objects.get(slug=draft_data["slug"])

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("partners:correction", args=[draft.slug])).status_code == 404
    for url in ("/partners/", "/partners/?q=atlantis", "/partners/?country=bd", "/countries/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Atlantis" not in response.content, url
    assert client.get("/partners/?q=atlantis").context["total"] == 0
    home = client.get("/")
    assert home.context["figures"] == figures_before
    # Bangladesh has one published partner: the draft adds no second one to the map.
    bangladesh = next(c for c in home.context["partner_countries"] if c.code == "BD")
    assert bangladesh.partner_count == 1
    assert b"Atlantis" not in home.content


def test_an_editor_publishes_a_draft_with_the_list_action(client, editor, directory, draft_data):
    draft = create_draft(client, draft_data)
    response = client.post(
        reverse("admin:partners_organization_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert b"Published: 1 partner" in response.content
    draft.refresh_from_db()
    assert draft.is_published
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get("/partners/?q=atlantis").context["total"] == 1


def test_unpublish_and_mark_verified_actions(client, editor, directory):
    organization = Organization.objects.get(acronym="CAMA")
    url = reverse("admin:partners_organization_changelist")
    client.post(url, {"action": "mark_verified_today", "_selected_action": [organization.pk]})
    client.post(url, {"action": "unpublish", "_selected_action": [organization.pk]})
    organization.refresh_from_db()
    assert organization.last_verified == timezone.now().date()
    assert not organization.is_published
    history = client.get(history_url(organization))
    assert b"Marked verified today" in history.content
    assert b"Unpublished" in history.content


def test_the_list_filters_entries_not_verified_in_the_last_12_months(client, editor, directory):
    fresh = Organization.objects.get(acronym="CAMA")
    fresh.last_verified = timezone.now().date()
    fresh.save()
    stale = Organization.objects.get(acronym="LAMAS")
    stale.last_verified = timezone.now().date().replace(year=timezone.now().year - 2)
    stale.save()
    url = reverse("admin:partners_organization_changelist")
    listed = client.get(url, {"verified": "stale"}).context["cl"].result_list
    assert stale in listed
    assert fresh not in listed
    assert Organization.objects.get(acronym="STMOÚ") in listed  # never verified
    assert list(client.get(url, {"verified": "recent"}).context["cl"].result_list) == [fresh]


def test_an_edit_shows_in_history_as_a_readable_diff_and_can_be_restored(client, editor, directory):
    organization = Organization.objects.get(acronym="CAMA")
    change_url = reverse("admin:partners_organization_change", args=[organization.pk])
    response = client.post(
        change_url, organization_form_data(organization, website="https://cama.example/")
    )
    assert response.status_code == 302

    history = client.get(history_url(organization))
    assert history.status_code == 200
    text = history.content.decode()
    assert "https://cama.example/" in text
    assert "editor" in text and "load_partners" in text

    # Restore the loader's version: the history page links each version's restore form.
    loaded = organization.history.filter(history_user__username="load_partners").earliest(
        "history_date"
    )
    restore = client.get(version_url(organization, loaded))
    assert restore.status_code == 200
    loaded_website = "https://www.camacam.ca/"  # fixtures/source/partner_names.json
    assert restore.context["adminform"].form["website"].value() == loaded_website
    data = organization_form_data(loaded.instance, website=loaded_website)
    response = client.post(version_url(organization, loaded), data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.website == loaded_website
    assert organization.history.first().history_user == editor


def test_restoring_retires_the_cached_pages_and_stays_a_staff_edit(
    client, editor, directory, django_capture_on_commit_callbacks
):
    organization = Organization.objects.get(acronym="CAMA")
    change_url = reverse("admin:partners_organization_change", args=[organization.pk])
    for other_name in ("First staff name", "Second staff name"):
        client.post(change_url, organization_form_data(organization, other_name=other_name))
    first = organization.history.get(other_name="First staff name", history_type="~")

    version_before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            version_url(organization, first), organization_form_data(first.instance)
        )
    assert response.status_code == 302
    assert cache.get(VERSION_KEY) != version_before  # every cached page is retired
    client.logout()
    assert b"First staff name" in client.get(organization.get_absolute_url()).content

    # The loader sees a staff edit, and keeps it.
    call_command("load_partners", verbosity=0)
    organization.refresh_from_db()
    assert organization.other_name == "First staff name"


def test_a_deleted_multinational_is_listed_and_restored_from_its_history(client, editor, directory):
    flacma = Organization.objects.get(acronym="FLACMA")
    flacma.countries_served.set(Country.objects.filter(code__in=["CR", "DO"]))
    delete_url = reverse("admin:partners_organization_delete", args=[flacma.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Organization.objects.filter(pk=flacma.pk).exists()

    deleted = client.get(reverse("admin:partners_organization_deleted"))
    assert deleted.status_code == 200
    assert history_url(flacma).encode() in deleted.content

    history = client.get(history_url(flacma))
    assert history.status_code == 200
    before_deletion = flacma.history.exclude(history_type="-").first()
    form = client.get(version_url(flacma, before_deletion)).context["adminform"].form
    served = [int(pk) for pk in form["countries_served"].value()]
    assert sorted(served) == sorted(
        Country.objects.filter(code__in=["CR", "DO"]).values_list("pk", flat=True)
    )
    data = organization_form_data(before_deletion.instance, countries_served=served)
    response = client.post(version_url(flacma, before_deletion), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Organization.objects.get(pk=flacma.pk)
    assert restored.is_published
    assert set(restored.countries_served.values_list("code", flat=True)) == {"CR", "DO"}
    deleted = client.get(reverse("admin:partners_organization_deleted"))
    assert b"No organizations have been deleted" in deleted.content


def test_a_deleted_country_can_be_restored(client, editor, db):
    country = Country.objects.create(
        code="AQ", name="Antarctica", slug="antarctica", region="oceania"
    )
    url = reverse("admin:partners_country_delete", args=[country.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    version = country.history.exclude(history_type="-").first()
    response = client.post(
        reverse("admin:partners_country_simple_history", args=[country.pk, version.pk]),
        {
            "code": "AQ",
            "name": "Antarctica",
            "slug": "antarctica",
            "region": "oceania",
            "other_names": "",
        },
    )
    assert response.status_code == 302
    assert Country.objects.filter(code="AQ").exists()


def test_the_loaders_changes_are_in_the_history_as_the_loaders(directory):
    organization = Organization.objects.get(acronym="CAMA")
    created = organization.history.get(history_type="+")
    assert created.history_user.username == "load_partners"
    assert not created.history_user.is_active
    assert not created.history_user.has_usable_password()
    country = Country.objects.get(code="CZ")
    assert country.history.get(history_type="+").history_user.username == "load_partners"


def test_public_pages_show_when_details_were_last_checked(client, directory):
    organization = Organization.objects.get(acronym="CAMA")
    organization.last_verified = timezone.datetime(2026, 3, 12).date()
    organization.save()
    page = client.get(organization.get_absolute_url())
    assert b'Details last checked: <time datetime="2026-03">March 2026</time>' in page.content


def test_an_editor_cannot_reach_users_groups_lockouts_or_history_records(client, editor):
    for name in (
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
        "admin:otp_totp_totpdevice_changelist",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    assert not editor.has_perm("partners.change_historicalorganization")
    assert not editor.has_perm("partners.delete_historicalorganization")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partners/organization/abc/history/",
        "/admin/partners/organization/1/history/abc/",
        "/admin/partners/organization/99999/history/",
        "/admin/partners/organization/99999/history/5/",
        "/admin/partners/country/x/history/",
    ],
)
def test_history_addresses_that_name_nothing_are_not_found(client, editor, url):
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


def test_an_action_records_each_version_with_its_countries_and_retires_cached_pages(
    client, editor, directory, django_capture_on_commit_callbacks
):
    flacma = Organization.objects.get(acronym="FLACMA")
    flacma.countries_served.set(Country.objects.filter(code__in=["CR", "DO"]))
    version_before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:partners_organization_changelist"),
            {"action": "mark_verified_today", "_selected_action": [flacma.pk]},
        )
    assert cache.get(VERSION_KEY) != version_before
    version = flacma.history.first()
    assert version.history_change_reason == "Marked verified today"
    assert version.history_user == editor
    assert version.last_verified == timezone.now().date()
    assert {row.country.code for row in version.countries_served.all()} == {"CR", "DO"}


def test_an_action_costs_the_same_queries_for_a_few_entries_or_all(client, editor, directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:partners_organization_changelist")

    def queries_for(pks):
        with CaptureQueriesContext(connection) as queries:
            client.post(url, {"action": "unpublish", "_selected_action": pks})
        return len(queries)

    pks = list(Organization.objects.values_list("pk", flat=True))
    few = queries_for(pks[:3])
    everything = queries_for(pks[3:])
    assert few == everything
    assert not Organization.objects.published().exists()
