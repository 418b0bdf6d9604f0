import datetime

from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from actions import urls as action_urls
from cspr.views import access_log as access_log_views
from cspr.views import (
    account,
    auth,
    calendar,
    cases,
    dashboards,
    deadlines,
    home,
    notifications,
    public,
)
from cspr.views import retention as retention_views
from rapid_reviews import urls as rapid_review_urls
from referrals import notification_views
from reviews import urls as review_urls


class IsoDateConverter:
    """A date in a URL as YYYY-MM-DD; an impossible date is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(value) from error

    def to_url(self, value):
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("accessibility/", public.accessibility_statement, name="accessibility-statement"),
    path("privacy/", public.privacy_notice, name="privacy-notice"),
    path("sign-in/", auth.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOutView.as_view(), name="sign-out"),
    path("account/", account.account, name="account"),
    path("account/second-factor/", account.second_factor, name="second-factor"),
    path(
        "account/second-factor/set-up/",
        account.second_factor_set_up,
        name="second-factor-set-up",
    ),
    path("account/backup-codes/", account.backup_codes, name="backup-codes"),
    path("account/confirm/", account.account_confirm, name="account-confirm"),
    path(
        "account/sign-out-everywhere/",
        account.sign_out_everywhere,
        name="sign-out-everywhere",
    ),
    path("account/password/", account.PasswordChangeView.as_view(), name="password-change"),
    path("password-reset/", account.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        account.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        account.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/new/", cases.case_open_view, name="case-open"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/child/", cases.child_record_edit, name="child-record-edit"),
    path("cases/<int:pk>/access-log/", access_log_views.case_access_log, name="case-access-log"),
    path("cases/<int:pk>/legal-hold/", retention_views.legal_hold, name="case-legal-hold"),
    path(
        "agencies/<int:pk>/access-log/",
        access_log_views.agency_access_log,
        name="agency-access-log",
    ),
    path(
        "cases/<int:case_pk>/deadlines/<int:pk>/",
        deadlines.deadline_detail,
        name="deadline-detail",
    ),
    path(
        "cases/<int:case_pk>/deadlines/<int:pk>/<slug:action>/",
        deadlines.deadline_action,
        name="deadline-action",
    ),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dashboard/<slug:name>.csv", dashboards.dashboard_csv, name="dashboard-csv"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/read/", notifications.notification_read_all, name="notification-read-all"),
    path(
        "notifications/<int:pk>/read/",
        notifications.notification_read,
        name="notification-read",
    ),
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/days/", calendar.calendar_day_set_view, name="calendar-day-set"),
    path(
        "calendar/days/<isodate:day>/undo/",
        calendar.calendar_day_undo_view,
        name="calendar-day-undo",
    ),
    path("referrals/", include("referrals.urls")),
    path("cases/<int:case_pk>/rapid-review/", include(rapid_review_urls.case_urlpatterns)),
    path("requests/", include(rapid_review_urls.urlpatterns)),
    path("cases/<int:case_pk>/local-review/", include(review_urls.review_urlpatterns)),
    path("cases/<int:case_pk>/", include(review_urls.case_urlpatterns)),
    path("cases/<int:case_pk>/actions/", include(action_urls.case_urlpatterns)),
    path("actions/", include(action_urls.urlpatterns)),
    path(
        "cases/<int:case_pk>/notification/",
        notification_views.notification_detail,
        name="notification-detail",
    ),
    path(
        "cases/<int:case_pk>/notification/aware/",
        notification_views.notification_aware,
        name="notification-aware",
    ),
    path(
        "cases/<int:case_pk>/notification/sent/",
        notification_views.notification_sent,
        name="notification-sent",
    ),
    # One way in: the admin's own sign-in page would skip the second factor's page.
    path("admin/login/", RedirectView.as_view(pattern_name="sign-in", query_string=True)),
    path("admin/", admin.site.urls),
]
