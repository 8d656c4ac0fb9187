"""The home page's world map: building the asset from Natural Earth, and drawing it."""

import gzip
import json
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from partners import worldmap
from partners.models import Country
from partners.sources import worldmap as atlas
from tests.factories import CountryFactory, OrganizationFactory

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))


def links(svg):
    return parse(svg).findall(f".//{SVG}a")


def fake_country(code, name, partner_count):
    return SimpleNamespace(
        code=code,
        name=name,
        local_name=name,
        partner_count=partner_count,
        get_absolute_url=lambda: f"/countries/{name.lower()}/",
    )


# The projection -----------------------------------------------------------------------


def test_projection_puts_the_origin_at_the_centre():
    assert atlas.equal_earth(0, 0) == (0, 0)
    x, _ = atlas.project(0, 0)
    assert x == pytest.approx(atlas.WIDTH / 2)


def test_projection_keeps_east_west_and_north_south_order():
    xs = [atlas.project(lon, 20)[0] for lon in (-170, -90, -10, 0, 10, 90, 170)]
    assert xs == sorted(xs)
    assert atlas.project(-180, 0)[0] == pytest.approx(0)
    assert atlas.project(180, 0)[0] == pytest.approx(atlas.WIDTH)
    assert atlas.project(0, 60)[1] < atlas.project(0, 0)[1] < atlas.project(0, -50)[1]


def test_projection_is_equal_earth():
    # Values from the projection's paper (Šavrič et al. 2018): the equator's half-length
    # and the pole's height, in Earth radii.
    assert atlas.equal_earth(180, 0)[0] == pytest.approx(2.7066, abs=1e-4)
    assert atlas.equal_earth(0, 90)[1] == pytest.approx(1.3173, abs=1e-4)
    assert atlas.equal_earth(-100, -40) == pytest.approx(
        tuple(-v for v in atlas.equal_earth(100, 40))
    )


def test_the_map_shows_all_land_but_antarctica():
    assert atlas.project(0, atlas.NORTH)[1] == pytest.approx(0)
    assert atlas.project(0, atlas.SOUTH)[1] == pytest.approx(atlas.HEIGHT, abs=0.5)
    assert 400 < atlas.HEIGHT < 500


# TopoJSON decoding and path building --------------------------------------------------


def test_quantized_arcs_are_delta_decoded():
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [-10, 20]},
        "arcs": [[[0, 0], [4, 0], [0, 8], [-4, -8]]],
    }
    assert atlas.decode_arcs(topology) == [[(-10, 20), (-8, 20), (-8, 22), (-10, 20)]]


def test_unquantized_arcs_are_taken_as_they_are():
    assert atlas.decode_arcs({"arcs": [[[1, 2], [3, 4]]]}) == [[(1.0, 2.0), (3.0, 4.0)]]


def test_reversed_arcs_and_shared_ends_make_one_ring():
    arcs = [[[(0, 0), (1, 0), (1, 1)]], [[(0, 0), (0, 1), (1, 1)]]]
    assert atlas.ring([0, ~1], arcs) == [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]]


def test_an_arc_crossing_the_antimeridian_is_cut_there():
    runs = atlas.cut_at_antimeridian([(178, 10), (-178, 12), (-176, 14)])
    assert runs == [[(178, 10), (180, 11)], [(-180, 11), (-178, 12), (-176, 14)]]


def test_simplification_keeps_the_ends_and_the_corners():
    points = [(0, 0), (1, 0.01), (2, 0), (2, 2)]
    assert atlas.simplify(points, 0.1) == [(0, 0), (2, 0), (2, 2)]
    assert atlas.simplify(points, 0) == points
    ring = [(0, 0), (1, 0.01), (2, 0), (1, 1), (0, 0)]  # closed: measured from its end
    assert atlas.simplify(ring, 0.1) == [(0, 0), (2, 0), (1, 1), (0, 0)]


def test_path_data_is_relative_and_in_tenths():
    square = [[[(10, 20), (12.54, 20), (12.54, 21), (10, 21), (10, 20)]]]
    assert atlas.path_data(square) == "M10 20l2.5 0 0 1-2.5 0z"
    assert atlas.path_data([[[(0, 0), (0.01, 0), (0, 0.02), (0, 0)]]]) == ""  # too small


