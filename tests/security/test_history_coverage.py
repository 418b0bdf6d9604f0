"""Every model of the project's apps keeps django-simple-history unless it is on the
exemption list below with its reason; and no service writes history-tracked rows in bulk
(`QuerySet.update`, `bulk_create`, `bulk_update` skip the history signals)."""

import ast
from pathlib import Path

from django.apps import apps
from simple_history.models import HistoricalChanges

PROJECT_APPS = ["cspr", "referrals", "rapid_reviews", "reviews", "actions"]
ROOT = Path(__file__).resolve().parent.parent.parent

# model label: why it has no field history. Judge before adding one: a model that holds
# case data and is edited gets `history = HistoricalRecords()` and a migration instead.
EXEMPT = {
    "cspr.CaseEvent": "It is the case timeline itself: append-only, never edited.",
    "cspr.AccessLogEntry": "Append-only: written once per read, never edited.",
    "cspr.Reminder": "Outbox row planned from a deadline (which has history); its status "
    "changes are delivery bookkeeping by the sweep, and who was told is its own record.",
    "cspr.Digest": "Outbox row: one e-mail to one person. Holds no case content.",
    "cspr.CaseUserObjectPermission": "A grant row, created or deleted, never edited; every "
    "grant and removal is an access_granted / access_revoked event on the case.",
    "cspr.CaseGroupObjectPermission": "As CaseUserObjectPermission: agency grants are events.",
    "rapid_reviews.InformationReturnGroupObjectPermission": "The return's edit lock, created "
    "or deleted, never edited; submitting and unlocking are events and return history.",
    "rapid_reviews.InformationReturnUserObjectPermission": "As the group lock row (unused).",
    "rapid_reviews.PackPdf": "A copy made from the returns, which keep their own history; "
    "it is replaced whenever they change, and who downloads it is in the access log.",
}

# Bulk writes (file, the receiver as written) allowed because the rows have no history.
BULK_ALLOWED = {
    (
        "cspr/services/notifications.py",
        "selectors.notifications_for(by).filter(read_at__isnull=True)",
    ): "Reminder rows marked read",
    ("cspr/services/reminder_sweep.py", "rows"): "Reminder rows claimed by the sweep",
}
BULK_METHODS = {"update", "bulk_create", "bulk_update"}
SERVICE_FILES = [
    *sorted(ROOT.glob("*/services/*.py")),
    *sorted(ROOT.glob("*/services.py")),
    *sorted(ROOT.glob("*/tasks.py")),
    *sorted(ROOT.glob("*/management/commands/*.py")),
]


def project_models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not issubclass(model, HistoricalChanges):
                yield model


def has_history(model):
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def test_every_model_keeps_history_or_says_why_not():
    missing = [
        model._meta.label
        for model in project_models()
        if not has_history(model) and model._meta.label not in EXEMPT
    ]
    assert missing == [], "Add HistoricalRecords() (and a migration), or an exemption with why"


def test_the_exemption_list_names_only_models_that_exist_without_history():
    models = {model._meta.label: model for model in project_models()}
    stale = [label for label in EXEMPT if label not in models or has_history(models[label])]
    assert stale == []


def _model_names_with_history():
    return {model.__name__ for model in project_models() if has_history(model)}


def _receiver_root(node):
    """The name a call chain starts from, and whether `.objects` follows it."""
    chain = []
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            chain.append(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    name = node.id if isinstance(node, ast.Name) else None
    return name, bool(chain) and chain[-1] in ("objects", "_base_manager", "_default_manager")


def bulk_writes():
    """(file, line, receiver source, model name or None) for every bulk write in services,
    tasks and commands."""
    for path in SERVICE_FILES:
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in BULK_METHODS:
                continue
            receiver = node.func.value
            name, on_manager = _receiver_root(receiver)
            text = ast.get_source_segment(source, receiver) or ""
            yield (
                str(path.relative_to(ROOT)),
                node.lineno,
                text,
                name if on_manager else None,
            )


def test_no_service_writes_history_tracked_rows_in_bulk():
    tracked = _model_names_with_history()
    offending = []
    for path, line, receiver, model in bulk_writes():
        if model is not None:
            if model in tracked:
                offending.append(f"{path}:{line} {receiver}")
            continue
        # Not `Model.objects…`: a queryset from elsewhere (or a dict), allowed by name.
        if (path, receiver) in BULK_ALLOWED:
            continue
        offending.append(f"{path}:{line} {receiver} (unknown receiver: allow it with a reason)")
    assert offending == [], "Use per-row saves or simple_history's *_with_history helpers"


def test_the_bulk_check_notices_a_bulk_update_of_a_tracked_model():
    """The check itself: `Case.objects.filter(...).update(...)` is found and named."""
    tree = ast.parse("Case.objects.filter(pk=1).update(stage='closed')")
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.func.attr == "update")
    assert _receiver_root(call.func.value) == ("Case", True)
    assert "Case" in _model_names_with_history()
