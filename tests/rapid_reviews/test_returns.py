"""Information returns and chronologies: drafts, rows without JavaScript, submit and lock."""

import datetime

import pytest
from django.urls import reverse

from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind
from rapid_reviews import services
from rapid_reviews.models import ChronologyEntry, InformationReturn, ReturnStatus
from tests.conftest import PERSONAS, fresh
from tests.rapid_reviews.test_rapid_reviews import future

D = datetime.date
COMPLETE = {
    "involvement_period": "2025 to 2026",
    "involvement_extent": "Two call-outs to the family home (fictional).",
    "key_practice_episodes": "A fictional episode.",
    "analysis": "Agencies did not share information (fictional).",
    "immediate_actions": "Briefing to staff.",
    "author_name": "Sam Fictional",
    "signed_off_by": "Chief Inspector Fictional",
    "signed_off_on": D(2026, 11, 5),
}
ROW = {
    "date": D(2026, 10, 1),
    "date_is_approximate": False,
    "source": "Police log",
    "event": "Call-out to the home",
    "significance": "",
    "action": "",
}


def save(world, information_return, fields=COMPLETE, rows=(ROW,), persona="police_contributor"):
    return services.return_save_draft(
        information_return=information_return, fields=fields, rows=list(rows), by=world[persona]
    )


def test_a_draft_saves_and_its_rows_are_replaced_in_order(world, police_return):
    save(world, police_return, rows=[ROW, {**ROW, "date": D(2026, 9, 1), "event": "Earlier"}])
    save(world, police_return, rows=[ROW])
    assert list(police_return.entries.values_list("event", flat=True)) == ["Call-out to the home"]


def as_saved(information_return):
    """The draft's rows as the edit page posts them back: each names its row (`entry`)."""
    return [
        {name: getattr(entry, name) for name in services.ROW_FIELDS} | {"entry": entry.pk}
        for entry in information_return.entries.all()
    ]


def row_history(information_return):
    return ChronologyEntry.history.filter(information_return_id=information_return.pk)


def test_saving_writes_only_what_changed(world, police_return):
    second = {**ROW, "date": D(2026, 10, 2), "event": "Second call-out"}
    save(world, police_return, rows=[ROW, second])
    first_id, second_id = police_return.entries.values_list("id", flat=True)
    return_history = police_return.history.count()
    rows_written = row_history(police_return).count()

    save(world, police_return, rows=as_saved(police_return))  # saved again as it is
    assert police_return.history.count() == return_history
    assert row_history(police_return).count() == rows_written

    first, second = as_saved(police_return)
    save(
        world, police_return, rows=[first, {**second, "action": "Referral to children's services"}]
    )
    assert police_return.history.count() == return_history
    assert row_history(police_return).count() == rows_written + 1
    changed = row_history(police_return).latest("history_id")
    assert (changed.id, changed.history_type, changed.history_user) == (
        second_id,
        "~",
        world["police_contributor"],
    )
    assert list(police_return.entries.values_list("id", flat=True)) == [first_id, second_id]

    save(world, police_return, fields={**COMPLETE, "analysis": "Rewritten"}, rows=[first])
    assert police_return.history.count() == return_history + 1
    assert row_history(police_return).latest("history_id").history_type == "-"
    assert list(police_return.entries.values_list("id", flat=True)) == [first_id]


def test_removing_the_first_row_deletes_that_row_and_nothing_else(world, police_return):
    later = {**ROW, "date": D(2026, 10, 2), "event": "Second call-out"}
    save(world, police_return, rows=[ROW, later])
    first_id, later_id = police_return.entries.values_list("id", flat=True)
    written = row_history(police_return).count()

    save(world, police_return, rows=as_saved(police_return)[1:])

    assert list(police_return.entries.values_list("id", "event")) == [(later_id, "Second call-out")]
    assert row_history(police_return).count() == written + 1
    deleted = row_history(police_return).latest("history_id")
    assert (deleted.id, deleted.history_type, deleted.event) == (first_id, "-", ROW["event"])


def three_rows(*rows):
    return [
        {**ROW, "date": D(2026, 10, day), "source": source, "event": event}
        for day, source, event in rows
    ]


