"""The admin's pages in Chromium, as staff see them on a 1280-pixel screen and on a phone
(390 pixels): no column of the organizations' list is cut (every cell's content fits
its cell, and the table fits the page), the import's preview and problems fit the page,
and axe-core finds no WCAG 2.2 A/AA violation on any page this work touched."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

import partners.editorial.admin
from partners.models import Correction, Organization

pytestmark = [pytest.mark.browser]

WIDTHS = [1280, 390]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# The directory's longest name, and a date, in the list's first row.
LONGEST = "Local Government Professionals Australia, New South Wales"

THREE_BAD_ROWS = (
    "ID,Name,Slug,Country,Relationship type,Website,Partner since\r\n"
    + "".join(
        f",Town Association {n},town-association-{n},CZ,bilateral,https://town{n}.example,2020\r\n"
        for n in range(1, 45)
    )
    .replace("town-association-39,CZ", "town-association-39,XX")
    .replace("https://town12.example,2020", "https://town12.example,1850")
    .replace("https://town25.example", "not a site")
).encode()

PREVIEW = (
    b"Name,Slug,Country,Relationship type,Description\r\n"
    b"Association of Towns of Atlantis,atlantis,CZ,bilateral,"
    b'"Towns under the sea, with a description long enough to wrap on a phone."\r\n'
)

# Each cell of the list: its column, its content's width and its own.
CELLS = """() => [...document.querySelectorAll('#result_list th, #result_list td')]
    .filter((cell) => cell.offsetParent !== null)
    .map((cell) => ({
        column: cell.className.split(' ').find((name) => /^(column|field)-/.test(name))
            || cell.className || cell.tagName,
        content: cell.scrollWidth,
        width: cell.clientWidth,
        right: cell.getBoundingClientRect().right,
        height: cell.getBoundingClientRect().height,
    }))"""


def session_cookie(user, live_server_url):
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server_url,
    }


def axe_violations(page, axe_script):
    page.evaluate(axe_script)
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
        for violation in results["violations"]
    ]


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def staff(writable_site, django_user_model, tmp_path, monkeypatch):
    """The live site with a superuser and an editor, a change in CAMA's history, a
    correction to it, and dates in the list."""
    monkeypatch.setattr(partners.editorial.admin, "UPLOAD_FOLDER", tmp_path / "uploads")
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    # An editor (the flushed database has no "Directory editors" group): organizations only.
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_organization", "change_organization"])
    )
    cama = Organization.objects.get(acronym="CAMA")
    cama.website = "https://www.camacam.ca/"
    cama._history_user = boss
    cama.save()
    Organization.objects.update(last_verified=datetime.date(2026, 12, 6))
    correction = Correction.objects.create(
        organization=cama,
        what_is_wrong="The website no longer works",
        right_value="https://www.camacam.ca/ is the address now",
    )
    return {
        "url": writable_site,
        "boss": boss,
        "editor": editor,
        "cama": cama,
        "correction": correction,
    }


def test_no_column_of_the_organizations_list_is_cut(staff, open_page):
    for width in WIDTHS:
        page = open_page(width=width, height=900)
        page.context.add_cookies([session_cookie(staff["boss"], staff["url"])])
        page.goto(staff["url"] + reverse("admin:partners_organization_changelist"))
        cells = page.evaluate(CELLS)
        assert cells, width
        cut = [cell for cell in cells if cell["content"] > cell["width"] + 1]
        assert not cut, f"cut at {width} px: {cut}"
        # The table within its box (which would scroll sideways) and the box within the page.
        box = page.evaluate(
            "() => { const box = document.querySelector('#changelist .results');"
            " return {right: box.getBoundingClientRect().right,"
            " content: box.scrollWidth, width: box.clientWidth}; }"
        )
        assert max(cell["right"] for cell in cells) <= box["right"] + 1
        assert box["content"] <= box["width"]
        assert box["right"] <= width
        assert page_width(page) <= width
        columns = {}
        for cell in cells:
            columns[cell["column"].split("-", 1)[-1]] = max(
                columns.get(cell["column"].split("-", 1)[-1], 0), cell["width"]
            )
        print(f"\nOrganizations' list at {width} px, column widths: {columns}")
        shown = set(columns)
        assert {"partner", "country", "published"} <= shown
        if width == 1280:
            assert {"relationship_type", "verified"} <= shown
            # The longest name stays on one or two lines beside the filters.
            name = page.locator("#result_list .field-partner", has_text=LONGEST)
            line = float(name.evaluate("(cell) => parseFloat(getComputedStyle(cell).lineHeight)"))
            assert name.bounding_box()["height"] < 3 * line + 12
        else:
            assert not {"relationship_type", "verified"} & shown


def test_the_import_fits_the_screen(staff, open_page):
    for width in WIDTHS:
        page = open_page(width=width, height=900)
        page.context.add_cookies([session_cookie(staff["boss"], staff["url"])])
        import_url = staff["url"] + reverse("admin:partners_organization_import")
        for data in (THREE_BAD_ROWS, PREVIEW):
            page.goto(import_url)
            page.set_input_files(
                "#id_import_file",
                files=[{"name": "partners.csv", "mimeType": "text/csv", "buffer": data}],
            )
            page.locator("input[type=submit]").click()
            page.wait_for_load_state()
            assert page_width(page) <= width
        assert page.locator("table.import-changes").count() == 1


def visits(staff):
    """(name, user, path) of each admin page this work touched."""
    cama, correction = staff["cama"], staff["correction"]
    admin = staff["boss"]
    return [
        ("sign-in", None, reverse("admin:login")),
        ("organizations", admin, reverse("admin:partners_organization_changelist")),
        ("countries", admin, reverse("admin:partners_country_changelist")),
        ("corrections", admin, reverse("admin:partners_correction_changelist")),
        ("correction", admin, reverse("admin:partners_correction_change", args=[correction.pk])),
        (
            "partner from a correction",
            admin,
            reverse("admin:partners_organization_change", args=[cama.pk])
            + f"?correction={correction.pk}",
        ),
        ("history", admin, reverse("admin:partners_organization_history", args=[cama.pk])),
        (
            "history as an editor",
            staff["editor"],
            reverse("admin:partners_organization_history", args=[cama.pk]),
        ),
        ("refusal", staff["editor"], reverse("admin:auth_user_changelist")),
        ("import", admin, reverse("admin:partners_organization_import")),
        ("export", admin, reverse("admin:partners_organization_export")),
    ]


# One test per width, so that the two halves of the longest browser test run side by side.
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_the_admin_pages_this_work_touched(
    staff, open_page, axe_script, width
):
    found = []
    for name, user, path in visits(staff):
        page = open_page(width=width, height=900)
        if user is not None:
            page.context.add_cookies([session_cookie(user, staff["url"])])
        response = page.goto(staff["url"] + path)
        assert response.status == (403 if name == "refusal" else 200), name
        found += [f"{name} at {width} px: {line}" for line in axe_violations(page, axe_script)]
    # The import's problems and its preview, as they come back from an upload.
    for name, data in (("import problems", THREE_BAD_ROWS), ("import preview", PREVIEW)):
        page = open_page(width=width, height=900)
        page.context.add_cookies([session_cookie(staff["boss"], staff["url"])])
        page.goto(staff["url"] + reverse("admin:partners_organization_import"))
        page.set_input_files(
            "#id_import_file",
            files=[{"name": "partners.csv", "mimeType": "text/csv", "buffer": data}],
        )
        page.locator("input[type=submit]").click()
        page.wait_for_load_state()
        found += [f"{name} at {width} px: {line}" for line in axe_violations(page, axe_script)]
    assert not found, "\n".join(found)
