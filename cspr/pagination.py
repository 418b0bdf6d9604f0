"""Pages of a long list in one query rather than two."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, QuerySet, Window


class CountedPaginator(Paginator):
    """Django's Paginator, with `get_page` reading the list's length from the page's own
    query: the page's rows carry a count over the whole filtered list, taken before the
    LIMIT (as `selectors.first_rows` does), so a page costs one query instead of a COUNT
    and then the rows.

    Whatever it cannot answer that way goes to Django's Paginator, with its two queries
    and its answers: a page number that is not a whole number from 1 (the first page,
    or the last for one below 1), a page past the end (the last page), an empty list,
    a list that is not a queryset, or a DISTINCT queryset (whose count is not its
    rows').
    """

    def get_page(self, number):
        queryset = self.object_list
        if (
            not isinstance(queryset, QuerySet)
            or queryset.query.distinct
            or "count" in self.__dict__
        ):
            return super().get_page(number)
        try:
            number = int(number) if number is not None else 1
        except (TypeError, ValueError):
            number = 1
        if number < 1:
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            queryset.annotate(rows_in_all=Window(Count("pk")))[
                bottom : bottom + self.per_page + self.orphans
            ]
        )
        total = getattr(rows[0], "rows_in_all", None) if rows else None
        if total is None:  # past the end, or rows that are not model instances
            return super().get_page(number)
        self.__dict__["count"] = total
        try:
            self.validate_number(number)
        except InvalidPage:
            return super().get_page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows[: top - bottom], number, self)