def test_each_change_is_recorded_against_the_row_it_was_made_to(world, police_return):
    save(
        world,
        police_return,
        rows=three_rows(
            (1, "Police log", "Call"), (1, "Custody record", "Arrest"), (3, "Log", "Visit")
        ),
    )
    ids = dict(police_return.entries.values_list("event", "id"))
    call, arrest, visit = as_saved(police_return)
    written = row_history(police_return).count()

    # The call rewritten from top to bottom and moved after the visit, the arrest
    # removed, a new row that says most of what the arrest said: each recorded as what
    # it is.
    rewritten = {**call, "date": D(2026, 10, 5), "source": "999 call", "event": "Call back"}
    new = {key: value for key, value in arrest.items() if key != "entry"} | {"action": "Bail"}
    save(world, police_return, rows=[new, visit, rewritten])

    assert list(police_return.entries.values_list("event", flat=True)) == [
        "Arrest",
        "Visit",
        "Call back",
    ]
    assert police_return.entries.get(event="Call back").pk == ids["Call"]
    new_id = police_return.entries.get(event="Arrest").pk
    changes = row_history(police_return).order_by("history_id")[written:]
    assert sorted((c.id, c.history_type) for c in changes) == sorted(
        [(new_id, "+"), (ids["Call"], "~"), (ids["Arrest"], "-")]
    )
    assert new_id != ids["Arrest"]


def test_a_row_naming_another_returns_row_is_a_new_row_here(world, police_return):
    health = services.information_request_send(
        rapid_review=police_return.request.rapid_review,
        agency=world.health,
        due_on=future(1),
        note="",
        by=world["business_manager"],
    ).information_return
    save(world, health, rows=[{**ROW, "source": "GP record"}], persona="health_contributor")
    theirs = health.entries.get()
    save(world, police_return, rows=[ROW])
    ours = police_return.entries.get()

    # The police page's row forged to name the health return's row, and its own named
    # twice: the health row is untouched, and each forged name adds a row here.
    forged = [
        {**ROW, "event": "Forged", "entry": theirs.pk},
        {**ROW, "event": "Ours, edited", "entry": ours.pk},
        {**ROW, "event": "Ours again", "entry": ours.pk},
    ]
    save(world, police_return, rows=forged)

    assert health.entries.get() == theirs and fresh(theirs).event == ROW["event"]
    assert police_return.entries.get(pk=ours.pk).event == "Ours, edited"
    assert sorted(police_return.entries.values_list("event", flat=True)) == [
        "Forged",
        "Ours again",
        "Ours, edited",
    ]
    assert not row_history(health).filter(history_user=world["police_contributor"]).exists()


def test_another_agency_cannot_write_the_police_return(world, police_return):
    with pytest.raises(TransitionNotAllowed):
        save(world, police_return, persona="health_contributor")
    with pytest.raises(TransitionNotAllowed):
        save(world, police_return, persona="business_manager")


def test_an_incomplete_return_is_not_submitted(world, police_return):
    save(world, police_return, fields={"author_name": "Sam"})
    with pytest.raises(Incomplete) as refused:
        services.return_submit(information_return=police_return, by=world["police_contributor"])
    assert "signed_off_on" in refused.value.fields and "analysis" in refused.value.fields
    assert InformationReturn.objects.get(pk=police_return.pk).status == ReturnStatus.DRAFT


def test_submitting_locks_the_return_and_meets_the_request_deadline(world, police_return):
    police = world["police_contributor"]
    save(world, police_return)
    services.return_submit(information_return=police_return, by=police)
    police_return.refresh_from_db()
    assert police_return.status == ReturnStatus.SUBMITTED
    assert police_return.request.deadline.status == DeadlineStatus.MET
    assert world.case.events.filter(kind=EventKind.RETURN_SUBMITTED).exists()
    with pytest.raises(TransitionNotAllowed, match="locked"):
        save(world, police_return, persona="police_contributor")
    with pytest.raises(TransitionNotAllowed):
        services.return_submit(information_return=police_return, by=fresh(police))


def test_the_business_unit_unlocks_with_a_reason_and_the_agency_can_edit_again(
    world, police_return
):
    manager = world["business_manager"]
    save(world, police_return)
    services.return_submit(information_return=police_return, by=world["police_contributor"])
    with pytest.raises(Incomplete):
        services.return_unlock(information_return=police_return, reason=" ", by=manager)
    with pytest.raises(TransitionNotAllowed):
        services.return_unlock(
            information_return=police_return, reason="x", by=world["subgroup_chair"]
        )
    services.return_unlock(
        information_return=police_return, reason="Wrong date in row 1", by=manager
    )
    save(world, police_return, persona="police_contributor")
    event = world.case.events.get(kind=EventKind.RETURN_UNLOCKED)
    assert event.note == "Wrong date in row 1"


