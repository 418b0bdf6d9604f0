"""Financial years (1 April to 31 March, as partnerships report) and their quarters: one
definition for the annual report, the exception report, the dashboards and the equality
analysis."""

import datetime


def financial_year_of(day) -> int:
    """The year the financial year holding `day` starts in."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_start(year) -> datetime.date:
    return datetime.date(year, 4, 1)


def financial_year_end(year) -> datetime.date:
    """Its last day, 31 March."""
    return datetime.date(year + 1, 3, 31)


def financial_year_words(year) -> str:
    """ "2026 to 2027" for the year starting 1 April 2026."""
    return f"{year} to {year + 1}"


def quarter_title(day) -> str:
    """The financial quarter holding `day`, e.g. "Quarter 3, 2026 to 2027" (quarter 1 is
    April to June)."""
    number = (day.month - 4) % 12 // 3 + 1
    return f"Quarter {number}, {financial_year_words(financial_year_of(day))}"
