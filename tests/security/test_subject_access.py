"""Subject access: `subject_access_export` gathers everything held about one (fictional)
person, and nothing about anyone else."""

import io
import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cspr.models import EventKind
from cspr.services.audit import record_event
from cspr.services.cases import child_record_update
from cspr.services.subject_access import subject_access_collect

CHILD = "Robin Quillfeather"


@pytest.fixture
def child_world(sides, client):
    """Northtown's child, once called Robin Marsh, now Robin Quillfeather, with a rapid
    review and a family contact, a referral naming them, a note mentioning them, and a
    read of their details; Southvale's child is someone else."""
    from rapid_reviews.services.decision import family_informed
    from tests.referrals.conftest import make_draft

    sides.build("review")
    north = sides.north
    manager = north["business_manager"]
    child_record_update(
        case=north.case, changes={"given_names": "Robin", "family_name": "Marsh"}, by=manager
    )
    child_record_update(
        case=north.case, changes={"given_names": "Robin", "family_name": "Quillfeather"}, by=manager
    )
    family_informed(
        rapid_review=north.objects["review"],
        informed_on=timezone.localdate(),
        informed_by="Fictional Lead Professional, social worker",
        method="Home visit",
        note="Mother told in person",
        by=manager,
    )
    make_draft(north, child={"given_names": "robin", "family_name": "QUILLFEATHER"})
    record_event(
        case=north.case,
        kind=EventKind.MEETING_RECORDED,
        by=manager,
        summary="Practitioner meeting",
        note=f"The school nurse last saw {CHILD} in March.",
    )
    client.force_login(manager)
    client.get(reverse("case-detail", args=[north.case.pk]))
    client.force_login(north["executive"])  # no child details: not a reader of the child
    client.get(reverse("case-detail", args=[north.case.pk]))
    return sides


def _values(rows, field):
    return [row["fields"][field] for row in rows]


def test_a_child_is_found_by_name_with_their_records_and_history(child_world):
    data = subject_access_collect(name=CHILD)
    assert _values(data["child_records"], "family_name") == ["Quillfeather"]
    names = _values(data["child_record_history"], "family_name")
    assert "Marsh" in names and "Quillfeather" in names  # every version, the old name too
    assert _values(data["referral_children"], "family_name") == ["QUILLFEATHER"]
    assert len(data["referral_child_history"]) >= 1
    assert len(data["referrals"]) == 1
    assert _values(data["family_contacts"], "note") == ["Mother told in person"]
    readers = _values(data["child_details_seen_by"], "username")
    assert readers == [child_world.north["business_manager"].username]
    assert [row["model"] for row in data["mentions"]] == ["cspr.caseevent"]


def test_a_former_name_finds_the_child_too(child_world):
    data = subject_access_collect(name="Robin Marsh")
    assert _values(data["child_records"], "family_name") == ["Quillfeather"]


def test_nobody_elses_data_is_exported(child_world):
    text = json.dumps(subject_access_collect(name=CHILD), default=str)
    assert "Zanderwick" not in text  # Southvale's child
    assert "Child Z" not in text


def test_a_member_of_staff_is_found_by_account_without_their_password(child_world):
    police = child_world.north["police_contributor"]
    data = subject_access_collect(username=police.username)
    assert _values(data["people"], "username") == [police.username]
    assert "password" not in data["people"][0]["fields"]
    assert len(data["people_history"]) >= 1
    assert data["access_log"] == []
    manager = child_world.north["business_manager"]
    data = subject_access_collect(username=manager.username)
    assert {row["fields"]["object_type"] for row in data["access_log"]} == {"case"}
    assert "Practitioner meeting" in _values(data["case_events_by_them"], "summary")


def test_the_command_writes_a_file_only_its_owner_can_read(child_world, tmp_path):
    path = tmp_path / "export.json"
    out = io.StringIO()
    call_command("subject_access_export", "--name", CHILD, "--output", str(path), stdout=out)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["subject"]["name"] == CHILD
    assert data["child_records"][0]["fields"]["family_name"] == "Quillfeather"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "child_records: 1" in out.getvalue()


def test_the_command_needs_a_full_name_or_a_username(db):
    with pytest.raises(CommandError, match="Give --name"):
        call_command("subject_access_export")
    with pytest.raises(CommandError, match="given and family"):
        call_command("subject_access_export", "--name", "Robin")


def test_the_command_never_writes_over_an_existing_file(child_world, tmp_path):
    path = tmp_path / "export.json"
    path.write_text("kept", encoding="utf-8")
    with pytest.raises(CommandError, match="exists already"):
        call_command("subject_access_export", "--name", CHILD, "--output", str(path))
    assert path.read_text(encoding="utf-8") == "kept"
