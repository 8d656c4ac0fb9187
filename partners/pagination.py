"""Pages of results. A bad page number is like any other bad parameter: it is reported in
words and ignored (the first page is shown), never an error page."""

from django.utils.text import Truncator


def page_or_first(paginator, number):
    """(page, problem): the page `number` asks for, or the first page and a sentence
    saying why when `number` is not one of the paginator's pages. No number (or "") means
    the first page; "last" means the last, as with Django's own pagination."""
    if number in (None, ""):
        return paginator.page(1), None
    if number == "last":
        return paginator.page(paginator.num_pages), None
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        shown = Truncator(str(number)).chars(20)
        return paginator.page(1), f"“{shown}” is not a page number, so page 1 is shown."
    if not 1 <= wanted <= paginator.num_pages:
        pages = f"{paginator.num_pages} page{'s' if paginator.num_pages != 1 else ''}"
        return (
            paginator.page(1),
            f"There is no page {wanted} of these results (they fill {pages}), so page 1 is shown.",
        )
    return paginator.page(wanted), None
