"""The collated pack: merged chronology by date with the agency, missing returns, PDF."""

import datetime
import io

import pytest
from django.db import connection
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


# --- The whole pack's PDF is kept between downloads, and never served out of date.


def pdf_text(response):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_pack_pdf_is_kept_and_served_again_while_the_pack_is_unchanged(client, world, pack):
    from rapid_reviews.models import PackPdf

    client.force_login(world["business_manager"])
    url = reverse("collated-pack-pdf", args=[world.case.pk])
    first = client.get(url)
    kept = PackPdf.objects.get(rapid_review=pack.request.rapid_review)
    client.force_login(world["subgroup_chair"])
    again = client.get(url)

    assert again.content == first.content  # the kept file, not made again
    assert PackPdf.objects.get().made_at == kept.made_at
    # Shared, so it does not name the first person who downloaded it.
    assert world["business_manager"].get_full_name() not in pdf_text(again)


def test_a_change_to_the_pack_makes_a_new_pdf_and_the_old_file_goes(
    client, world, pack, django_capture_on_commit_callbacks
):
    from rapid_reviews.models import PackPdf

    client.force_login(world["business_manager"])
    url = reverse("collated-pack-pdf", args=[world.case.pk])
    client.get(url)
    old = PackPdf.objects.get()
    storage, old_name = old.file.storage, old.file.name

    # The police add an addendum: the pack shows it, so the kept PDF is out of date.
    services.return_add_addendum(
        information_return=pack, text="A fictional later visit", by=world["police_contributor"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)

    assert "A fictional later visit" in pdf_text(response)
    new = PackPdf.objects.get()
    assert new.file.name != old_name and new.made_at > old.made_at
    assert not storage.exists(old_name)


def test_a_worker_makes_the_pdf_after_a_submission_and_only_once(
    world, police_return, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With a worker (a broker is configured), submitting queues the PDF; the task makes it,
    and run again finds it right and makes nothing."""
    from rapid_reviews import tasks
    from rapid_reviews.models import PackPdf

    queued = []
    monkeypatch.setattr(tasks.prepare_pack_pdf, "delay", queued.append)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    services.return_save_draft(
        information_return=police_return,
        fields=COMPLETE,
        rows=[ROW],
        by=world["police_contributor"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submit(information_return=police_return, by=world["police_contributor"])
    review = police_return.request.rapid_review
    assert queued == [review.pk]

    assert tasks.prepare_pack_pdf(review.pk) is True
    kept = PackPdf.objects.get(rapid_review=review)
    assert tasks.prepare_pack_pdf(review.pk) is False
    assert PackPdf.objects.get().made_at == kept.made_at


def test_a_pack_for_one_agency_is_made_for_the_person_and_not_kept(client, world, pack):
    from rapid_reviews.models import PackPdf

    client.force_login(world["business_manager"])
    response = client.get(
        reverse("collated-pack-pdf", args=[world.case.pk]), {"agency": world.police.pk}
    )
    assert "Call-out to the home" in pdf_text(response)
    assert world["business_manager"].get_full_name() in pdf_text(response)
    assert not PackPdf.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)
def test_two_makers_at_once_leave_one_pdf_and_one_file(kernel_rows, world, pack):
    """A worker and a download make the same pack's PDF at the same moment: they take
    turns, nothing fails, and the first's file goes when the second's replaces it."""
    import threading

    from django.db import close_old_connections

    from rapid_reviews.models import PackPdf
    from rapid_reviews.services.pack import pack_pdf_prepare

    review = pack.request.rapid_review
    barrier, errors = threading.Barrier(2), []

    def make():
        try:
            barrier.wait(timeout=10)
            pack_pdf_prepare(review=review)
        except Exception as error:  # noqa: BLE001 (the test reports any failure)
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    kept = PackPdf.objects.get(rapid_review=review)
    storage = kept.file.storage
    folder = kept.file.name.rsplit("/", 1)[0]
    assert storage.listdir(folder)[1] == [kept.file.name.rsplit("/", 1)[1]]


def test_unlocking_a_return_removes_the_kept_pdf_and_its_file(
    world, pack, django_capture_on_commit_callbacks
):
    """A return is unlocked because it was wrong: the PDF made from it does not stay."""
    from rapid_reviews.models import PackPdf
    from rapid_reviews.services.pack import pack_pdf_prepare

    pack_pdf_prepare(review=pack.request.rapid_review)
    kept = PackPdf.objects.get()
    storage, name = kept.file.storage, kept.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.return_unlock(
            information_return=pack, reason="Wrong child", by=world["business_manager"]
        )

    assert not PackPdf.objects.exists() and not storage.exists(name)


def test_a_pdf_whose_row_is_not_saved_leaves_no_file(world, pack, media, monkeypatch):
    from rapid_reviews.models import PackPdf
    from rapid_reviews.services.pack import pack_pdf_prepare

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PackPdf, "save", fail)
    with pytest.raises(RuntimeError):
        pack_pdf_prepare(review=pack.request.rapid_review)
    assert not [path for path in media.rglob("*") if path.is_file()]
