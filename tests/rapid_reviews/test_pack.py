"""The collated pack: merged chronology by date with the agency, missing returns, PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from rapid_reviews import services
from tests.conftest import PERSONAS
from tests.rapid_reviews.test_rapid_reviews import future
from tests.rapid_reviews.test_returns import COMPLETE, ROW

D = datetime.date


@pytest.fixture
def pack(world, police_return):
    """Police submitted two rows; health was asked and has not returned."""
    services.return_save_draft(
        information_return=police_return,
        fields=COMPLETE,
        rows=[ROW, {**ROW, "date": D(2026, 8, 3), "event": "Earlier police contact"}],
        by=world["police_contributor"],
    )
    services.return_submit(information_return=police_return, by=world["police_contributor"])
    services.information_request_send(
        rapid_review=police_return.request.rapid_review,
        agency=world.health,
        due_on=future(1),
        note="",
        by=world["business_manager"],
    )
    return police_return


def test_the_pack_merges_the_chronology_by_date_and_lists_missing_returns(client, world, pack):
    client.force_login(world["subgroup_chair"])
    html = client.get(reverse("collated-pack", args=[world.case.pk])).content.decode()
    assert html.index("Earlier police contact") < html.index("Call-out to the home")
    assert "Returns still missing" in html and "Northtown Health Trust: due" in html
    assert "Chief Inspector Fictional" in html


def test_the_pack_filters_by_agency(client, world, pack):
    client.force_login(world["business_manager"])
    url = reverse("collated-pack", args=[world.case.pk])
    html = client.get(url, {"agency": world.health.pk}).content.decode()
    assert "Call-out to the home" not in html
    html = client.get(url, {"agency": world.police.pk}).content.decode()
    assert "Call-out to the home" in html


def test_a_draft_return_is_not_in_the_pack(client, world, police_return):
    services.return_save_draft(
        information_return=police_return, fields={}, rows=[ROW], by=world["police_contributor"]
    )
    client.force_login(world["business_manager"])
    html = client.get(reverse("collated-pack", args=[world.case.pk])).content.decode()
    assert "Call-out to the home" not in html
    assert "(draft in progress)" in html


def test_the_pack_pdf_holds_the_cases_text(client, world, pack):
    client.force_login(world["business_manager"])
    response = client.get(reverse("collated-pack-pdf", args=[world.case.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Child Q" in text and "Call-out to the home" in text and "Northtown Police" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers


SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "reviewer"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["collated-pack", "collated-pack-pdf"])
def test_only_the_partnership_and_the_reviewer_see_the_pack(client, world, pack, name, persona):
    client.force_login(world[persona])
    response = client.get(reverse(name, args=[world.case.pk]))
    assert response.status_code == (200 if persona in SEES else 404)


def test_a_long_chronology_is_paged_on_the_page_and_whole_in_the_pdf(client, world, police_return):
    """A hundred rows a page, in date order across pages, the agency filter kept in the
    page links; the PDF has every row."""
    rows = [
        {**ROW, "date": D(2025, 1, 1) + datetime.timedelta(days=n), "event": f"Contact {n:03d}"}
        for n in range(101)
    ]
    services.return_save_draft(
        information_return=police_return, fields=COMPLETE, rows=rows, by=world["police_contributor"]
    )
    services.return_submit(information_return=police_return, by=world["police_contributor"])
    client.force_login(world["business_manager"])
    url = reverse("collated-pack", args=[world.case.pk])

    first = client.get(url, {"agency": world.police.pk}).content.decode()
    assert "Contact 000" in first and "Contact 099" in first and "Contact 100" not in first
    assert "101 events from one agency, by date: 1 to 100 on this page" in first
    assert f"?agency={world.police.pk}&amp;page=2" in first

    second = client.get(url, {"agency": world.police.pk, "page": 2}).content.decode()
    assert "Contact 100" in second and "Contact 099" not in second

    pdf = client.get(reverse("collated-pack-pdf", args=[world.case.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Contact 000" in text and "Contact 100" in text
