"""Action plans, learning and themes (R11, R12): what a partnership does with what its
reviews found. The sub-modules hold one part each; everything is importable from here."""

from actions.models.learning import LearningEvent, LearningEventCase
from actions.models.plans import (
    OPEN_STATUSES,
    REPORTED_STATUSES,
    Action,
    ActionPlan,
    ActionStatus,
    ActionTheme,
    Barrier,
    Evidence,
    PlanSource,
    ProgressUpdate,
)
from actions.models.themes import CaseTheme, Theme

__all__ = [
    "OPEN_STATUSES",
    "REPORTED_STATUSES",
    "Action",
    "ActionPlan",
    "ActionStatus",
    "ActionTheme",
    "Barrier",
    "CaseTheme",
    "Evidence",
    "LearningEvent",
    "LearningEventCase",
    "PlanSource",
    "ProgressUpdate",
    "Theme",
]
