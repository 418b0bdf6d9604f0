"""Importing a chronology from CSV: good rows go in, any bad row stops the import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rapid_reviews.chronology_csv import parse_chronology
from rapid_reviews.models import ChronologyEntry
from tests.conftest import PERSONAS
from tests.rapid_reviews.test_returns import SEES

GOOD = (
    "Date,Approximate,Source,Event,Significance,Action\n"
    "01/10/2026,,Police log,Call-out to the home,First contact,Referral made\n"
    "2026-09-15,yes,GP record,Appointment missed,,\n"
)


def test_good_rows_are_read_with_uk_and_iso_dates_and_approximation():
    parsed = parse_chronology(GOOD.encode())
    assert parsed.errors == []
    assert [row["date"].isoformat() for row in parsed.rows] == ["2026-10-01", "2026-09-15"]
    assert [row["date_is_approximate"] for row in parsed.rows] == [False, True]


def test_every_bad_row_is_reported_by_its_line():
    text = (
        "date,source,event\n"
        "2026-10-01,Police log,Fine\n"
        "31/02/2026,Police log,Impossible date\n"
        "2026-10-03,,No source\n"
    )
    parsed = parse_chronology(text.encode())
    lines = [line for line, _ in parsed.errors]
    assert lines == [3, 4]
    assert "Enter the source of information" in parsed.errors[1][1]


def test_missing_columns_and_other_files_are_refused_clearly():
    assert "missing: source" in parse_chronology(b"date,event\n2026-10-01,x\n").errors[0][1]
    assert "UTF-8" in parse_chronology("date,source,event\n\xff".encode("latin-1")).errors[0][1]
    assert "no chronology rows" in parse_chronology(b"date,source,event\n").errors[0][1]
    assert "larger than 1 MB" in parse_chronology(b"x" * (1024 * 1024 + 1)).errors[0][1]


def upload(client, request_pk, text, name="chronology.csv"):
    return client.post(
        reverse("chronology-import", args=[request_pk]),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_the_agency_imports_rows_into_its_draft(client, world, police_return):
    client.force_login(world["police_contributor"])
    response = upload(client, police_return.request_id, GOOD)
    assert response.status_code == 302
    assert ChronologyEntry.objects.filter(information_return=police_return).count() == 2


def test_a_file_with_a_bad_row_imports_nothing_and_lists_the_line(client, world, police_return):
    client.force_login(world["police_contributor"])
    html = upload(client, police_return.request_id, GOOD + "2026-10-05,,,\n").content.decode()
    assert "Nothing was imported" in html and "Line 4" in html
    assert not ChronologyEntry.objects.exists()


def test_a_file_that_is_not_csv_is_refused(client, world, police_return):
    client.force_login(world["police_contributor"])
    html = upload(client, police_return.request_id, GOOD, name="chronology.xlsx").content.decode()
    assert "The file must be a CSV file ending in .csv" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_asked_agency_can_import(client, world, police_return, persona):
    client.force_login(world[persona])
    response = client.get(reverse("chronology-import", args=[police_return.request_id]))
    expected = 200 if persona == "police_contributor" else 403 if persona in SEES else 404
    assert response.status_code == expected
