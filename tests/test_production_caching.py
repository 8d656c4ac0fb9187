"""The public pages' cache (icma_site/pagecache/): hits, 304s, and invalidation the moment
the directory changes, whether through the admin, the loader or the models."""

import json
import os
import secrets
import socket

import pytest
import redis
from django.core.management import call_command
from django.http import HttpResponse

from icma_site.pagecache import policy, versions
from partners.models import Country, Organization, RelationshipType
from tests.staff import organization_form_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.database_independent,
    pytest.mark.usefixtures("page_cache"),
]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the transaction to commit (the suite's tests never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def version():
    return versions.current_version()[0]


def test_anonymous_page_is_served_from_the_cache(client, directory, django_assert_num_queries):
    first = client.get("/countries/")
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/countries/")
    assert second.status_code == 200
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]


def test_head_is_served_from_the_cache_and_query_strings_are_pages_of_their_own(client, directory):
    client.get("/partners/?q=association")
    assert client.head("/partners/?q=association")["X-Cache"] == "hit"
    assert client.get("/partners/?q=institute")["X-Cache"] == "miss"
    assert client.get("/partners/")["X-Cache"] == "miss"


def test_pages_carry_etag_and_last_modified_and_ask_to_be_revalidated(client, directory):
    response = client.get("/partners/")
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Last-Modified"].endswith(" GMT")
    assert response["Cache-Control"] == "no-cache"


