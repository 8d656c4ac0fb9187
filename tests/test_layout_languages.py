"""The layout holds in every language, in Chromium (tests/conftest.py): each of the
directory's filter selects is wide enough for its longest option at desktop widths, and
the footer's phone number stays on one line on a phone."""

import pytest

pytestmark = [pytest.mark.browser]

LANGUAGES = ["en", "es", "fr"]
PREFIX = {"en": "", "es": "/es", "fr": "/fr"}

# For each select of the filters: its inner width (clientWidth, without the border), the
# width its longest option's text takes in the select's own font (a canvas's
# measureText), and the room the select keeps beside the text (its padding and the arrow).
MEASURE = """() => [...document.querySelectorAll('.filters select')].map(select => {
    const style = getComputedStyle(select);
    const canvas = document.createElement('canvas').getContext('2d');
    canvas.font = style.font;
    let longest = '', text = 0;
    for (const option of select.options) {
        const width = canvas.measureText(option.text).width;
        if (width > text) { text = width; longest = option.text; }
    }
    const padding = parseFloat(style.paddingInlineStart) + parseFloat(style.paddingInlineEnd);
    return {id: select.id, inner: select.clientWidth, text, padding, longest,
            options: select.options.length};
})"""
# The drop-down arrow Chromium draws inside the select, beside the text.
ARROW = 16


def too_narrow(page):
    """The selects whose longest option would be cut, as readable lines."""
    selects = page.evaluate(MEASURE)
    assert [select["id"] for select in selects] == ["id_country", "id_region", "id_type"]
    assert all(select["options"] > 1 for select in selects)
    return [
        f"{select['id']}: {select['inner']} px for “{select['longest']}”, which needs "
        f"{select['text'] + select['padding'] + ARROW:.0f} px"
        for select in selects
        if select["inner"] < select["text"] + select["padding"] + ARROW
    ]


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_filter_option_fits_its_select(site, open_page, language, width):
    page = open_page(width=width, height=900)
    page.goto(f"{site}{PREFIX[language]}/partners/")
    assert too_narrow(page) == []
    # The form stays inside the page: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1024, 1280])
def test_a_longer_name_still_fits_the_layout_makes_room(site, open_page, width):
    """No name is special: an option far longer than any today (country names change)
    widens its select, and the fields wrap to another line rather than cut it."""
    page = open_page(width=width, height=900)
    page.goto(f"{site}/fr/partners/")
    page.evaluate(
        """() => {
            for (const select of document.querySelectorAll('.filters select')) {
                select.add(new Option('République démocratique du Congo (Kinshasa), RDC'));
            }
        }"""
    )
    assert too_narrow(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footer_phone_is_one_line_in_international_form(site, open_page, language):
    page = open_page(width=390, height=844)
    page.goto(f"{site}{PREFIX[language]}/partners/")
    phone = page.locator(".site-footer a[href^='tel:']")
    assert phone.get_attribute("href") == "tel:+12029623680"
    assert phone.inner_text() == "+1 202-962-3680"
    # One line: one box, no taller than a line of the footer's text.
    boxes = phone.evaluate("e => e.getClientRects().length")
    height = phone.evaluate("e => e.getBoundingClientRect().height")
    line = phone.evaluate("e => parseFloat(getComputedStyle(e.parentElement).lineHeight)")
    assert boxes == 1 and height <= line + 1
    assert phone.evaluate("e => e.getBoundingClientRect().right") <= 390
