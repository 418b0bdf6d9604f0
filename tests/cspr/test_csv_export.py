"""Every CSV download (cspr/csv_export.py): a value someone typed never runs as a formula
when the file is opened in a spreadsheet, numbers and dates stay what they are, and the
file is an attachment Excel reads as UTF-8."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from cspr.csv_export import csv_cell, csv_response, csv_text


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://example.invalid","Click")',
        "+1+2",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_written_as_text(typed):
    assert csv_cell(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["Neglect", "Child Q", " =1+1", "1 = 1", "", "'quoted"])
def test_ordinary_text_is_left_alone(typed):
    assert csv_cell(typed) == typed


def test_numbers_dates_and_empty_values_keep_their_meaning():
    assert csv_cell(-5) == -5  # a number, not typed text, so not defused
    assert csv_cell(2.5) == 2.5
    assert csv_cell(Decimal("10.50")) == Decimal("10.50")
    assert csv_cell(datetime.date(2027, 3, 31)) == "2027-03-31"
    assert csv_cell(datetime.datetime(2026, 4, 1, 9, 30)) == "2026-04-01T09:30:00"
    assert csv_cell(None) == ""
    assert (csv_cell(True), csv_cell(False)) == ("Yes", "No")


def test_the_header_and_every_row_are_made_safe_and_quoted():
    text = csv_text(["=Case", "Note"], [["Child Q", 'Said "no", then left\nlater'], [3, "-1"]])

    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=Case", "Note"], ["Child Q", 'Said "no", then left\nlater'], ["3", "'-1"]]


def test_the_response_is_an_attachment_excel_reads_as_utf_8():
    response = csv_response("Exception report – Q3.csv", ["Case"], [["Child Q"], ["=1+1"]])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert (
        "filename*=UTF-8''Exception%20report%20%E2%80%93%20Q3.csv"
        in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body[1:]))) == [["Case"], ["Child Q"], ["'=1+1"]]


def test_rows_may_be_a_generator():
    text = csv_text(["n"], ([number] for number in range(3)))

    assert text.splitlines() == ["n", "0", "1", "2"]