def test_a_repeat_visit_gets_304(client, directory, django_assert_num_queries):
    first = client.get("/partners/")
    with django_assert_num_queries(0):
        by_etag = client.get("/partners/", headers={"if-none-match": first["ETag"]})
        by_date = client.get("/partners/", headers={"if-modified-since": first["Last-Modified"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304
    assert client.get("/partners/", headers={"if-none-match": '"stale"'}).status_code == 200


def test_admin_save_shows_at_once(client, admin_client, directory, commit):
    cama = Organization.objects.get(acronym="CAMA")
    url = cama.get_absolute_url()
    before = client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    with commit():
        response = admin_client.post(
            f"/admin/partners/organization/{cama.pk}/change/",
            organization_form_data(cama, description="The city managers of Canada, since 1919."),
        )
    assert response.status_code == 302, response.content.decode()[:2000]

    after = client.get(url, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["X-Cache"] == "miss"
    assert "The city managers of Canada, since 1919." in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_admin_country_rename_shows_at_once_on_every_page(client, admin_client, directory, commit):
    pages = ["/countries/", "/partners/", "/countries/india/"]
    for page in pages:
        client.get(page)
    india = Country.objects.get(code="IN")
    with commit():
        response = admin_client.post(
            f"/admin/partners/country/{india.pk}/change/",
            {
                "code": "IN",
                "name": "Bharat",
                "slug": "india",
                "region": india.region,
                "other_names": "India",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    for page in pages:
        response = client.get(page)
        assert response["X-Cache"] == "miss", page
        assert "Bharat" in response.content.decode(), page


def test_loader_changes_show_at_once(client, directory, commit, settings, tmp_path):
    records = json.loads(settings.PARTNERS_FIXTURE.read_text(encoding="utf-8"))
    for record in records:
        if record["model"] == "partners.organization" and record["fields"]["acronym"] == "CAMA":
            record["fields"]["name"] = "Canadian Association of Municipal Administrators (new)"
    fixture = tmp_path / "partners.json"
    fixture.write_text(json.dumps(records), encoding="utf-8")
    client.get("/partners/")
    assert client.get("/partners/")["X-Cache"] == "hit"

    with commit():
        call_command("load_partners", fixture=fixture, verbosity=0)

    response = client.get("/partners/")
    assert response["X-Cache"] == "miss"
    assert "Canadian Association of Municipal Administrators (new)" in response.content.decode()


def change_organization():
    cama = Organization.objects.get(acronym="CAMA")
    cama.website = "https://camacam.ca/"
    cama.save()


def delete_organization():
    Organization.objects.get(acronym="CAMA").delete()


def change_country():
    country = Country.objects.get(code="IN")
    country.other_names = "Bharat"
    country.save()


def add_country():
    Country.objects.create(code="IS", name="Iceland", slug="iceland", region="europe")


def change_relationship_type():
    kind = RelationshipType.objects.get(slug="bilateral")
    kind.description = "One association, one country."
    kind.save()


def serve_another_country():
    multinational = Organization.objects.filter(relationship_type__slug="multinational").first()
    multinational.countries_served.add(Country.objects.get(code="IN"))


def stop_serving_countries():
    multinational = Organization.objects.filter(relationship_type__slug="multinational").first()
    multinational.countries_served.clear()


def load_with_loaddata():
    call_command("loaddata", "partners", verbosity=0)


@pytest.mark.parametrize(
    "change",
    [
        change_organization,
        delete_organization,
        change_country,
        add_country,
        change_relationship_type,
        serve_another_country,
        stop_serving_countries,
        load_with_loaddata,
    ],
)
def test_every_change_to_the_directory_retires_the_cached_pages(directory, commit, change):
    before = version()
    with commit():
        change()
    assert version() != before


def test_the_version_changes_when_the_change_is_committed_not_before(
    directory, django_capture_on_commit_callbacks
):
    before = version()
    with django_capture_on_commit_callbacks() as callbacks:
        change_organization()
        assert version() == before  # Not committed yet: other requests still see the old data.
    assert callbacks
    for callback in callbacks:
        callback()
    assert version() != before


def test_unrelated_writes_leave_the_cache_alone(directory, django_user_model, commit):
    before = version()
    with commit():
        django_user_model.objects.create_user("visitor", password="pw")
    assert version() == before


def test_staff_pages_are_never_cached(client, admin_client, directory):
    for response in (client.get("/admin/login/"), client.get("/admin/login/")):
        assert "no-store" in response["Cache-Control"]
        assert "X-Cache" not in response
    for url in ["/admin/", "/admin/partners/organization/", "/partners/", "/countries/"]:
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "X-Cache" not in response and "ETag" not in response
    # What staff saw is not served to anyone else, nor the other way round.
    assert client.get("/partners/")["X-Cache"] == "miss"


def test_a_signed_in_visitor_never_gets_a_cached_page(client, admin_client, directory):
    client.get("/countries/")
    assert client.get("/countries/")["X-Cache"] == "hit"
    assert "X-Cache" not in admin_client.get("/countries/")


def test_health_check_is_never_cached(client):
    client.get("/healthz")
    response = client.get("/healthz")
    assert "X-Cache" not in response and "no-store" in response["Cache-Control"]


def test_forged_host_is_refused_not_cached(client, directory):
    assert client.get("/partners/", headers={"host": "evil.example"}).status_code == 400


def cookie_response():
    response = HttpResponse("<p>form</p>")
    response.set_cookie("csrftoken", "x")
    return response


@pytest.mark.parametrize(
    ("response", "cacheable"),
    [
        (HttpResponse("<p>hello</p>"), True),
        (HttpResponse("<p>gone</p>", status=404), False),
        (cookie_response(), False),
        (HttpResponse("private", headers={"Cache-Control": "private"}), False),
        (HttpResponse("no", headers={"Cache-Control": "no-store"}), False),
        (HttpResponse("fr", headers={"Vary": "Accept-Language"}), False),
        (HttpResponse("ok", headers={"Vary": "Cookie, Accept-Encoding"}), True),
    ],
)
def test_only_plain_shareable_responses_are_stored(response, cacheable):
    assert policy.is_cacheable(response) is cacheable


def test_pages_are_served_uncached_when_the_cache_is_down(client, directory, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/partners/")
    assert response.status_code == 200 and "X-Cache" not in response
    health = client.get("/healthz")
    assert health.status_code == 200
    assert json.loads(health.content)["cache"] == "unreachable"


def test_without_the_page_cache_pages_still_get_an_etag_and_304(client, directory, settings):
    settings.PAGE_CACHE_ENABLED = False
    first = client.get("/partners/")
    assert "X-Cache" not in first and "Last-Modified" not in first
    assert first["Cache-Control"] == "no-cache"
    assert client.get("/partners/", headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_new_release_does_not_reuse_the_previous_ones_pages(client, directory, settings):
    client.get("/countries/")
    assert client.get("/countries/")["X-Cache"] == "hit"
    settings.RELEASE = "next"
    versions.release.cache_clear()
    try:
        assert client.get("/countries/")["X-Cache"] == "miss"
    finally:
        versions.release.cache_clear()


def test_the_release_defaults_to_a_hash_of_the_code(settings):
    settings.RELEASE = ""
    versions.release.cache_clear()
    try:
        fingerprint = versions.release()
        versions.release.cache_clear()
        assert versions.release() == fingerprint
        assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    finally:
        versions.release.cache_clear()


def redis_url():
    url = "redis://127.0.0.1:6379/15"
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return url
    except OSError:
        return None


def test_with_redis(client, directory, settings, commit):
    if redis_url() is None:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379: CI needs it.")
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"icma-test-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": prefix,
        }
    }
    try:
        first = client.get("/partners/")
        assert first["X-Cache"] == "miss"
        second = client.get("/partners/")
        assert second["X-Cache"] == "hit" and second.content == first.content
        with commit():
            change_organization()
        assert client.get("/partners/")["X-Cache"] == "miss"
    finally:
        connection = redis.Redis.from_url(redis_url())
        for key in connection.scan_iter(match=f"{prefix}:*"):
            connection.delete(key)


def test_the_redis_backend_reuses_its_client(settings):
    from icma_site.redis_cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/15", {})
    assert backend._cache.get_client() is backend._cache.get_client()