# The build command --------------------------------------------------------------------


def sample_topology():
    """Three hand-made countries and Antarctica, quantized in steps of a tenth of a degree."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.1, 0.1], "translate": [-180, -90]},
        "arcs": [
            # Kenya-ish: a square from 34E 5S to 41E 4N, one closed arc
            [[2140, 850], [70, 0], [0, 90], [-70, 0], [0, -90]],
            # India-ish: a triangle
            [[2480, 980], [200, 0], [-100, 250], [-100, -250]],
            # a one-degree square with no ISO code, at 20E 40N
            [[2000, 1300], [10, 0], [0, 10], [-10, 0], [0, -10]],
            # Antarctica
            [[0, 50], [3600, 0], [0, 10], [-3600, 0], [0, -10]],
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {
                        "type": "Polygon",
                        "arcs": [[0]],
                        "id": "404",
                        "properties": {"name": "Kenya"},
                    },
                    {
                        "type": "Polygon",
                        "arcs": [[1]],
                        "id": "356",
                        "properties": {"name": "India"},
                    },
                    {"type": "Polygon", "arcs": [[2]], "properties": {"name": "Kosovo"}},
                    {"type": "Polygon", "arcs": [[3]], "id": "010", "properties": {"name": "A."}},
                ],
            }
        },
    }


@pytest.fixture
def sample_source(tmp_path):
    path = tmp_path / "countries.json"
    path.write_text(json.dumps(sample_topology()), encoding="utf-8")
    return path


def build(source, output, *args):
    call_command(
        "build_world_map", "--source", source, "--points-source", "", "--output", output, *args
    )


def test_build_writes_a_valid_asset(sample_source, tmp_path):
    output = tmp_path / "out" / "world_map.json"
    build(sample_source, output)
    asset = json.loads(output.read_text(encoding="utf-8"))
    assert (asset["width"], asset["height"]) == (atlas.WIDTH, atlas.HEIGHT)
    countries = {country["name"]: country for country in asset["countries"]}
    assert set(countries) == {"India", "Kenya", "Kosovo"}  # no Antarctica
    assert countries["Kenya"]["code"] == "KE"
    assert countries["India"]["code"] == "IN"
    assert countries["Kosovo"]["code"] is None
    assert re.fullmatch(r"M[\d.]+ [\d.]+l[-\d. ]+z", countries["India"]["d"])
    assert "marker" in countries["Kosovo"]  # too small to see
    assert "marker" not in countries["India"]
    x, y = countries["Kosovo"]["marker"]
    assert (x, y) == pytest.approx(atlas.project(20.5, 40.5), abs=0.2)


def test_check_passes_on_what_build_wrote_and_fails_on_a_stale_asset(sample_source, tmp_path):
    output = tmp_path / "world_map.json"
    build(sample_source, output)
    build(sample_source, output, "--check")  # no error
    output.write_text(output.read_text(encoding="utf-8").replace("Kenya", "Kenia"))
    with pytest.raises(CommandError, match="out of date"):
        build(sample_source, output, "--check")
    assert "Kenia" in output.read_text(encoding="utf-8")  # --check writes nothing


def test_check_fails_when_the_asset_is_missing(sample_source, tmp_path):
    with pytest.raises(CommandError, match="out of date"):
        build(sample_source, tmp_path / "none.json", "--check")


def test_committed_asset_matches_the_sources():
    call_command("build_world_map", "--check", verbosity=0)  # raises when out of date


def test_missing_or_wrong_source_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        build(tmp_path / "missing.json", tmp_path / "out.json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    with pytest.raises(CommandError, match="no `countries` object"):
        build(wrong, tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_every_partner_country_is_in_the_committed_asset(fixture_path):
    records = json.loads(fixture_path.read_text(encoding="utf-8"))
    codes = {r["fields"]["code"] for r in records if r["model"] == "partners.country"}
    assert len(codes) == 31
    drawn = {c["code"] for c in worldmap.load_asset()["countries"] if c["d"] or c.get("marker")}
    assert codes <= drawn


def test_the_asset_is_read_once():
    assert worldmap.load_asset() is worldmap.load_asset()


# Drawing the map ----------------------------------------------------------------------


@pytest.fixture
def partner_countries(directory):
    return list(Country.objects.with_partner_counts())


def test_map_highlights_exactly_the_countries_with_published_partners(partner_countries):
    svg = worldmap.render_world_map(partner_countries)
    hrefs = [link.get("href") for link in links(svg)]
    assert len(partner_countries) == 31
    assert sorted(hrefs) == sorted(country.get_absolute_url() for country in partner_countries)
    kenya = Country.objects.get(code="KE")
    assert kenya.get_absolute_url() in hrefs


def test_accessible_name_and_tooltip_give_the_partner_count(partner_countries):
    svg = worldmap.render_world_map(partner_countries)
    labels = {link.get("aria-label"): link for link in links(svg)}
    assert "Kenya: 1 partner" in labels
    assert "India: 4 partners" in labels
    india = labels["India: 4 partners"]
    assert india.find(f"{SVG}title").text == "India: 4 partners"
    assert india.find(f"{SVG}path") is not None


def test_map_is_a_labelled_group_without_styles_scripts_or_other_hosts(partner_countries):
    svg = str(worldmap.render_world_map(partner_countries))
    root = parse(svg)
    assert root.get("role") == "group"
    title = root.find(f"{SVG}title")
    assert root.get("aria-labelledby") == title.get("id")
    assert title.text == "World map of ICMA's partner countries"
    elements = list(root.iter())
    assert not [e for e in elements if e.get("style") is not None]
    assert not [e for e in elements if e.tag in (f"{SVG}style", f"{SVG}script")]
    assert re.findall(r"\w+://[^\"]*", svg) == ["http://www.w3.org/2000/svg"]
    land = root.find(f"{SVG}path")
    assert land.get("class") == "world-map__land"
    assert land.get("aria-hidden") == "true"


def test_small_partner_countries_get_a_marker(partner_countries):
    svg = worldmap.render_world_map(partner_countries)
    palestine = next(link for link in links(svg) if link.get("aria-label").startswith("Palest"))
    assert palestine.find(f"{SVG}circle").get("class") == "world-map__marker"


def test_a_country_missing_from_the_shapes_is_drawn_as_a_marker():
    asset = {
        "width": 1000,
        "height": 435,
        "countries": [
            {"code": "SG", "name": "Singapore", "d": "", "marker": [780.5, 240.2]},
            {"code": "MY", "name": "Malaysia", "d": "M1 1l1 0 0 1z"},
        ],
    }
    svg = worldmap.render_world_map([fake_country("SG", "Singapore", 2)], asset=asset)
    (link,) = links(svg)
    assert link.get("aria-label") == "Singapore: 2 partners"
    assert link.find(f"{SVG}path") is None
    circle = link.find(f"{SVG}circle")
    assert (circle.get("cx"), circle.get("cy")) == ("780.5", "240.2")


def test_names_are_escaped():
    asset = {"width": 10, "height": 10, "countries": [{"code": "CI", "name": "x", "d": "M1 1z"}]}
    svg = worldmap.render_world_map([fake_country("CI", 'Côte <d"Ivoire> & co', 1)], asset=asset)
    assert '<d"Ivoire>' not in svg
    assert "Côte &lt;d&quot;Ivoire&gt; &amp; co: 1 partner" in svg
    (link,) = links(svg)
    assert link.get("aria-label") == 'Côte <d"Ivoire> & co: 1 partner'


def test_an_unpublished_only_country_is_not_highlighted(empty_directory):
    czechia = CountryFactory(code="CZ", name="Czechia")
    france = CountryFactory(code="FR", name="France")
    OrganizationFactory(country=czechia)
    OrganizationFactory(country=france, is_published=False)
    countries = list(Country.objects.with_partner_counts())
    html = str(worldmap.render_world_map(countries))
    assert [link.get("href") for link in links(html)] == [czechia.get_absolute_url()]
    assert france.get_absolute_url() not in html


def test_drawing_runs_no_query(partner_countries, django_assert_num_queries):
    with django_assert_num_queries(0):
        worldmap.render_world_map(partner_countries)


def test_the_map_adds_at_most_60_kb_gzipped(partner_countries):
    svg = worldmap.render_world_map(partner_countries)
    assert len(gzip.compress(str(svg).encode("utf-8"))) <= 60 * 1024


def test_links_keep_the_given_order_with_the_markers_last():
    asset = {
        "width": 10,
        "height": 10,
        "countries": [
            {"code": "IL", "name": "Israel", "d": "M1 1l1 0 0 1z"},
            {"code": "PS", "name": "Palestine", "d": "M1 1l.1 0 0 .1z", "marker": [1, 1]},
            {"code": "KE", "name": "Kenya", "d": "M5 5l1 0 0 1z"},
        ],
    }
    given = [fake_country("PS", "Palestine", 1), fake_country("KE", "Kenya", 1)]
    given.append(fake_country("IL", "Israel", 3))
    svg = worldmap.render_world_map(given, asset=asset, title_id="map-2")
    assert [link.get("aria-label") for link in links(svg)] == [
        "Kenya: 1 partner",
        "Israel: 3 partners",
        "Palestine: 1 partner",
    ]
    assert parse(svg).get("aria-labelledby") == "map-2"


# Keyboard focus -----------------------------------------------------------------------


def test_focus_ring_surrounds_a_small_shape_and_is_never_tiny():
    square = [[[(100, 100), (104, 100), (104, 103), (100, 103)]]]  # 4 by 3 units
    x, y, radius = atlas.focus_ring(square)
    assert (x, y) == (102, 101.5)
    assert radius == atlas.RING_MIN_RADIUS
    wide = [[[(0, 0), (28, 0), (28, 20), (0, 20)]]]
    x, y, radius = atlas.focus_ring(wide)
    assert (x, y) == (14, 10)
    assert radius == pytest.approx(17.2 + atlas.RING_PADDING, abs=0.1)  # half the diagonal
    assert atlas.focus_ring([], marker=[5, 6]) == [5, 6, atlas.RING_MIN_RADIUS]
    assert atlas.focus_ring([]) is None


def test_build_gives_small_countries_a_focus_ring(sample_source, tmp_path):
    output = tmp_path / "world_map.json"
    build(sample_source, output)
    countries = {c["name"]: c for c in json.loads(output.read_text())["countries"]}
    assert "ring" not in countries["India"]
    assert "ring" not in countries["Kosovo"]  # no ISO code: never a partner, never a link


def test_the_committed_asset_rings_the_small_partner_countries():
    asset = worldmap.load_asset()
    rings = {c["code"]: c.get("ring") for c in asset["countries"]}
    for code in ("CR", "IL", "PS", "SZ", "DO", "IE"):
        assert rings[code] is not None, code
    for code in ("IN", "AU", "CA", "KE"):
        assert rings[code] is None, code


def test_small_countries_are_drawn_last_with_a_two_tone_ring(partner_countries):
    svg = worldmap.render_world_map(partner_countries)
    drawn = [link.get("aria-label").split(":")[0] for link in links(svg)]
    small = [link for link in links(svg) if "world-map__partner--small" in link.get("class")]
    assert {link.get("aria-label").split(":")[0] for link in small} >= {"Costa Rica", "Israel"}
    assert drawn[-len(small) :] == [link.get("aria-label").split(":")[0] for link in small]
    costa_rica = next(link for link in small if link.get("aria-label").startswith("Costa"))
    rings = [c.get("class") for c in costa_rica.findall(f"{SVG}circle")]
    assert rings == [
        "world-map__ring world-map__ring--outer",
        "world-map__ring world-map__ring--inner",
    ]
    india = next(link for link in links(svg) if link.get("aria-label").startswith("India"))
    assert india.findall(f"{SVG}circle") == []


def test_home_page_offers_a_way_past_the_map(client, directory):
    html = client.get("/").content.decode()
    skip = html.index('class="skip-map" href="#regions"')
    assert skip < html.index('class="world-map"') < html.index('id="regions"')
