"""Themes on cases, and the equality analysis of themes by the child's protected
characteristics (R12).

Who applies themes: the business unit and the sub-group (members and chair), on a case of
their partnership. Whoever sees the case's timeline sees which themes it has.

The equality analysis counts cases, not children's names: for the business unit only,
since small numbers in a table can still point to one child.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from actions.models import CaseTheme
from cspr import access, periods
from cspr.errors import TransitionNotAllowed
from cspr.models import Case, Disabled, EthnicGroup, EventKind, Role, Sex
from cspr.services.audit import record_event, stamp

APPLY_THEMES = "apply_themes"


def theme_permissions(user, case) -> frozenset:
    """What the user may do with the case's themes: VIEW for whoever sees its timeline
    (the partnership-wide roles, the reviewer of the case); APPLY_THEMES for the business
    unit and the sub-group."""
    allowed = access.case_permissions(user, case)
    if access.VIEW_TIMELINE not in allowed:
        return frozenset()
    result = {access.VIEW}
    if access.CHANGE in allowed or user.has_role(Role.SUBGROUP_MEMBER, Role.SUBGROUP_CHAIR):
        result.add(APPLY_THEMES)
    return frozenset(result)


def access_case_themes(user, case_pk, action=access.VIEW):
    """The case, for its themes page: 404 unless the user sees its timeline, 403 when they
    may not do `action`. `case.permissions` is what they may do with its themes."""
    case = access.access_case(user, case_pk, access.VIEW)
    allowed = theme_permissions(user, case)
    return access.resolve(case if allowed else None, allowed, action, what="case", log=False)


def _names(themes):
    return ", ".join(theme.name for theme in sorted(themes, key=lambda t: t.name))


def case_themes_set(*, case, themes, by):
    """Make the case's active themes exactly `themes`: apply the ones it lacks, remove
    the active ones not chosen (a theme no longer offered stays where it was applied).
    Business unit or sub-group. Records one timeline row naming what was added and
    removed; each removal keeps its history row with the person who removed it.
    Returns (added, removed), lists of themes; both empty when nothing changed."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if APPLY_THEMES not in theme_permissions(by, case):
            raise TransitionNotAllowed(
                "Only the business unit and the sub-group apply themes to a case."
            )
        chosen = {theme.pk: theme for theme in themes}
        applied = {
            row.theme_id: row
            for row in CaseTheme.objects.select_for_update()
            .filter(case=case)
            .select_related("theme")
        }
        retired = [t for pk, t in chosen.items() if not t.is_active and pk not in applied]
        if retired:
            raise TransitionNotAllowed(f"No longer offered: {_names(retired)}.")
        added = [theme for pk, theme in chosen.items() if pk not in applied]
        removed = [row for pk, row in applied.items() if pk not in chosen and row.theme.is_active]
        for theme in added:
            stamp(CaseTheme(case=case, theme=theme, added_by=by), by=by, reason="Applied").save()
        for row in removed:
            stamp(row, by=by, reason="Removed")
            row.delete()
        removed = [row.theme for row in removed]
        if added or removed:
            parts = []
            if added:
                parts.append(f"added {_names(added)}")
            if removed:
                parts.append(f"removed {_names(removed)}")
            record_event(
                case=case,
                kind=EventKind.THEMES_CHANGED,
                by=by,
                summary="Themes changed: " + "; ".join(parts),
            )
    return added, removed


# ----------------------------------------------------------------- the equality analysis


def financial_year(day):
    """The first day (1 April) of the financial year `day` falls in."""
    return periods.financial_year_start(periods.financial_year_of(day))


def financial_year_label(start):
    """ "2026 to 2027" for the year starting 1 April 2026."""
    return periods.financial_year_words(start.year)


def financial_year_end(start):
    return periods.financial_year_end(start.year)


AGE_BANDS = [
    ("under_1", "Under 1"),
    ("1_4", "1 to 4"),
    ("5_9", "5 to 9"),
    ("10_15", "10 to 15"),
    ("16_17", "16 to 17"),
    ("not_known", "Not known"),
]


