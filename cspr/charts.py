"""Charts drawn on the server as SVG: no JavaScript, the same markup on a page and in a PDF.

Every chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`
(which lists the figures, so the chart stands on its own when it is copied somewhere
without its table). Pages print a table of the same figures beside each chart, and that
table is the version to read: the chart only helps the eye.

What a reader needs does not depend on colour: each bar has its label printed above it
and its value printed at its end. The bar colours are GOV.UK's blue, dark blue and
green, each at least 3:1 against white (WCAG 2.2 non-text contrast); the text is
GOV.UK's near-black. Every label is escaped. The drawing has a viewBox and no fixed
size, so it scales with the page, and it uses presentation attributes rather than
classes, so WeasyPrint draws it the same way as a browser.

A value of 0 gets no bar but its printed "0" on the axis; when every value is 0 the chart
says so instead of dividing by zero.
"""

import hashlib
import textwrap
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Drawn 480 wide: in a half-width column of a desktop page that is about life size, so the
# labels read at about the size of the page's small text.
WIDTH = 480
TEXT = "#0b0c0c"
AXIS = "#505a5f"
TRACK = "#f3f2f1"
# Each at least 3:1 against white: 5.2:1, 12.6:1 and 5.8:1.
COLOURS = ("#1d70b8", "#003078", "#00703c")
FONT = "Arial, Helvetica, sans-serif"
LABEL_SIZE = 14
LINE = LABEL_SIZE + 4
ROW = 46
BAR = 18
# A label longer than a line is wrapped at a space onto as many lines as it needs.
LABEL_CHARS = 58
CHAR_WIDTH = 8


def bar_chart(title, rows, *, unit="", desc=None):
    """Horizontal bars, one a row: `rows` is a list of (label, number).

    `unit` is written straight after each value, so give it its own space where it needs
    one: `"%"`, `" days"`. `desc` replaces the generated description.
    """
    rows = [(str(label), _number(value)) for label, value in rows]
    texts = [_value_text(value, unit) for _, value in rows]
    largest = max((value or 0 for _, value in rows), default=0)
    span = _span(texts)
    body = []
    top = 0
    for (label, value), text in zip(rows, texts, strict=True):
        length = _length(value, largest, span)
        markup, extra = _label(label, top)
        body.append(markup)
        body.append(_bar(length, top + extra + 22, COLOURS[0]))
        body.append(_value(text, length, top + extra + 22))
        top += ROW + extra
    empty = not rows or largest <= 0
    if empty:
        body.append(_empty_note(top, "No figures to show" if not rows else None))
    height = top + (ROW if empty else 0)
    summary = desc or _describe(
        [f"{label}: {text}" for (label, _), text in zip(rows, texts, strict=True)]
    )
    return _svg(title, summary, height, body)


def grouped_bar_chart(title, groups, *, series, unit="", desc=None):
    """For each group, one bar per series: `groups` is a list of (label, [number, ...]) with a
    number for each name in `series` (e.g. a theme's cases in each of three years).

    Each bar is labelled with its series name and value, so the colours only help.
    """
    series = [str(name) for name in series]
    groups = [(str(label), [_number(v) for v in values]) for label, values in groups]
    for label, values in groups:
        if len(values) != len(series):
            raise ValueError(f"{label!r} has {len(values)} values for {len(series)} series")
    texts = [
        [f"{name}: {_value_text(value, unit)}" for name, value in zip(series, values, strict=True)]
        for _, values in groups
    ]
    largest = max((value or 0 for _, values in groups for value in values), default=0)
    span = _span([text for group in texts for text in group])
    bar_row = BAR + 6
    group_height = LABEL_SIZE + 10 + bar_row * len(series) + 12
    body = []
    top = 0
    for (label, values), group_texts in zip(groups, texts, strict=True):
        markup, extra = _label(label, top, bold=True)
        body.append(markup)
        for position, (value, text) in enumerate(zip(values, group_texts, strict=True)):
            bar_top = top + extra + 22 + position * bar_row
            length = _length(value, largest, span)
            body.append(_bar(length, bar_top, COLOURS[position % len(COLOURS)]))
            body.append(_value(text, length, bar_top))
        top += group_height + extra
    empty = not groups or largest <= 0
    if empty:
        body.append(_empty_note(top, "No figures to show" if not groups else None))
    height = top + (ROW if empty else 0)
    lines = [
        f"{label}: " + ", ".join(group_texts)
        for (label, _), group_texts in zip(groups, texts, strict=True)
    ]
    return _svg(title, desc or _describe(lines), height, body)


