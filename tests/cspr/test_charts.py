import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from cspr import charts
from cspr.charts import COLOURS, bar_chart, grouped_bar_chart, percent, percent_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    # Our own markup, parsed to check its shape.
    return ET.fromstring(str(markup))  # noqa: S314


def bars(markup):
    """The drawn bars (the grey 100% tracks of a percentage chart are not bars)."""
    return [r for r in parse(markup).iter(f"{SVG}rect") if r.get("fill") in COLOURS]


def texts(markup):
    """Each text of the drawing as a person reads it (a wrapped label's lines joined)."""
    return [" ".join(" ".join(t.itertext()).split()) for t in parse(markup).iter(f"{SVG}text")]


def contrast(colour):
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    return (1.05) / (luminance(colour) + 0.05)


def test_a_bar_chart_is_safe_markup_that_parses_as_svg():
    chart = bar_chart("Open cases", [("Rapid review", 2)])

    assert isinstance(chart, SafeString)
    assert parse(chart).tag == f"{SVG}svg"


def test_it_escapes_a_script_in_a_label_the_title_and_the_unit():
    chart = bar_chart("Cases <img src=x>", [("<script>alert(1)</script>", 3)], unit="<b>")

    assert "<script>" not in chart
    assert "<img" not in chart
    assert "<b>" not in chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart
    assert "<script>alert(1)</script>" in texts(chart)


def test_it_names_and_describes_itself_for_a_screen_reader():
    root = parse(bar_chart("Open cases by stage", [("Rapid review", 2), ("Local review", 1)]))

    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Open cases by stage"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "Rapid review: 2; Local review: 1."


def test_two_charts_on_one_page_have_different_ids():
    first = parse(bar_chart("Open cases", [("A", 1)]))
    second = parse(bar_chart("Overdue actions", [("A", 1)]))

    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_bar_lengths_are_proportional_to_the_values():
    widths = [
        float(r.get("width")) for r in bars(bar_chart("Cases", [("A", 4), ("B", 2), ("C", 1)]))
    ]

    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[1] == pytest.approx(2 * widths[2])


def test_the_longest_bar_leaves_room_for_its_value_inside_the_view_box():
    chart = bar_chart("Cases", [("A", 12)], unit=" cases")
    root = parse(chart)
    width = float(root.get("viewBox").split()[2])
    value = next(t for t in root.iter(f"{SVG}text") if t.text == "12 cases")

    assert float(value.get("x")) + len("12 cases") * 8 <= width


def test_each_value_is_printed_so_colour_is_not_needed():
    chart = bar_chart(
        "Days", [("Notification", 4.25), ("Report", Decimal("3")), ("None", 0)], unit=" days"
    )

    assert {"Notification", "4.2 days", "3 days", "0 days"} <= set(texts(chart))


def test_a_zero_value_has_no_bar_but_still_shows_its_zero():
    chart = bar_chart("Cases", [("A", 3), ("B", 0)])

    assert len(bars(chart)) == 1
    assert "0" in texts(chart)


def test_all_zero_data_says_so_instead_of_dividing_by_zero():
    chart = bar_chart("Cases", [("A", 0), ("B", 0)])

    assert bars(chart) == []
    assert "Every figure is 0" in texts(chart)


def test_no_rows_at_all_says_there_is_nothing_to_show():
    chart = bar_chart("Cases", [])

    assert "No figures to show" in texts(chart)
    assert parse(chart).find(f"{SVG}desc").text == "No figures to show."


def test_it_refuses_a_value_that_is_not_a_number():
    with pytest.raises(TypeError):
        bar_chart("Cases", [("A", "3")])


def test_the_chart_scales_with_a_view_box_and_no_fixed_size():
    root = parse(bar_chart("Cases", [("A", 1)]))

    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("width") is None and root.get("height") is None


def test_every_bar_colour_meets_3_to_1_against_white():
    assert all(contrast(colour) >= 3 for colour in COLOURS)


def test_a_grouped_chart_labels_every_bar_with_its_series():
    chart = grouped_bar_chart(
        "Themes",
        [("Neglect", [1, 2, 0]), ("<Exploitation>", [0, 0, 4])],
        series=["2024/25", "2025/26", "2026/27"],
    )

    assert {"Neglect", "<Exploitation>", "2024/25: 1", "2025/26: 2", "2026/27: 4"} <= set(
        texts(chart)
    )
    widths = [float(r.get("width")) for r in bars(chart)]
    assert widths == pytest.approx([widths[2] / 4, widths[2] / 2, widths[2]])
    assert "&lt;Exploitation&gt;" in chart


def test_a_grouped_chart_of_zeros_says_so():
    chart = grouped_bar_chart("Themes", [("Neglect", [0, 0])], series=["A", "B"])

    assert bars(chart) == []
    assert "Every figure is 0" in texts(chart)


def test_a_grouped_chart_needs_a_value_for_every_series():
    with pytest.raises(ValueError):
        grouped_bar_chart("Themes", [("Neglect", [1])], series=["A", "B"])


def test_a_percentage_chart_fills_its_share_of_the_track_and_prints_it():
    chart = percent_chart("On time", [("Notification", 3, 4), ("Report", 0, 0)])
    root = parse(chart)
    track = float(next(r for r in root.iter(f"{SVG}rect") if r not in bars(chart)).get("width"))

    assert [float(r.get("width")) for r in bars(chart)] == pytest.approx([0.75 * track])
    assert "Notification: 75% (3 of 4)" in texts(chart)
    assert "Report: none due" in texts(chart)


def test_percent_rounds_half_up_and_has_none_for_nothing_due():
    assert percent(1, 8) == 13
    assert percent(2, 3) == 67
    assert percent(0, 0) is None


def test_no_script_or_style_is_ever_emitted():
    chart = str(bar_chart("A", [("B", 1)])) + str(percent_chart("C", [("D", 1, 2)]))

    assert not re.search(r"<(script|style|foreignObject)", chart)


def test_a_long_label_is_wrapped_onto_more_lines_never_cut_short():
    label = "Send the final report to the Panel and the Secretary of State (fictional long label)"
    chart = charts.bar_chart("Deadlines", [(label, 3), ("Short", 1)])
    lines = list(parse(chart).iter(f"{SVG}tspan"))
    assert len(lines) == 3  # two for the long label, one for the short one
    assert label in texts(chart)
    # The bar comes after the label's last line, and the next row after the bar.
    first_bar = next(iter(bars(chart)))
    bar_top = float(first_bar.get("y"))
    bar_bottom = bar_top + float(first_bar.get("height"))
    label_y, short_y = (
        float(t.get("y")) for t in parse(chart).iter(f"{SVG}text") if t.get("x") == "0"
    )
    assert bar_top > label_y + charts.LINE
    assert short_y > bar_bottom