def age_on(date_of_birth, day):
    """Whole years from `date_of_birth` to `day`, or None when either is unknown."""
    if date_of_birth is None or day is None:
        return None
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def age_band(age):
    """The age band's key. An age that is no child's (a date of birth after the start, or
    18 or more) is a recording mistake, counted as not known rather than guessed at."""
    if age is None or age < 0 or age > 17:
        return "not_known"
    if age < 1:
        return "under_1"
    if age <= 4:
        return "1_4"
    if age <= 9:
        return "5_9"
    if age <= 15:
        return "10_15"
    return "16_17"


def case_start(case, incident_date=None):
    """The day the case started, for the child's age: the referral's incident date when
    one is recorded, else the day the case was opened."""
    if incident_date is not None:
        return incident_date
    return timezone.localdate(case.created_at) if case.created_at else None


@dataclass(frozen=True)
class Breakdown:
    """One characteristic's table: its groups, a row per theme (its name, a count per
    group, its total) and the row of every case in the period, themed or not."""

    key: str
    label: str
    groups: list
    rows: list
    all_cases: tuple


CHARACTERISTICS = [
    ("ethnic_group", "Ethnic group", EthnicGroup.choices),
    ("disabled", "Disabled", Disabled.choices),
    ("sex", "Sex", Sex.choices),
    ("age_band", "Age at the start of the case", AGE_BANDS),
]


def _profiles(partnership, start, end):
    """[(characteristics, theme names)] of the partnership's cases that started from
    `start` to `end` (inclusive; None for no limit)."""
    cases = (
        Case.objects.filter(partnership=partnership)
        .select_related("child")
        .annotate(incident_date=Min("referrals__incident_date"))
    )
    themes = {}
    for case_id, name in CaseTheme.objects.filter(case__partnership=partnership).values_list(
        "case_id", "theme__name"
    ):
        themes.setdefault(case_id, set()).add(name)
    found = []
    for case in cases:
        began = case_start(case, case.incident_date)
        if (start and began < start) or (end and began > end):
            continue
        child = getattr(case, "child", None)
        characteristics = {
            "ethnic_group": child.ethnic_group if child else EthnicGroup.NOT_KNOWN,
            "disabled": child.disabled if child else Disabled.NOT_KNOWN,
            "sex": child.sex if child else Sex.NOT_KNOWN,
            "age_band": age_band(age_on(child.date_of_birth if child else None, began)),
        }
        found.append((characteristics, themes.get(case.pk, set())))
    return found


def equality_analysis(partnership, *, start=None, end=None):
    """[Breakdown] for each characteristic: how many of the partnership's cases that
    started in the period have each theme, in each group. Themes applied to none of
    them are left out."""
    profiles = _profiles(partnership, start, end)
    theme_names = sorted({name for _, names in profiles for name in names})
    breakdowns = []
    for key, label, choices in CHARACTERISTICS:
        groups = list(choices)

        def row(cases, groups=groups, key=key):
            counts = [sum(1 for c, _ in cases if c[key] == value) for value, _ in groups]
            return counts, len(cases)

        rows = []
        for name in theme_names:
            counts, total = row([p for p in profiles if name in p[1]])
            rows.append((name, counts, total))
        breakdowns.append(Breakdown(key, label, groups, rows, row(profiles)))
    return breakdowns


def equality_csv_rows(breakdowns):
    """The analysis as rows of (characteristic, group, theme, number of cases)."""
    for breakdown in breakdowns:
        for value_label, index in ((g[1], i) for i, g in enumerate(breakdown.groups)):
            for name, counts, _ in breakdown.rows:
                yield (breakdown.label, value_label, name, counts[index])
            yield (breakdown.label, value_label, "All cases", breakdown.all_cases[0][index])


def may_analyse(user) -> bool:
    """The equality analysis is for the partnership's business unit only: they already
    see the children's records, and a count of one is a child."""
    return access.may_manage_cases(user)
