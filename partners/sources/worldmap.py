"""The world map's asset, built from the world-atlas TopoJSON by `manage.py build_world_map`
(never by a request): arcs decoded, projected with the Equal Earth projection, simplified
(so that neighbours keep a common border), and each country written as an SVG path in
tenths of a unit. Pure functions of their arguments."""

import json
import math
from itertools import pairwise

WIDTH = 1000  # of the viewBox; the height follows from the projection and NORTH/SOUTH
NORTH = 84.0  # latitudes the map shows: all land but Antarctica (Greenland reaches 83.6)
SOUTH = -57.0  # Tierra del Fuego and South Georgia end at about -56
TOLERANCE = 0.3  # of Douglas-Peucker simplification, in viewBox units (0 = none)
SMALL = 6.0  # a country whose shape fits in a square this wide (units) also gets a marker
# A country smaller than RING_EXTENT units across gets a focus ring: a circle around it,
# shown when it has the keyboard focus, RING_PADDING units clear of its box and at least
# RING_MIN_RADIUS in radius (at a 390 px wide map, 16 units are 6 px).
RING_EXTENT = 30.0
RING_PADDING = 6.0
RING_MIN_RADIUS = 16.0
SKIP = {"010"}  # ISO 3166-1 numeric codes of features not drawn: Antarctica

# Equal Earth (Šavrič, Patterson & Jenny 2018): an equal-area pseudocylindrical projection.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    """Project a longitude and latitude in degrees to Equal Earth (x east, y north).

    The result is in units of the Earth's radius: (0, 0) goes to (0, 0), longitude ±180
    at the equator to x = ±2.7066, the poles to y = ±1.3173.
    """
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        math.radians(lon)
        * math.cos(theta)
        / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    )
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = equal_earth(180, 0)[0]
_SCALE = WIDTH / (2 * _X_MAX)
_Y_TOP = equal_earth(0, NORTH)[1]
HEIGHT = round((_Y_TOP - equal_earth(0, SOUTH)[1]) * _SCALE)


def project(lon, lat):
    """A longitude and latitude in degrees as SVG coordinates in the map's viewBox:
    x from 0 (longitude -180) to WIDTH (+180), y down from latitude NORTH."""
    x, y = equal_earth(lon, lat)
    return (x + _X_MAX) * _SCALE, (_Y_TOP - y) * _SCALE


# TopoJSON ----------------------------------------------------------------------------


def decode_arcs(topology):
    """The topology's arcs as lists of (longitude, latitude) points.

    In a quantized topology (one with a "transform") each arc's positions after the first
    are deltas from the one before, in steps of transform.scale from transform.translate.
    """
    transform = topology.get("transform")
    if not transform:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy, *_ in arc:
            x += qx
            y += qy
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def cut_at_antimeridian(points):
    """An arc of (longitude, latitude) points as runs that don't cross longitude ±180.

    world-atlas is drawn for spherical rendering, so Fiji's and Russia's rings step from
    179° to -180°. Where an arc does, it is cut: the run before the cut ends on the
    meridian at +180 (or -180), the next starts at the same latitude on the other side.
    """
    runs = [[]]
    for point in points:
        if runs[-1]:
            (lon0, lat0), (lon1, lat1) = runs[-1][-1], point
            if abs(lon1 - lon0) > 180:
                edge = 180.0 if lon0 > 0 else -180.0
                across = lon1 + (360 if lon0 > 0 else -360)  # lon1 on lon0's side
                t = (edge - lon0) / (across - lon0) if across != lon0 else 0.0
                lat = lat0 + t * (lat1 - lat0)
                runs[-1].append((edge, lat))
                runs.append([(-edge, lat)])
        runs[-1].append(point)
    return runs


def ring(indexes, arcs):
    """The ring that a list of arc indexes stands for (~i: arc i reversed), as a list of
    runs of points; each arc is a list of runs. A ring that crosses the antimeridian gives
    two or more runs (each to be closed along the meridian); any other gives one, closed."""
    runs = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else [run[::-1] for run in arcs[~index][::-1]]
        for position, run in enumerate(arc):
            if position == 0 and runs:
                runs[-1].extend(run[1:])  # each arc starts where the last one ended
            else:
                runs.append(list(run))
    if len(runs) > 1:  # the last run goes on into the first
        runs[0] = runs.pop() + runs[0][1:]
    return runs


def polygons(geometry, arcs):
    """A Polygon or MultiPolygon geometry as a list of polygons, each a list of rings
    (the outer ring first, then any holes; a ring cut at the antimeridian gives several);
    any other geometry as an empty list."""
    if geometry.get("type") == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return []
    return [[run for indexes in part for run in ring(indexes, arcs)] for part in parts]


def projected_arcs(topology, tolerance=TOLERANCE):
    """The topology's arcs, cut at the antimeridian, projected into the viewBox and
    simplified: each a list of runs of (x, y) points. Simplifying arcs rather than
    countries keeps the border two neighbours share the same in both."""
    return [
        [simplify([project(lon, lat) for lon, lat in run], tolerance) for run in runs]
        for runs in map(cut_at_antimeridian, decode_arcs(topology))
    ]


def simplify(points, tolerance):
    """Douglas-Peucker: drop the points closer than `tolerance` to the line that would
    replace them. The first and last points always stay."""
    if tolerance <= 0 or len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                d = abs(dx * (ay - py) - dy * (ax - px)) / length
            else:  # a closed arc: measure from its one end point
                d = math.hypot(px - ax, py - ay)
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack.extend([(first, farthest), (farthest, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


# Plane geometry -----------------------------------------------------------------------


def ring_area_centroid(points):
    """The signed area and the centroid of a closed ring of (x, y) points."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        n = len(points) or 1
        return 0.0, (sum(x for x, _ in points) / n, sum(y for _, y in points) / n)
    return area, (cx / (6 * area), cy / (6 * area))


