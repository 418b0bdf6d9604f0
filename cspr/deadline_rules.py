"""The statutory and local time limits (DOMAIN.md R13), as pure functions.

Each rule says how its due date follows from an anchoring event, and where the
rule comes from, so that a deadline can always explain why it is due when it is.
"""

import calendar as month_calendar
import datetime
from dataclasses import dataclass

from django.db import models


class Unit(models.TextChoices):
    WORKING_DAYS_AFTER = "working_days_after", "working days after"
    WORKING_DAYS_BEFORE = "working_days_before", "working days before"
    CALENDAR_MONTHS_AFTER = "calendar_months_after", "calendar months after"
    AS_SET = "as_set", "as set"


class Rule(models.TextChoices):
    NOTIFICATION = "notification", "Notify the Panel"
    LEARNING_MEETING = "learning_meeting", "Hold the rapid review learning meeting"
    RAPID_REVIEW_REPORT = "rapid_review_report", "Send the rapid review report to the Panel"
    PANEL_RESPONSE_CHASE = "panel_response_chase", "Chase the Panel's response"
    CSPR_COMPLETION = "cspr_completion", "Complete the local review"
    PUBLICATION_NOTICE = (
        "publication_notice",
        "Send the final report to the Panel and the Secretary of State",
    )
    MONITORING_CHECKPOINT = "monitoring_checkpoint", "Monitoring checkpoint on the local review"
    REVIEWER_REQUEST = "reviewer_request", "Reviewer's reply to a written request"
    AGENCY_RETURN = "agency_return", "Agency information return"
    ACTION = "action", "Action due"
    EXCEPTION_REPORT = "exception_report", "Quarterly exception report"
    LEARNING_EVENT = "learning_event", "Learning event"
    OTHER = "other", "Local deadline"


WORKING_TOGETHER = "Working Together to Safeguard Children 2023, chapter 5"


@dataclass(frozen=True)
class RuleSpec:
    unit: str
    period: int
    source: str
    window_opens: int | None = None  # for a window: the earliest working day
    # Set when another record's own step meets the deadline (the notification being sent,
    # a return submitted): it is then recorded done there, not on the deadline page.
    met_by: str = ""
    # A time limit set in law or statutory guidance: missing it is escalated to the
    # sub-group chair as well as the business unit.
    statutory: bool = False

    def explain_period(self, period: int) -> str:
        if self.unit == Unit.AS_SET:
            return "set when it was created"
        singular = {"working days": "working day", "calendar months": "calendar month"}
        words = Unit(self.unit).label
        if period == 1:
            for plural, one in singular.items():
                words = words.replace(plural, one)
        return f"{period} {words}"


RULES = {
    Rule.NOTIFICATION: RuleSpec(
        Unit.WORKING_DAYS_AFTER,
        5,
        f"{WORKING_TOGETHER}; Children Act 2004, section 16C",
        met_by="recording the notification as sent",
        statutory=True,
    ),
    Rule.LEARNING_MEETING: RuleSpec(
        Unit.WORKING_DAYS_AFTER,
        10,
        f"Partnership CSPR protocol; {WORKING_TOGETHER}",
        6,
        met_by="recording the learning meeting",
    ),
    Rule.RAPID_REVIEW_REPORT: RuleSpec(
        Unit.WORKING_DAYS_AFTER,
        15,
        WORKING_TOGETHER,
        met_by="recording the report as sent to the Panel",
        statutory=True,
    ),
    Rule.PANEL_RESPONSE_CHASE: RuleSpec(
        Unit.WORKING_DAYS_AFTER,
        10,
        "Partnership setting (the Panel usually replies within 10)",
        met_by="recording the Panel's response",
    ),
    Rule.CSPR_COMPLETION: RuleSpec(
        Unit.CALENDAR_MONTHS_AFTER,
        6,
        f"{WORKING_TOGETHER}; a target to report against, not a hard limit",
        met_by="the executive approving the final report",
    ),
    Rule.PUBLICATION_NOTICE: RuleSpec(
        Unit.WORKING_DAYS_BEFORE,
        7,
        f"{WORKING_TOGETHER}; Child Safeguarding Practice Review and Relevant Agency "
        "(England) Regulations 2018",
        met_by="recording the final copy as sent to both",
        statutory=True,
    ),
    Rule.MONITORING_CHECKPOINT: RuleSpec(
        Unit.AS_SET,
        0,
        "Regulation 14: the partners monitor the review's time and quality",
        met_by="recording the checkpoint",
    ),
    Rule.REVIEWER_REQUEST: RuleSpec(
        Unit.AS_SET,
        0,
        "Regulation 14: requests to the reviewer are made in writing",
        met_by="recording the reviewer's reply",
    ),
    Rule.AGENCY_RETURN: RuleSpec(
        Unit.AS_SET,
        0,
        "Set by the business unit for each request",
        met_by="the agency submitting its return",
    ),
    Rule.ACTION: RuleSpec(Unit.AS_SET, 0, "Set in the action plan"),
    Rule.EXCEPTION_REPORT: RuleSpec(Unit.AS_SET, 0, "Partnership oversight arrangements"),
    Rule.LEARNING_EVENT: RuleSpec(Unit.AS_SET, 0, "Partnership learning programme"),
    Rule.OTHER: RuleSpec(Unit.AS_SET, 0, "Set locally"),
}


def add_calendar_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day where it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def compute_due(rule, anchor_date, calendar, period=None, due_on=None, paused=0):
    """(opens_on, due_on) for a rule anchored on `anchor_date`.

    `period` overrides the rule's default (a partnership setting, say); an AS_SET
    rule takes `due_on` as given. `paused` working days (while the clock was stopped)
    push both dates on.
    """
    spec = RULES[Rule(rule)]
    period = spec.period if period is None else period
    opens_on = None
    if spec.unit == Unit.WORKING_DAYS_AFTER:
        due_on = calendar.add_working_days(anchor_date, period + paused)
        if spec.window_opens is not None:
            opens_on = calendar.add_working_days(anchor_date, spec.window_opens + paused)
        return opens_on, due_on
    if spec.unit == Unit.WORKING_DAYS_BEFORE:
        due_on = calendar.subtract_working_days(anchor_date, period)
    elif spec.unit == Unit.CALENDAR_MONTHS_AFTER:
        due_on = add_calendar_months(anchor_date, period)
    elif due_on is None:
        raise ValueError(f"A {Rule(rule).label} deadline needs its due date.")
    return opens_on, calendar.add_working_days(due_on, paused)
