"""Reading a chronology from a CSV file, row by row, with a report of every bad row."""

import csv
import io
from dataclasses import dataclass, field

from rapid_reviews.forms import ChronologyRowForm

MAX_BYTES = 1024 * 1024
COLUMNS = ["date", "approximate", "source", "event", "significance", "action"]
REQUIRED = {"date", "source", "event"}
TRUE = {"yes", "y", "true", "1", "approximate", "approx"}


@dataclass
class Parsed:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line number, message)


def _date(value):
    """Accept 2026-10-01 or 01/10/2026 (UK order)."""
    value = value.strip()
    if "/" in value:
        parts = value.split("/")
        if len(parts) == 3:
            day, month, year = parts
            return f"{year.zfill(4)}-{month.zfill(2)}-{day.zfill(2)}"
    return value


def parse_chronology(data: bytes) -> Parsed:
    """Every row checked as the web form checks it; `errors` names each bad row's line."""
    parsed = Parsed()
    if len(data) > MAX_BYTES:
        parsed.errors.append((0, "The file is larger than 1 MB. Split it into smaller files."))
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.errors.append(
            (0, "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.")
        )
        return parsed
    reader = csv.DictReader(io.StringIO(text))
    headers = {(name or "").strip().lower() for name in reader.fieldnames or []}
    missing = REQUIRED - headers
    if missing:
        parsed.errors.append(
            (1, "The first line must name the columns; missing: " + ", ".join(sorted(missing)))
        )
        return parsed
    for line, raw in enumerate(reader, start=2):
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(values.get(name) for name in COLUMNS):
            continue  # a blank line
        form = ChronologyRowForm(
            {
                "date": _date(values.get("date", "")),
                "date_is_approximate": values.get("approximate", "").lower() in TRUE,
                "source": values.get("source", ""),
                "event": values.get("event", ""),
                "significance": values.get("significance", ""),
                "action": values.get("action", ""),
            }
        )
        if form.is_valid():
            parsed.rows.append(form.cleaned_data)
        else:
            for name, errors in form.errors.items():
                for error in errors:
                    parsed.errors.append((line, f"{name}: {error}"))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((0, "The file has no chronology rows."))
    return parsed
