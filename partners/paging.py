"""The base of the directory's paginators: pages that read their own rows."""

from django.core.paginator import Paginator


class RowsPaginator(Paginator):
    """A Paginator whose pages read their own rows (`rows(bottom, top)`), rather than
    slicing one QuerySet, from the counts it keeps."""

    capped = False  # Whether more match than the list holds (a broad search's).

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom, top):
        """The list's items bottom..top-1."""
        raise NotImplementedError