def row_data(index, **values):
    return {f"rows-{index}-{key}": value for key, value in values.items()}


def post_return(client, request_pk, rows, button="save", **fields):
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(sum(1 for row in rows if row.get("entry"))),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        button: "1",
    }
    data.update({k: (v.isoformat() if isinstance(v, D) else v) for k, v in fields.items()})
    for index, row in enumerate(rows):
        data.update(row_data(index, **row))
    return client.post(reverse("return-edit", args=[request_pk]), data)


def test_rows_are_added_and_removed_without_javascript(client, world, police_return):
    client.force_login(world["police_contributor"])
    pk = police_return.request_id
    response = post_return(
        client, pk, [{"date": "2026-10-01", "source": "Log", "event": "First"}, {}]
    )
    assert response.status_code == 302
    page = client.get(reverse("return-edit", args=[pk])).content.decode()
    assert "First" in page and 'name="rows-1-date"' in page  # the saved row and a blank one
    post_return(
        client,
        pk,
        [
            {"date": "2026-10-01", "source": "Log", "event": "First", "DELETE": "on"},
            {"date": "2026-10-02", "source": "Log", "event": "Second"},
        ],
    )
    assert list(ChronologyEntry.objects.values_list("event", flat=True)) == ["Second"]


def test_a_half_filled_row_is_an_error_and_nothing_typed_is_lost(client, world, police_return):
    client.force_login(world["police_contributor"])
    response = post_return(
        client,
        police_return.request_id,
        [{"date": "2026-10-01", "event": "No source given"}],
        involvement_extent="Typed text",
    )
    html = response.content.decode()
    assert "Chronology row 1: Enter the source of information" in html
    assert "No source given" in html and "Typed text" in html
    assert not ChronologyEntry.objects.exists()
    assert InformationReturn.objects.get(pk=police_return.pk).involvement_extent == ""


def test_submitting_an_incomplete_return_saves_it_and_says_what_is_missing(
    client, world, police_return
):
    client.force_login(world["police_contributor"])
    response = post_return(
        client, police_return.request_id, [{}], button="submit", author_name="Sam"
    )
    html = response.content.decode()
    assert "Enter the date the return was signed off" in html
    assert InformationReturn.objects.get(pk=police_return.pk).author_name == "Sam"


def test_the_page_names_each_row_so_a_change_is_recorded_against_it(client, world, police_return):
    save(
        world,
        police_return,
        rows=three_rows((1, "Log", "Call"), (2, "Log", "Visit"), (3, "Log", "Arrest")),
    )
    ids = list(police_return.entries.values_list("id", flat=True))
    client.force_login(world["police_contributor"])
    page = client.get(reverse("return-edit", args=[police_return.request_id])).content.decode()
    for index, pk in enumerate(ids):
        assert f'type="hidden" name="rows-{index}-entry" value="{pk}"' in page
    written = row_history(police_return).count()

    rows = [{**row, "date": row["date"].isoformat()} for row in as_saved(police_return)]
    rows[0]["DELETE"] = "on"
    rows[2]["event"] = "Arrest for assault"
    response = post_return(client, police_return.request_id, rows, **COMPLETE)

    assert response.status_code == 302
    changes = row_history(police_return).order_by("history_id")[written:]
    assert sorted((c.id, c.history_type) for c in changes) == [(ids[0], "-"), (ids[2], "~")]


def test_a_row_corrected_after_an_error_is_still_an_edit_of_its_row(client, world, police_return):
    save(world, police_return, rows=[ROW])
    (row,) = as_saved(police_return)
    client.force_login(world["police_contributor"])
    written = row_history(police_return).count()
    posted = {**row, "date": "2026-10-01", "source": ""}

    refused = post_return(client, police_return.request_id, [posted], **COMPLETE)
    assert "Chronology row 1: Enter the source of information" in refused.content.decode()
    assert f'name="rows-0-entry" value="{row["entry"]}"' in refused.content.decode()
    post_return(
        client, police_return.request_id, [{**posted, "source": "Custody record"}], **COMPLETE
    )

    assert police_return.entries.get().pk == row["entry"]
    changes = row_history(police_return).order_by("history_id")[written:]
    assert [(c.id, c.history_type, c.source) for c in changes] == [
        (row["entry"], "~", "Custody record")
    ]


