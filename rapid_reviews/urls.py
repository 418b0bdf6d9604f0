from django.urls import path

from rapid_reviews import views
from rapid_reviews.views import attachments, briefing_pdf

case_urlpatterns = [
    path("", views.rapid_review_detail, name="rapid-review-detail"),
    path("open/", views.rapid_review_open, name="rapid-review-open"),
    path("requests/", views.information_request_send, name="information-request-send"),
    path("pack/", views.collated_pack, name="collated-pack"),
    path("pack.pdf", views.collated_pack_pdf, name="collated-pack-pdf"),
    path("meeting/", views.meeting_record, name="meeting-record"),
    path("approve/", views.recommendation_approve, name="recommendation-approve"),
    path("sign-off/", views.partner_sign_off, name="partner-sign-off"),
    path("family/", views.family_informed, name="family-informed"),
    path("report.pdf", views.report_pdf, name="report-pdf"),
    path("report-sent/", views.report_sent, name="report-sent"),
    path("panel-response/", views.panel_response, name="panel-response"),
    path("circulate/", views.report_circulate, name="report-circulate"),
    path("disseminate/", views.dissemination_record, name="dissemination-record"),
    path("briefing/", views.briefing_edit, name="briefing-edit"),
    path("briefing.pdf", briefing_pdf.briefing_pdf, name="briefing-pdf"),
]

urlpatterns = [
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/records-secured/", views.records_secured, name="records-secured"),
    path("<int:pk>/return/", views.return_edit, name="return-edit"),
    path("<int:pk>/return/unlock/", views.return_unlock, name="return-unlock"),
    path("<int:pk>/return/addendum/", views.return_addendum, name="return-addendum"),
    path("<int:pk>/return/import/", views.chronology_import, name="chronology-import"),
    path("<int:pk>/return/documents/", attachments.attachment_list, name="attachment-list"),
    path("<int:pk>/return/documents/new/", attachments.attachment_upload, name="attachment-upload"),
    path(
        "<int:pk>/return/documents/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment-download",
    ),
    path(
        "<int:pk>/return/documents/<int:attachment_pk>/remove/",
        attachments.attachment_remove,
        name="attachment-remove",
    ),
]
