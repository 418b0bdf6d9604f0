"""Every list's CSV download, one way: cells that a spreadsheet would run as a formula are
defused, and the file is an attachment the browser will not render.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with
an apostrophe (OWASP's advice on CSV injection), so a value someone typed, such as
`=HYPERLINK(...)`, is shown as text when the file is opened in Excel or LibreOffice.
Numbers are written as numbers. The file starts with a byte-order mark so that Excel
reads it as UTF-8.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse

from cspr.uploads import content_disposition

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell: numbers as they are, dates as ISO dates, None as empty,
    text with any formula start defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header, rows) -> str:
    """The CSV text of a header row and rows of values (each made safe by `csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_response(filename, header, rows):
    """A download of `rows` under `header`, named `filename`."""
    response = HttpResponse(
        "\ufeff" + csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