def marker_point(shape):
    """Where to put a country's marker: the centroid of its largest polygon's outer ring,
    rounded to tenths."""
    outer_rings = [rings[0] for rings in shape if rings and rings[0]]
    if not outer_rings:
        return None
    measured = [ring_area_centroid(points) for points in outer_rings]
    _, (x, y) = max(measured, key=lambda item: abs(item[0]))
    return [round(x, 1), round(y, 1)]


def bounds(shape):
    """(left, top, right, bottom) of the box around all a country's points, or None."""
    points = [point for rings in shape for points in rings for point in points]
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def extent(shape):
    """The larger side of the box around all a country's points (in its own units)."""
    box = bounds(shape)
    if box is None:
        return 0.0
    left, top, right, bottom = box
    return max(right - left, bottom - top)


def focus_ring(shape, marker=None):
    """[x, y, radius] of the circle drawn around a small country when it has the keyboard
    focus: around the box of its shape (or its marker, for a country with no shape),
    RING_PADDING clear of it and never smaller than RING_MIN_RADIUS; rounded to tenths."""
    box = bounds(shape)
    if box is None:
        if marker is None:
            return None
        x, y = marker
        return [x, y, RING_MIN_RADIUS]
    left, top, right, bottom = box
    radius = max(RING_MIN_RADIUS, math.hypot(right - left, bottom - top) / 2 + RING_PADDING)
    return [round((left + right) / 2, 1), round((top + bottom) / 2, 1), round(radius, 1)]


# SVG paths ----------------------------------------------------------------------------


def _number(tenths):
    """A whole number of tenths as short SVG path text: 123 → "12.3", -3 → "-.3", 50 → "5"."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _pairs(numbers):
    """Numbers joined for an SVG path, with a space only where a minus sign isn't one."""
    out = []
    for number in numbers:
        if out and not number.startswith("-"):
            out.append(" ")
        out.append(number)
    return "".join(out)


def path_data(shape):
    """SVG path `d` for a list of polygons in viewBox coordinates: each ring a move to its
    first point, relative lines on to the others, and a close. Coordinates are rounded to
    tenths; rings that collapse to fewer than three points are left out."""
    commands = []
    for rings in shape:
        for points in rings:
            tenths = []
            for x, y in points:
                point = (round(x * 10), round(y * 10))
                if not tenths or point != tenths[-1]:
                    tenths.append(point)
            if len(tenths) > 1 and tenths[0] == tenths[-1]:
                tenths.pop()
            if len(tenths) < 3:
                continue
            (x0, y0), deltas = tenths[0], []
            for (xa, ya), (xb, yb) in pairwise(tenths):
                deltas += [_number(xb - xa), _number(yb - ya)]
            commands.append(f"M{_pairs([_number(x0), _number(y0)])}l{_pairs(deltas)}z")
    return "".join(commands)


# Building the asset -------------------------------------------------------------------


def projected_shapes(topology, tolerance=TOLERANCE, object_name="countries"):
    """(numeric id or None, name, polygons in viewBox coordinates) for each country in the
    topology but Antarctica, each arc projected and simplified once for all its users."""
    arcs = projected_arcs(topology, tolerance)
    shapes = []
    for geometry in topology["objects"][object_name]["geometries"]:
        numeric = geometry.get("id")
        if numeric in SKIP:
            continue
        name = (geometry.get("properties") or {}).get("name") or ""
        shapes.append((numeric, name, polygons(geometry, arcs)))
    return shapes


def build_asset(topology, alpha2, points_topology=None, tolerance=TOLERANCE):
    """The map asset for a world-atlas topology.

    `alpha2` turns an ISO 3166-1 numeric code ("404") into an alpha-2 code ("KE"), or
    None for the features without one (Kosovo, N. Cyprus, Somaliland), which stay plain
    land. A country whose shape is smaller than SMALL units across gets a `marker` point;
    so does each country that is only in `points_topology` (such as the 1:50m countries:
    Singapore, Malta, Bahrain…), which has a marker and an empty path. A country smaller
    than RING_EXTENT across gets a focus `ring` ([x, y, radius]).
    """
    countries = []
    for numeric, name, shape in projected_shapes(topology, tolerance):
        country = {"code": alpha2(numeric) if numeric else None, "name": name}
        country["d"] = path_data(shape)
        if extent(shape) < SMALL or not country["d"]:
            country["marker"] = marker_point(shape)
        if extent(shape) < RING_EXTENT and country["code"]:
            country["ring"] = focus_ring(shape, country.get("marker"))
        countries.append(country)
    if points_topology is not None:
        known = {country["code"] for country in countries}
        for numeric, name, shape in projected_shapes(points_topology, tolerance=0):
            code = alpha2(numeric) if numeric else None
            point = marker_point(shape)
            if code and code not in known and point:
                ring = focus_ring([], point)
                countries.append(
                    {"code": code, "name": name, "d": "", "marker": point, "ring": ring}
                )
                known.add(code)
    countries = [c for c in countries if c["d"] or c.get("marker")]
    countries.sort(key=lambda country: (country["name"], country["code"] or ""))
    return {"width": WIDTH, "height": HEIGHT, "countries": countries}


def dump_asset(asset):
    """The asset as JSON text, one country a line so that a rebuild's diff is readable."""
    head = {key: value for key, value in asset.items() if key != "countries"}
    lines = [json.dumps(country, ensure_ascii=False) for country in asset["countries"]]
    body = ",\n".join(lines)
    return f'{json.dumps(head, ensure_ascii=False)[:-1]}, "countries": [\n{body}\n]}}\n'
