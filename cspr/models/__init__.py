from cspr.models.audit import AccessLogEntry, Outcome, RecordType, RetentionRule
from cspr.models.calendar import CalendarDay, CalendarSource
from cspr.models.cases import (
    ALLOWED_STAGE_MOVES,
    OPEN_STAGES,
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    ChildRecord,
    EventKind,
    Sex,
    Stage,
)
from cspr.models.deadlines import (
    ALLOWED_DEADLINE_MOVES,
    PENDING_STATUSES,
    Deadline,
    DeadlineStatus,
)
from cspr.models.reminders import (
    Digest,
    DigestStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from cspr.models.tenancy import Agency, AgencyType, ClockStart, Partnership, Role, User

__all__ = [
    "ALLOWED_DEADLINE_MOVES",
    "ALLOWED_STAGE_MOVES",
    "AccessLogEntry",
    "OPEN_STAGES",
    "PENDING_STATUSES",
    "Agency",
    "AgencyType",
    "CalendarDay",
    "CalendarSource",
    "Case",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "CaseUserObjectPermission",
    "ChildRecord",
    "ClockStart",
    "Deadline",
    "DeadlineStatus",
    "Digest",
    "DigestStatus",
    "EventKind",
    "Outcome",
    "Partnership",
    "RecordType",
    "Reminder",
    "ReminderKind",
    "ReminderStatus",
    "RetentionRule",
    "Role",
    "Sex",
    "Stage",
    "User",
]
