"""GOV.UK pagination: which page links a list shows, whatever its length."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from cspr.pagination import CountedPaginator
from cspr.templatetags.govuk import page_links


def _page(number, of):
    return Paginator(range(of), 1).page(number)


@pytest.mark.parametrize(
    ("number", "of", "links"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 20, [1, 2, 3, None, 20]),
        # A gap of one page shows that page rather than an ellipsis.
        (4, 20, [1, 2, 3, 4, 5, 6, None, 20]),
        (5, 20, [1, 2, 3, 4, 5, 6, 7, None, 20]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (16, 20, [1, None, 14, 15, 16, 17, 18, 19, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_the_first_and_last_pages_and_two_either_side_of_this_one(number, of, links):
    assert page_links(_page(number, of)) == links


def test_a_list_of_thousands_of_pages_shows_at_most_nine_links():
    assert page_links(_page(5_000, 10_000)) == [1, None, 4998, 4999, 5000, 5001, 5002, None, 10_000]


def test_the_current_page_is_marked_and_the_gaps_are_ellipses():
    html = render_to_string(
        "partials/pagination.html",
        {"page_obj": _page(6, 20), "querystring": "stage=rapid_review", "fragment": "#list"},
    )
    assert html.count("govuk-pagination__item--ellipses") == 2
    assert html.count('aria-current="page"') == 1
    assert (
        'href="?stage=rapid_review&amp;page=6#list" aria-label="Page 6" aria-current="page">6</a>'
        in html
    )
    assert 'href="?stage=rapid_review&amp;page=20#list" aria-label="Page 20">20</a>' in html
    assert 'aria-label="Page 3"' not in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_a_single_page_shows_no_pagination():
    assert "govuk-pagination" not in render_to_string(
        "partials/pagination.html", {"page_obj": _page(1, 1)}
    )


# CountedPaginator: the same pages as Django's Paginator, in one query.


@pytest.fixture
def events(world):
    from cspr.models import CaseEvent, EventKind

    CaseEvent.objects.filter(case=world.case).delete()
    CaseEvent.objects.bulk_create(
        CaseEvent(case=world.case, kind=EventKind.DEADLINE_SET, summary=f"Fictional event {n:02}")
        for n in range(23)
    )
    return CaseEvent.objects.filter(case=world.case).order_by("summary")


def _shown(page):
    return (
        page.number,
        [event.summary for event in page],
        page.paginator.count,
        page.paginator.num_pages,
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("number", [None, "1", "2", "3", "4", "99", "0", "-1", "x", "2.0", 2])
@pytest.mark.parametrize("orphans", [0, 3])
def test_a_counted_page_is_the_page_djangos_paginator_gives(events, number, orphans):
    counted = CountedPaginator(events, 10, orphans=orphans).get_page(number)
    assert _shown(counted) == _shown(Paginator(events, 10, orphans=orphans).get_page(number))


@pytest.mark.django_db
def test_a_page_of_a_list_is_one_query(events, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedPaginator(events, 10).get_page("2")
        assert len(page) == 10 and page.paginator.count == 23 and page.has_next()


@pytest.mark.django_db
def test_an_empty_list_or_a_distinct_one_is_counted_apart(events):
    assert _shown(CountedPaginator(events.none(), 10).get_page("1")) == (1, [], 0, 1, 0, 0)
    distinct = events.values_list("kind", flat=True).order_by("kind").distinct()
    page = CountedPaginator(distinct, 10).get_page(None)
    assert page.paginator.count == 1 and list(page) == [events.first().kind]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1000000000000000000", 10**30, 2.5, float("nan"), ""])
def test_any_page_number_is_a_page(events, number):
    counted = CountedPaginator(events, 10).get_page(number)
    assert _shown(counted) == _shown(Paginator(events, 10).get_page(number))


@pytest.mark.django_db
def test_a_list_whose_window_count_is_not_its_length_is_counted_apart(events):
    from django.db.models import Count

    sliced = events[:5]
    assert CountedPaginator(sliced, 10).get_page(1).paginator.count == 5
    grouped = events.values("kind").annotate(n=Count("id")).order_by("kind")
    assert list(CountedPaginator(grouped, 10).get_page(1)) == list(grouped)
    unordered = events.order_by()
    combined = unordered.filter(summary__endswith="1").union(
        unordered.filter(summary__endswith="2")
    )
    page = CountedPaginator(combined.order_by("summary"), 10).get_page(1)
    assert _shown(page) == _shown(Paginator(combined.order_by("summary"), 10).get_page(1))
    assert page.paginator.count == 6
