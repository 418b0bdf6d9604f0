"""Importing the official GOV.UK bank holiday file."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from cspr.models import CalendarDay
from cspr.working_days import load_calendar

D = datetime.date


def gov_uk_file(tmp_path, events):
    path = tmp_path / "bank-holidays.json"
    path.write_text(
        json.dumps(
            {
                "england-and-wales": {
                    "division": "england-and-wales",
                    "events": [
                        {"title": t, "date": d, "notes": "", "bunting": True} for d, t in events
                    ],
                },
                "scotland": {
                    "division": "scotland",
                    "events": [{"title": "St Andrew", "date": "2029-11-30"}],
                },
            }
        )
    )
    return path


def test_a_newer_list_decides_its_years_and_ignores_other_divisions(db, tmp_path, capsys):
    # 2029: a fictional one-off holiday on Fri 2 Nov, and no Early May bank holiday.
    events = [
        ("2029-01-01", "New Year’s Day"),
        ("2029-03-30", "Good Friday"),
        ("2029-04-02", "Easter Monday"),
        ("2029-05-28", "Spring bank holiday"),
        ("2029-08-27", "Summer bank holiday"),
        ("2029-11-02", "One-off bank holiday"),
        ("2029-12-25", "Christmas Day"),
        ("2029-12-26", "Boxing Day"),
    ]
    call_command("import_bank_holidays", str(gov_uk_file(tmp_path, events)))
    calendar = load_calendar()
    assert not calendar.is_working_day(D(2029, 11, 2))
    assert calendar.is_working_day(D(2029, 5, 7))  # workalendar's early May, not in the list
    assert calendar.is_working_day(D(2029, 11, 30))  # Scotland only
    # 8 listed days, and 7 May made a working day.
    assert "9 days added" in capsys.readouterr().out


def test_importing_the_same_list_twice_changes_nothing(db, tmp_path, capsys):
    path = gov_uk_file(tmp_path, [("2029-11-02", "One-off bank holiday")])
    call_command("import_bank_holidays", str(path))
    count = CalendarDay.objects.count()
    call_command("import_bank_holidays", str(path))
    assert CalendarDay.objects.count() == count
    assert "0 days added, 0 updated, 0 removed" in capsys.readouterr().out


def test_an_administrators_day_survives_an_import(world, tmp_path, capsys):
    from cspr.services.calendar import calendar_day_set

    calendar_day_set(
        day=D(2029, 11, 2),
        is_working=True,
        title="Kept open",
        reason="Local agreement",
        by=world["administrator"],
    )
    call_command("import_bank_holidays", str(gov_uk_file(tmp_path, [("2029-11-02", "One-off")])))
    assert load_calendar().is_working_day(D(2029, 11, 2))
    assert "Kept an administrator's change to 2 November 2029" in capsys.readouterr().out


def test_a_file_that_is_not_the_official_format_is_refused(db, tmp_path):
    path = tmp_path / "wrong.json"
    path.write_text('{"holidays": []}')
    with pytest.raises(CommandError, match="england-and-wales"):
        call_command("import_bank_holidays", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_bank_holidays", str(tmp_path / "missing.json"))


def test_undoing_an_administrators_change_to_an_official_day_restores_it(world):
    from cspr.services.calendar import calendar_day_remove, calendar_day_set

    coronation = D(2023, 5, 8)
    admin = world["administrator"]
    calendar_day_set(day=coronation, is_working=True, title="Test", reason="Trial", by=admin)
    assert load_calendar().is_working_day(coronation)
    calendar_day_remove(day=coronation, reason="Undo the trial", by=admin)
    assert not load_calendar().is_working_day(coronation)
    assert CalendarDay.objects.get(day=coronation).source == "official"


def test_a_partly_listed_year_adds_its_days_without_dropping_the_others(db, tmp_path):
    call_command("import_bank_holidays", str(gov_uk_file(tmp_path, [("2029-11-02", "One-off")])))
    calendar = load_calendar()
    assert not calendar.is_working_day(D(2029, 11, 2))
    assert not calendar.is_working_day(D(2029, 12, 25))  # still Christmas


def test_a_file_with_no_england_and_wales_events_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no England and Wales bank holidays"):
        call_command("import_bank_holidays", str(gov_uk_file(tmp_path, [])))
