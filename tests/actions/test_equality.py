"""The child's protected characteristics (R12) on the restricted record, and the equality
analysis of themes by them, checked against hand-counted children."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from actions.models import Theme
from actions.services.themes import age_band, age_on, case_themes_set, equality_analysis
from cspr.models import ChildRecord, Disabled, EthnicGroup, EventKind
from referrals.models import Referral
from tests.conftest import PERSONAS
from tests.factories import CaseFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")  # Friday 4 December 2026: FY 2026–27


# -------------------------------------------------------------------- the child's record


def test_the_business_unit_records_the_childs_ethnic_group_and_disability(client, world):
    client.force_login(world["business_manager"])
    url = reverse("child-record-edit", args=[world.case.pk])
    page = client.get(url).content.decode()
    assert 'type="radio" value="black"' in page and "Is the child disabled?" in page
    response = client.post(
        url,
        {
            "given_names": "Robin",
            "family_name": world.case.child.family_name,
            "sex": "female",
            "ethnic_group": "black",
            "ethnicity": "Black Caribbean",
            "disabled": "yes",
            "disability": "A learning disability",
        },
    )
    assert response.status_code == 302
    child = ChildRecord.objects.get(case=world.case)
    assert (child.ethnic_group, child.ethnicity, child.disabled, child.disability) == (
        EthnicGroup.BLACK,
        "Black Caribbean",
        Disabled.YES,
        "A learning disability",
    )
    event = world.case.events.get(kind=EventKind.CHILD_RECORD_CHANGED)
    assert "ethnic group" in event.summary and "Black" not in event.summary
    assert child.history.first().history_user == world["business_manager"]


def test_a_post_without_the_characteristics_keeps_what_is_recorded(client, world):
    ChildRecord.objects.filter(case=world.case).update(ethnic_group="asian", disabled="no")
    client.force_login(world["business_manager"])
    client.post(
        reverse("child-record-edit", args=[world.case.pk]),
        {"given_names": "Robin", "family_name": "Newname", "sex": "male"},
    )
    child = ChildRecord.objects.get(case=world.case)
    assert (child.family_name, child.ethnic_group, child.disabled) == ("Newname", "asian", "no")


def test_an_ethnic_group_not_on_the_list_is_refused(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("child-record-edit", args=[world.case.pk]),
        {"given_names": "Robin", "family_name": "Other", "sex": "male", "ethnic_group": "x"},
    )
    assert "Choose the child&#x27;s ethnic group from the list" in response.content.decode()
    assert ChildRecord.objects.get(case=world.case).family_name != "Other"


@pytest.mark.parametrize(
    "persona,shown",
    [
        ("business_manager", True),
        ("police_contributor", True),  # granted the child's details with the case
        ("subgroup_chair", False),
        ("executive", False),
        ("reviewer", True),
    ],
)
def test_the_characteristics_show_only_with_the_childs_record(client, world, persona, shown):
    ChildRecord.objects.filter(case=world.case).update(
        ethnic_group="mixed", disability="Deaf (fictional)"
    )
    client.force_login(world[persona])
    html = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    assert ("Mixed or multiple ethnic groups" in html) is shown
    assert ("Deaf (fictional)" in html) is shown


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "business_manager"])
def test_nobody_else_changes_the_characteristics(client, world, persona):
    client.force_login(world[persona])
    response = client.post(
        reverse("child-record-edit", args=[world.case.pk]),
        {"given_names": "Robin", "family_name": "X", "sex": "male", "ethnic_group": "white"},
    )
    assert response.status_code in (403, 404)
    assert ChildRecord.objects.get(case=world.case).ethnic_group == EthnicGroup.NOT_KNOWN


# --------------------------------------------------------------------------- the ages


@pytest.mark.parametrize(
    "born,on,band",
    [
        (D(2026, 3, 1), D(2026, 12, 4), "under_1"),
        (D(2025, 12, 4), D(2026, 12, 4), "1_4"),
        (D(2021, 12, 5), D(2026, 12, 4), "1_4"),  # five tomorrow
        (D(2021, 12, 4), D(2026, 12, 4), "5_9"),
        (D(2011, 1, 1), D(2026, 12, 4), "10_15"),
        (D(2009, 1, 1), D(2026, 12, 4), "16_17"),
        (D(2008, 12, 4), D(2026, 12, 4), "not_known"),  # 18: not a child's age
        (D(2027, 1, 1), D(2026, 12, 4), "not_known"),  # born after the case started
        (None, D(2026, 12, 4), "not_known"),
    ],
)
def test_age_bands(born, on, band):
    assert age_band(age_on(born, on)) == band


# ---------------------------------------------------------------- the equality analysis


def theme(name):
    return Theme.objects.get(name=name)


def child(case, **fields):
    ChildRecord.objects.filter(case=case).update(**fields)


def incident(world, case, on):
    Referral.objects.create(
        partnership=world.partnership,
        created_by=world["business_manager"],
        case=case,
        incident_date=on,
    )


@pytest.fixture
def children(world):
    """Four cases of Northtown (three with themes) and one of Southvale, hand-counted:

    - Child Q: White, disabled, female, under 1; Neglect and Safe sleep; opened this year.
    - Child R: Black, not disabled, male, born 1 Sept 2010: 15 at the incident on 1 June
      2026 (16 by the day the case was opened); Neglect.
    - Child S: Asian, disability not known, female, no date of birth; Neglect and
      Exploitation; incident on 1 May 2025, so in 2025–26, not this year.
    - Child T: Mixed, no themes.
    - Child Z (Southvale): White; Neglect. Never counted for Northtown.
    """
    manager = world["business_manager"]
    q = world.case
    r = CaseFactory(partnership=world.partnership, pseudonym="Child R")
    s = CaseFactory(partnership=world.partnership, pseudonym="Child S")
    t = CaseFactory(partnership=world.partnership, pseudonym="Child T")
    child(q, ethnic_group="white", disabled="yes", sex="female", date_of_birth=D(2026, 3, 1))
    child(r, ethnic_group="black", disabled="no", sex="male", date_of_birth=D(2010, 9, 1))
    child(s, ethnic_group="asian", sex="female", date_of_birth=None)
    child(t, ethnic_group="mixed", sex="male", date_of_birth=D(2020, 1, 1))
    incident(world, r, D(2026, 6, 1))
    incident(world, s, D(2025, 5, 1))
    case_themes_set(case=q, themes=[theme("Neglect"), theme("Safe sleep")], by=manager)
    case_themes_set(case=r, themes=[theme("Neglect")], by=manager)
    case_themes_set(case=s, themes=[theme("Neglect"), theme("Exploitation")], by=manager)
    child(world.other_case, ethnic_group="white")
    case_themes_set(case=world.other_case, themes=[theme("Neglect")], by=world["stranger"])
    return q, r, s, t


def counts(breakdowns):
    """{characteristic: {theme or "All cases": {group: count, "total": n}}}, zeros left out."""
    found = {}
    for breakdown in breakdowns:
        rows = [*breakdown.rows, ("All cases", *breakdown.all_cases)]
        found[breakdown.key] = {
            name: {
                group: count
                for (group, _), count in zip(breakdown.groups, numbers, strict=True)
                if count
            }
            | {"total": total}
            for name, numbers, total in rows
        }
    return found


def test_this_financial_year_counts_the_cases_that_started_in_it(world, children):
    found = counts(equality_analysis(world.partnership, start=D(2026, 4, 1), end=D(2027, 3, 31)))
    assert found["ethnic_group"] == {
        "Neglect": {"white": 1, "black": 1, "total": 2},
        "Safe sleep": {"white": 1, "total": 1},
        "All cases": {"white": 1, "black": 1, "mixed": 1, "total": 3},
    }
    assert found["disabled"]["Neglect"] == {"yes": 1, "no": 1, "total": 2}
    assert found["sex"]["Neglect"] == {"female": 1, "male": 1, "total": 2}
    # Child R's age is taken at the incident (15), not when the case was opened (16).
    assert found["age_band"]["Neglect"] == {"under_1": 1, "10_15": 1, "total": 2}
    assert found["age_band"]["All cases"] == {"under_1": 1, "5_9": 1, "10_15": 1, "total": 3}


def test_all_time_counts_every_case_of_the_partnership(world, children):
    found = counts(equality_analysis(world.partnership))
    assert found["ethnic_group"]["Neglect"] == {"white": 1, "black": 1, "asian": 1, "total": 3}
    assert found["ethnic_group"]["Exploitation"] == {"asian": 1, "total": 1}
    assert found["disabled"]["Neglect"] == {"yes": 1, "no": 1, "not_known": 1, "total": 3}
    assert found["sex"]["Neglect"] == {"female": 2, "male": 1, "total": 3}
    assert found["age_band"]["Neglect"] == {
        "under_1": 1,
        "10_15": 1,
        "not_known": 1,
        "total": 3,
    }
    assert found["age_band"]["All cases"] == {
        "under_1": 1,
        "5_9": 1,
        "10_15": 1,
        "not_known": 1,
        "total": 4,
    }
    assert list(found["sex"]) == ["Exploitation", "Neglect", "Safe sleep", "All cases"]


# ---------------------------------------------------------------------------- the pages


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["equality-analysis", "equality-analysis-csv"])
def test_the_analysis_is_for_the_business_unit_only(client, world, children, name, persona):
    client.force_login(world[persona])
    response = client.get(reverse(name), {"period": "all"})
    assert response.status_code == (200 if persona in {"business_manager", "stranger"} else 403)


def test_another_partnership_sees_only_its_own_cases(client, world, children):
    client.force_login(world["stranger"])
    html = client.get(reverse("equality-analysis"), {"period": "all"}).content.decode()
    assert "Safe sleep" not in html and "Exploitation" not in html
    assert "Neglect" in html  # Southvale's own Child Z


def test_the_page_warns_that_small_numbers_identify_a_child(client, world, children):
    client.force_login(world["business_manager"])
    html = client.get(reverse("equality-analysis")).content.decode()
    assert "Small numbers may identify a child" in html
    assert "must not be shared outside the partnership's business unit" in html
    assert "the financial year 2026 to 2027" in html
    assert "Exploitation" not in html  # Child S started in 2025–26
    assert world.case.child.family_name not in html


def test_the_period_can_be_an_earlier_financial_year(client, world, children):
    client.force_login(world["business_manager"])
    html = client.get(reverse("equality-analysis"), {"period": "2025"}).content.decode()
    assert "the financial year 2025 to 2026" in html
    assert "Exploitation" in html and "Safe sleep" not in html


def test_the_csv_has_the_hand_counted_figures_and_escapes_formulas(client, world, children):
    odd = Theme.objects.create(name="=SUM(A1:A9) (fictional)")
    case_themes_set(case=world.case, themes=[theme("Neglect"), odd], by=world["business_manager"])
    client.force_login(world["business_manager"])
    response = client.get(reverse("equality-analysis-csv"), {"period": "all"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Characteristic", "Group", "Theme", "Number of cases"]
    table = {(c, g, t): int(n) for c, g, t, n in rows[1:]}
    assert table[("Ethnic group", "Asian or Asian British", "Neglect")] == 1
    assert table[("Ethnic group", "White", "Neglect")] == 1
    assert table[("Sex", "Female", "Neglect")] == 2
    assert table[("Age at the start of the case", "Not known", "All cases")] == 1
    assert table[("Ethnic group", "White", "'=SUM(A1:A9) (fictional)")] == 1
    assert all(not t.startswith("=") for _, _, t in table)
