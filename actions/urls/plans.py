"""URLs of the action plans pages."""

from django.urls import path

from actions.views import plan_action, plans

# Under cases/<case_pk>/actions/.
case_urlpatterns = [
    path("", plans.action_plans, name="action-plans"),
    path("open/", plans.action_plan_open, name="action-plan-open"),
    path("plans/<int:plan_pk>/add/", plans.action_add, name="action-add"),
    path(
        "plans/<int:plan_pk>/immediate/<int:pk>/",
        plans.immediate_action_take_in,
        name="immediate-action-take-in",
    ),
    path("<int:pk>/", plan_action.action_detail, name="action-detail"),
    path("<int:pk>/edit/", plans.action_edit, name="action-edit"),
    path("<int:pk>/progress/", plan_action.action_progress, name="action-progress"),
    path("<int:pk>/complete/", plan_action.action_complete, name="action-complete"),
    path("<int:pk>/reopen/", plan_action.action_reopen, name="action-reopen"),
    path("<int:pk>/impact/", plan_action.action_impact, name="action-impact"),
    path("<int:pk>/evidence/", plan_action.evidence_add, name="evidence-add"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/",
        plan_action.evidence_download,
        name="evidence-download",
    ),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/remove/",
        plan_action.evidence_remove,
        name="evidence-remove",
    ),
    path("<int:pk>/barriers/", plan_action.barrier_raise, name="barrier-raise"),
    path(
        "<int:pk>/barriers/<int:barrier_pk>/respond/",
        plan_action.barrier_respond,
        name="barrier-respond",
    ),
    path(
        "<int:pk>/barriers/<int:barrier_pk>/close/",
        plan_action.barrier_close,
        name="barrier-close",
    ),
]
# Under actions/.
urlpatterns = [
    path("", plans.action_list, name="action-list"),
    path("actions.csv", plans.action_list_csv, name="action-list-csv"),
    path("barriers/", plans.barrier_list, name="barrier-list"),
]
