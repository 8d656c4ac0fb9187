"""partners/pagination.py: a bad page number is reported and the first page shown."""

import pytest
from django.core.paginator import Paginator

from partners.pagination import page_or_first

PAGINATOR = Paginator(list(range(120)), 50)  # three pages


@pytest.mark.parametrize(
    ("number", "expected"), [(None, 1), ("", 1), ("1", 1), ("3", 3), ("last", 3)]
)
def test_good_numbers_give_their_page(number, expected):
    page, problem = page_or_first(PAGINATOR, number)
    assert (page.number, problem) == (expected, None)


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("abc", "“abc” is not a page number, so page 1 is shown."),
        ("2.0", "“2.0” is not a page number, so page 1 is shown."),
        ("4", "There is no page 4 of these results (they fill 3 pages), so page 1 is shown."),
        ("0", "There is no page 0 of these results (they fill 3 pages), so page 1 is shown."),
        ("-2", "There is no page -2 of these results (they fill 3 pages), so page 1 is shown."),
    ],
)
def test_bad_numbers_give_the_first_page_and_say_why(number, problem):
    page, said = page_or_first(PAGINATOR, number)
    assert (page.number, said) == (1, problem)


def test_a_long_bad_value_is_shortened_in_the_message():
    _, problem = page_or_first(PAGINATOR, "9" * 30 + "x")
    assert problem == "“9999999999999999999…” is not a page number, so page 1 is shown."


def test_an_empty_result_has_one_page():
    page, problem = page_or_first(Paginator([], 50), "2")
    assert page.number == 1
    assert problem == "There is no page 2 of these results (they fill 1 page), so page 1 is shown."
