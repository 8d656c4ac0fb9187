"""Ready for a right-to-left language: the stylesheets use logical properties
(margin-inline-start, border-inline-start, text-align: start…), never left or right, so that
each page laid out with dir="rtl" mirrors cleanly instead of spilling sideways.

The browser tests set dir="rtl" on <html> of every public page, at phone and desktop widths,
and look for anything wider than the viewport or outside it, and for any box that is not
where the mirror image of the left-to-right page puts it. The static tests read the
stylesheets (tinycss2) for physical left and right declarations."""

from pathlib import Path

import pytest
import tinycss2
from django.conf import settings

from partners import pages
from tests.factories import grow_directory_to

STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))
WIDTHS = [375, 1280]
# Every example of every public page people read (partners/pages.py): (page, example).
PAGES = pages.examples(html=True)
# Those that need more than the directory's partners (more than a page, for pagination).
GROWN = [name for name, (_, example) in PAGES.items() if example.organizations]

# Every element's visible box (its box cut by any ancestor that clips its overflow), and the
# page's scrolling width. Visually hidden content (a box of 1 px or less that clips its
# overflow: text for screen readers, the corrections form's honeypot) is not drawn, and is
# left out of the boxes; it still counts in the scrolling width.
FIND_OVERFLOW = """() => {
  const viewport = document.documentElement.clientWidth;
  const clips = (element) => getComputedStyle(element).overflowX !== "visible";
  const visuallyHidden = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const box = node.getBoundingClientRect();
      if (clips(node) && box.width <= 1 && box.height <= 1) return true;
    }
    return false;
  };
  const visibleBox = (element) => {
    const box = element.getBoundingClientRect();
    let left = box.left, right = box.right;
    for (let node = element.parentElement; node; node = node.parentElement) {
      if (node === document.documentElement || !clips(node)) continue;
      const clip = node.getBoundingClientRect();
      left = Math.max(left, clip.left);
      right = Math.min(right, clip.right);
    }
    return {left, right, width: box.width, height: box.height};
  };
  const outside = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = visibleBox(element);
    if (box.width === 0 || box.height === 0 || box.right <= box.left) continue;
    if (box.left < -0.5 || box.right > viewport + 0.5) {
      if (visuallyHidden(element)) continue;
      const name = element.tagName.toLowerCase() +
        (element.className && typeof element.className === "string"
          ? "." + element.className.trim().split(/\\s+/).join(".") : "");
      outside.push(`${name} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    viewport,
    outside,
  };
}"""


def check_inside_the_viewport(site, open_page, name, width):
    page_of_site, example = PAGES[name]
    page = open_page(width=width, height=900)
    response = page.goto(site + page_of_site.path(example, "en"))
    assert response.status == example.status
    page.evaluate("document.documentElement.dir = 'rtl'")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    found = page.evaluate(FIND_OVERFLOW)
    assert found["outside"] == []
    assert found["scrollWidth"] <= found["viewport"]


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [name for name in PAGES if name not in GROWN])
def test_page_laid_out_right_to_left_stays_inside_the_viewport(site, open_page, name, width):
    check_inside_the_viewport(site, open_page, name, width)


# Each element's horizontal extent, in document order (null for one left out): the boxes of
# block-level elements, flex and grid items and table cells, which a stylesheet written in
# logical properties mirrors exactly. Left out: inline content (where English text set right
# to left reorders itself), what an SVG drawing holds (a map is not mirrored) and visually
# hidden content.
HORIZONTAL_BOXES = """() => {
  const clips = (element) => getComputedStyle(element).overflowX !== "visible";
  const leftOut = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      const box = node.getBoundingClientRect();
      if (clips(node) && box.width <= 1 && box.height <= 1) return true;
      if (node !== element && node instanceof SVGElement) return true;
      if (style.display.startsWith("inline") || style.display === "contents") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")].map((element) => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || leftOut(element)) return null;
    const classes = typeof element.className === "string" ? element.className : "";
    const name = [element.tagName.toLowerCase(), ...classes.split(" ")].filter(Boolean).join(".");
    return [name, box.left, box.right];
  });
}"""


def check_mirror_image(site, open_page, name, width):
    """Every box sits as far from the right edge in RTL as from the left edge in LTR (to a
    pixel): a margin, padding, border or position left on a physical side would move it."""
    page_of_site, example = PAGES[name]
    page = open_page(width=width, height=900)
    page.goto(site + page_of_site.path(example, "en"))
    viewport = page.evaluate("document.documentElement.clientWidth")
    left_to_right = page.evaluate(HORIZONTAL_BOXES)
    page.evaluate("document.documentElement.dir = 'rtl'")
    right_to_left = page.evaluate(HORIZONTAL_BOXES)
    assert len(right_to_left) == len(left_to_right)
    assert sum(1 for box in left_to_right if box) > 20  # the page's boxes, not a few
    not_mirrored = [
        f"{ltr[0]}: [{ltr[1]:.0f}, {ltr[2]:.0f}] in LTR, [{rtl[1]:.0f}, {rtl[2]:.0f}] in RTL"
        for ltr, rtl in zip(left_to_right, right_to_left, strict=True)
        if ltr
        and rtl
        and (abs(viewport - ltr[2] - rtl[1]) > 1 or abs(viewport - ltr[1] - rtl[2]) > 1)
    ]
    assert not_mirrored == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [name for name in PAGES if name not in GROWN])