def percent_chart(title, rows, *, desc=None):
    """One bar a row against a full-width track of 100%: `rows` is a list of
    (label, part, whole), e.g. ("Notification to the Panel", 9, 12). A row whose whole is 0
    has no percentage and says so."""
    rows = [(str(label), int(part or 0), int(whole or 0)) for label, part, whole in rows]
    texts = [
        f"{_percent(part, whole)}% ({part} of {whole})" if whole else "none due"
        for _, part, whole in rows
    ]
    span = WIDTH - 2
    body = []
    top = 0
    for (label, part, whole), text in zip(rows, texts, strict=True):
        markup, extra = _label(f"{label}: {text}", top)
        body.append(markup)
        bar_top = top + extra + 22
        body.append(
            format_html(
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>',
                bar_top,
                span,
                BAR,
                TRACK,
                AXIS,
            )
        )
        if whole and part:
            body.append(_bar(round(span * min(part, whole) / whole, 1), bar_top, COLOURS[0]))
        top += ROW + extra
    if not rows:
        body.append(_empty_note(0, "No figures to show"))
    height = max(top, ROW)
    lines = [f"{label}: {text}" for (label, _, _), text in zip(rows, texts, strict=True)]
    return _svg(title, desc or _describe(lines), height, body)


def percent(part, whole):
    """`part` of `whole` as a whole-number percentage, or None when `whole` is 0."""
    return _percent(part, whole) if whole else None


def _percent(part, whole):
    return int(Decimal(100 * part / whole).quantize(Decimal("1"), rounding="ROUND_HALF_UP"))


def _number(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise TypeError(f"A chart value must be a number, not {value!r}")
    return value


def _value_text(value, unit):
    if value is None:
        return "no figure"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}{unit}"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:.1f}{unit}"
    return f"{int(value)}{unit}"


def _span(texts):
    """The longest a bar may be: the width less room for the longest value printed after it."""
    longest = max((len(text) for text in texts), default=0)
    return WIDTH - (longest * CHAR_WIDTH + 12)


def _length(value, largest, span):
    if not value or value <= 0 or largest <= 0:
        return 0
    return round(span * float(value) / float(largest), 1)


def _label(label, top, *, bold=False):
    """(markup, the height its lines after the first take): the label in full, wrapped at
    spaces onto as many lines as it needs, never cut short."""
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [""]
    markup = format_html(
        '<text x="0" y="{}" font-size="{}"{}>{}</text>',
        top + LABEL_SIZE + 2,
        LABEL_SIZE,
        mark_safe(' font-weight="bold"') if bold else "",
        format_html_join(
            "",
            '<tspan x="0" dy="{}">{}</tspan>',
            ((0 if n == 0 else LINE, line) for n, line in enumerate(lines)),
        ),
    )
    return markup, (len(lines) - 1) * LINE


def _bar(length, y, colour):
    """A bar from the axis, with the axis drawn across its row so that a 0 still has a mark."""
    rect = (
        format_html('<rect x="0" y="{}" width="{}" height="{}" fill="{}"/>', y, length, BAR, colour)
        if length
        else ""
    )
    return format_html(
        '{}<line x1="0.5" y1="{}" x2="0.5" y2="{}" stroke="{}" stroke-width="1"/>',
        rect,
        y - 2,
        y + BAR + 2,
        AXIS,
    )


def _value(text, length, y):
    return format_html(
        '<text x="{}" y="{}" font-size="{}">{}</text>', length + 6, y + BAR - 4, LABEL_SIZE, text
    )


def _empty_note(top, text):
    return format_html(
        '<text x="0" y="{}" font-size="{}" font-style="italic">{}</text>',
        top + LABEL_SIZE + 8,
        LABEL_SIZE,
        text or "Every figure is 0",
    )


def _describe(lines):
    if not lines:
        return "No figures to show."
    return "; ".join(lines) + "."


def _svg(title, desc, height, body):
    key = hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]
    title_id, desc_id = f"chart-{key}-title", f"chart-{key}-desc"
    height += 8
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
        'viewBox="0 0 {width} {height}" aria-labelledby="{title_id} {desc_id}" '
        'font-family="{font}" fill="{text}" preserveAspectRatio="xMinYMin meet">'
        '<title id="{title_id}">{title}</title><desc id="{desc_id}">{desc}</desc>'
        "{body}</svg>",
        width=WIDTH,
        height=height,
        title_id=title_id,
        desc_id=desc_id,
        font=FONT,
        text=TEXT,
        title=title,
        desc=desc,
        body=format_html_join("", "{}", ((part,) for part in body if part)),
    )
