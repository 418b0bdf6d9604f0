"""Pages of a long list in one query rather than two."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable

# A page number past any list (Django's Paginator answers it with the last page); the
# OFFSET of one much larger would not fit the database's integers.
MAX_PAGE = 2**31


def rows_counted(queryset, start, stop):
    """(the queryset's rows start:stop, how many rows it has in all): one query, the total
    counted by a window over the whole filtered set before the LIMIT. The total is 0 when
    the slice is empty."""
    rows = list(queryset.annotate(rows_in_all=Window(Count("pk")))[start:stop])
    return rows, rows[0].rows_in_all if rows else 0


class CountedPaginator(Paginator):
    """Django's Paginator, with `get_page` reading the list's length from the page's own
    query: the page's rows carry a count over the whole filtered list, taken before the
    LIMIT (`rows_counted`), so a page costs one query instead of a COUNT
    and then the rows.

    Whatever it cannot answer that way goes to Django's Paginator, with its two queries
    and its answers: a page number below 1 or past the end (the last page), an empty
    list, a list that is not a queryset of model instances, or a queryset whose rows'
    count is not Django's (`_countable`). A page number that is not a whole number is
    the first page, as Django has it.

    For lists of hundreds or a few thousand rows (the case list, a case's timeline):
    the window reads every matching row before the LIMIT, where Django's two queries can
    take the first page from an index and count with an index-only scan, so a list of
    tens of thousands (an access log) keeps Django's Paginator.
    """

    def get_page(self, number):
        queryset = self.object_list
        if "count" in self.__dict__ or not _countable(queryset):
            return super().get_page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError(number)
            number = int(number) if number is not None else 1
        except (TypeError, ValueError):
            number = 1
        if not 1 <= number <= MAX_PAGE:
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows, total = rows_counted(queryset, bottom, bottom + self.per_page + self.orphans)
        if not rows:  # past the end
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


def _countable(queryset):
    """Whether a window count over the queryset's rows is the number of rows Django's
    COUNT would give: a queryset of model instances, not sliced, combined, DISTINCT or
    grouped, without an annotation of that name."""
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
        return False
    query = queryset.query
    return not (
        query.is_sliced
        or query.combinator
        or query.distinct
        or query.group_by is not None
        or "rows_in_all" in query.annotations
    )