def test_page_laid_out_right_to_left_is_the_mirror_image(site, open_page, name, width):
    check_mirror_image(site, open_page, name, width)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", GROWN)
def test_pages_of_results_laid_out_right_to_left_stay_inside_and_mirror(
    writable_site, open_page, name, width
):
    grow_directory_to(PAGES[name][1].organizations)
    check_inside_the_viewport(writable_site, open_page, name, width)
    check_mirror_image(writable_site, open_page, name, width)


# Physical properties that a right-to-left page would get backwards, and their logical
# replacements.
PHYSICAL_PROPERTIES = {
    "left": "inset-inline-start",
    "right": "inset-inline-end",
    "margin-left": "margin-inline-start",
    "margin-right": "margin-inline-end",
    "padding-left": "padding-inline-start",
    "padding-right": "padding-inline-end",
    "border-left": "border-inline-start",
    "border-right": "border-inline-end",
    "border-left-width": "border-inline-start-width",
    "border-right-width": "border-inline-end-width",
    "border-left-style": "border-inline-start-style",
    "border-right-style": "border-inline-end-style",
    "border-left-color": "border-inline-start-color",
    "border-right-color": "border-inline-end-color",
    "border-top-left-radius": "border-start-start-radius",
    "border-top-right-radius": "border-start-end-radius",
    "border-bottom-left-radius": "border-end-start-radius",
    "border-bottom-right-radius": "border-end-end-radius",
    "scroll-margin-left": "scroll-margin-inline-start",
    "scroll-margin-right": "scroll-margin-inline-end",
    "scroll-padding-left": "scroll-padding-inline-start",
    "scroll-padding-right": "scroll-padding-inline-end",
}
# Properties whose value may name a side: "start" and "end" instead.
SIDE_VALUES = {"text-align", "float", "clear", "caption-side", "resize"}
# Shorthands whose four values run top, right, bottom, left: the right and left ones must
# match (otherwise margin-inline / padding-inline says which is which).
FOUR_SIDED = {
    "margin",
    "padding",
    "inset",
    "border-width",
    "border-style",
    "border-color",
    "scroll-margin",
    "scroll-padding",
}


def declarations(stylesheet):
    """(selector, property, value tokens) for each declaration in the file, inside @media too."""

    def walk(rules, prelude=""):
        for rule in rules:
            if rule.type == "qualified-rule":
                selector = tinycss2.serialize(rule.prelude).strip()
                for declaration in tinycss2.parse_blocks_contents(
                    rule.content, skip_whitespace=True, skip_comments=True
                ):
                    if declaration.type == "declaration":
                        values = [
                            token
                            for token in declaration.value
                            if token.type not in {"whitespace", "comment"}
                        ]
                        yield f"{prelude}{selector}", declaration.lower_name, values
            elif rule.type == "at-rule" and rule.content is not None:
                nested = tinycss2.parse_rule_list(
                    rule.content, skip_whitespace=True, skip_comments=True
                )
                at_prelude = tinycss2.serialize(rule.prelude).strip()
                yield from walk(nested, f"@{rule.at_keyword} {at_prelude} ")

    rules = tinycss2.parse_stylesheet(
        stylesheet.read_text(encoding="utf-8"), skip_whitespace=True, skip_comments=True
    )
    yield from walk(rules)


def physical(name, values):
    """Why a declaration is physical (left or right), or None."""
    if name in PHYSICAL_PROPERTIES:
        return f"use {PHYSICAL_PROPERTIES[name]}"
    sides = {value.lower_value for value in values if value.type == "ident"}
    if name in SIDE_VALUES and sides & {"left", "right"}:
        return "use start or end"
    four = [value.serialize() for value in values]
    if name in FOUR_SIDED and len(four) == 4 and four[1] != four[3]:
        return f"right and left differ: use {name}-block and {name}-inline"
    return None


def test_stylesheets_are_found():
    assert {path.name for path in STYLESHEETS} >= {"site.css", "print.css", "admin.css"}
    site_css = next(path for path in STYLESHEETS if path.name == "site.css")
    assert sum(1 for _ in declarations(site_css)) > 300


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_stylesheet_has_no_physical_left_or_right(stylesheet):
    found = [
        f"{selector} {{ {name}: {' '.join(value.serialize() for value in values)} }}: {reason}"
        for selector, name, values in declarations(stylesheet)
        if (reason := physical(name, values))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("css", "physical_ones"),
    [
        (".a { margin-left: 1rem; text-align: left; }", 2),
        ("@media (min-width: 40rem) { .a { border-right: 1px solid; float: right; } }", 2),
        (".a { padding: 0 1rem 0 2rem; left: 0; }", 2),
        (".a { margin-inline-start: 1rem; text-align: start; padding: 1rem 2rem 3rem; }", 0),
        (".a { inset-inline-end: 0; padding: 1px 2px 3px 2px; top: 0; }", 0),
    ],
)
def test_physical_declarations_are_recognised(tmp_path, css, physical_ones):
    stylesheet = tmp_path / "sample.css"
    stylesheet.write_text(css, encoding="utf-8")
    found = [name for _, name, values in declarations(stylesheet) if physical(name, values)]
    assert len(found) == physical_ones
