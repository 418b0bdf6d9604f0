"""GOV.UK pagination: which page links a list shows, whatever its length."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string

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
