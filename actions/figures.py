"""Figures shared by the annual report and the dashboards, each computed in SQL over a
queryset the caller has already scoped to what the viewer may see (never a partnership's
figures to another's people). Owned by the reporting part; the dashboards call these.

Being filled in: the signatures below are the contract.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Timeliness:
    """One statutory deadline rule's record over a period: deadlines due in it that were
    met (done on or before the due date), missed (marked missed, or done late), still open
    and not yet due, and the median calendar days from the anchoring event to completion."""

    rule: str
    label: str
    met: int
    missed: int
    pending: int
    median_days: float | None

    @property
    def decided(self):
        return self.met + self.missed

    @property
    def percent_met(self):
        """Whole per cent of decided deadlines met, or None when none is decided."""
        return round(100 * self.met / self.decided) if self.decided else None


def timeliness(cases, *, start, end):
    """[Timeliness] for every statutory rule (R13), over the deadlines of `cases` due from
    `start` to `end` inclusive, in the rules' order."""
    raise NotImplementedError


def actions_by_status(actions, *, today):
    """{ActionStatus: count} of `actions`, with overdue worked out as of `today`
    (every status present, zero where none)."""
    raise NotImplementedError


def theme_counts(cases):
    """[(Theme, number of `cases` it is applied to)], most first, then by name; themes
    applied to none are left out."""
    raise NotImplementedError