def test_the_same_page_saved_twice_adds_its_new_rows_once(client, world, police_return):
    save(world, police_return, rows=[ROW])
    client.force_login(world["police_contributor"])
    page = client.get(reverse("return-edit", args=[police_return.request_id]))
    version = page.context["form"]["version"].value()
    (row,) = as_saved(police_return)
    new = {"date": "2026-10-02", "source": "Log", "event": "Second call-out"}
    posted = [{**row, "date": row["date"].isoformat()}, new]

    first = post_return(client, police_return.request_id, posted, version=version, **COMPLETE)
    assert first.status_code == 302
    # Pressed again (or Back, then Save): refused, as the draft changed since the page
    # was read; saved once more from the refused page, which carries the new version.
    second = post_return(client, police_return.request_id, posted, version=version, **COMPLETE)
    assert second.status_code == 200
    assert "saved since you opened this page" not in second.content.decode()  # it shows it
    written = row_history(police_return).count()
    again = second.context["form"]["version"].value()
    post_return(client, police_return.request_id, posted, version=again, **COMPLETE)

    assert list(police_return.entries.values_list("event", flat=True)) == [
        ROW["event"],
        "Second call-out",
    ]
    assert row_history(police_return).count() == written


def test_a_page_from_before_rows_were_named_writes_only_what_it_changed(
    client, world, police_return
):
    rows = three_rows((1, "Log", "Call"), (2, "Log", "Visit"), (3, "Log", "Arrest"))
    save(world, police_return, rows=rows)
    ids = list(police_return.entries.values_list("id", flat=True))
    client.force_login(world["police_contributor"])
    written = row_history(police_return).count()

    unnamed = [{**row, "date": row["date"].isoformat()} for row in rows]  # no ids
    unnamed[1]["significance"] = "The child was not seen"
    post_return(client, police_return.request_id, unnamed, **COMPLETE)

    assert list(police_return.entries.values_list("id", flat=True))[::2] == ids[::2]
    assert police_return.entries.get(event="Visit").significance == "The child was not seen"
    changes = row_history(police_return).order_by("history_id")[written:]
    assert sorted(c.history_type for c in changes) == ["+", "-"]


def test_line_breaks_as_a_browser_sends_them_are_no_change(client, world, police_return):
    imported = {**ROW, "event": "Call-out.\nThe child was asleep.", "action": "Note\nand refer"}
    services.return_append_rows(
        information_return=police_return, rows=[imported], by=world["police_contributor"]
    )
    (row,) = as_saved(police_return)
    client.force_login(world["police_contributor"])
    written = row_history(police_return).count()

    as_sent = {
        **row,
        "date": row["date"].isoformat(),
        "event": row["event"].replace("\n", "\r\n"),
        "action": row["action"].replace("\n", "\r\n"),
    }
    post_return(client, police_return.request_id, [as_sent], **COMPLETE)
    del as_sent["entry"]  # and a page from before rows were named
    post_return(client, police_return.request_id, [as_sent], **COMPLETE)

    assert police_return.entries.get().pk == row["entry"]
    assert row_history(police_return).count() == written


CALL_OUT = {"date": "2026-10-01", "source": "Log", "event": "Call-out"}


def test_a_refused_submit_shows_the_saved_rows_named(client, world, police_return):
    client.force_login(world["police_contributor"])
    response = post_return(client, police_return.request_id, [CALL_OUT], button="submit")
    saved = police_return.entries.get()
    assert f'name="rows-0-entry" value="{saved.pk}"' in response.content.decode()
    written = row_history(police_return).count()

    version = response.context["form"]["version"].value()
    post_return(
        client,
        police_return.request_id,
        [{**CALL_OUT, "entry": str(saved.pk)}],
        version=version,
    )
    assert police_return.entries.get() == saved
    assert row_history(police_return).count() == written


def test_the_whole_journey_submits_and_locks(client, world, police_return):
    client.force_login(world["police_contributor"])
    response = post_return(
        client, police_return.request_id, [CALL_OUT], button="submit", **COMPLETE
    )
    assert response.status_code == 302
    edit = client.get(reverse("return-edit", args=[police_return.request_id]))
    assert edit.status_code == 302  # locked: back to the request page
    assert InformationReturn.objects.get(pk=police_return.pk).status == ReturnStatus.SUBMITTED


SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive"}

VIEWS = {
    "return-edit": (
        "get",
        lambda r: reverse("return-edit", args=[r.request_id]),
        None,
        lambda p: 200 if p == "police_contributor" else 403 if p in SEES else 404,
    ),
    "chronology-import": (
        "get",
        lambda r: reverse("chronology-import", args=[r.request_id]),
        None,
        lambda p: 200 if p == "police_contributor" else 403 if p in SEES else 404,
    ),
    "return-addendum": (
        "post",
        lambda r: reverse("return-addendum", args=[r.request_id]),
        {"text": "x"},
        lambda p: 302 if p == "police_contributor" else 403 if p in SEES else 404,
    ),
    "return-unlock": (
        "post",
        lambda r: reverse("return-unlock", args=[r.request_id]),
        {"reason": "x"},
        lambda p: (
            302 if p in {"business_manager"} else 403 if p in SEES | {"police_contributor"} else 404
        ),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_return_view_answers_each_persona(client, world, police_return, name, persona):
    method, url, data, expected = VIEWS[name]
    client.force_login(world[persona])
    response = getattr(client, method)(url(police_return), data)
    assert response.status_code == expected(persona)


def test_the_request_page_leads_the_agency_to_its_return(client, world, police_return):
    client.force_login(world["police_contributor"])
    html = client.get(reverse("request-detail", args=[police_return.request_id])).content.decode()
    assert reverse("return-edit", args=[police_return.request_id]) in html


def test_the_business_unit_reads_a_submitted_return_and_can_unlock_it(client, world, police_return):
    save(world, police_return)
    services.return_submit(information_return=police_return, by=world["police_contributor"])
    client.force_login(world["business_manager"])
    html = client.get(reverse("request-detail", args=[police_return.request_id])).content.decode()
    assert "Call-out to the home" in html and "Chief Inspector Fictional" in html
    assert reverse("return-unlock", args=[police_return.request_id]) in html
    assert f'href="{reverse("return-edit", args=[police_return.request_id])}"' not in html


def test_an_agency_whose_access_is_removed_loses_its_request_and_return(
    client, world, police_return
):
    from cspr.services.cases import case_revoke_agency

    case_revoke_agency(
        case=world.case, agency=world.police, by=world["business_manager"], reason="Not involved"
    )
    client.force_login(world["police_contributor"])
    assert client.get(reverse("request-detail", args=[police_return.request_id])).status_code == 404
    assert client.get(reverse("return-edit", args=[police_return.request_id])).status_code == 404
    with pytest.raises(TransitionNotAllowed):
        save(world, police_return)


def test_draft_rows_stay_the_agencys_own_until_submitted(client, world, police_return):
    save(world, police_return, fields={})
    client.force_login(world["business_manager"])
    html = client.get(reverse("request-detail", args=[police_return.request_id])).content.decode()
    assert "Call-out to the home" not in html
    client.force_login(world["police_contributor"])
    html = client.get(reverse("request-detail", args=[police_return.request_id])).content.decode()
    assert "Call-out to the home" in html


def test_after_the_lock_the_agency_adds_material_as_an_addendum(client, world, police_return):
    save(world, police_return)
    with pytest.raises(TransitionNotAllowed, match="still a draft"):
        services.return_add_addendum(
            information_return=police_return, text="x", by=world["police_contributor"]
        )
    services.return_submit(information_return=police_return, by=world["police_contributor"])
    for persona in ("health_contributor", "business_manager"):
        with pytest.raises(TransitionNotAllowed):
            services.return_add_addendum(
                information_return=police_return, text="x", by=world[persona]
            )
    client.force_login(world["police_contributor"])
    url = reverse("return-addendum", args=[police_return.request_id])
    client.post(url, {"text": "A later call-out came to light (fictional)."})
    police_return.refresh_from_db()
    assert police_return.status == ReturnStatus.SUBMITTED  # the return itself is unchanged
    assert police_return.addenda.get().text == "A later call-out came to light (fictional)."
    client.force_login(world["subgroup_chair"])
    html = client.get(reverse("collated-pack", args=[world.case.pk])).content.decode()
    assert "A later call-out came to light (fictional)." in html
