from django.urls import path

from reviews.views import briefing_pdf, commissioning, conduct, publication, report

# Under cases/<case_pk>/local-review/.
review_urlpatterns = [
    path("", commissioning.local_review_detail, name="local-review-detail"),
    path("commission/", commissioning.local_review_commission, name="local-review-commission"),
    path("start/", commissioning.local_review_start, name="local-review-start"),
    path("reviewer/", commissioning.reviewer_appoint, name="reviewer-appoint"),
    path("reviewer/new/", commissioning.reviewer_invite, name="reviewer-invite"),
    path("reviewer/<int:pk>/end/", commissioning.appointment_end, name="appointment-end"),
    path("terms/", commissioning.terms_edit, name="terms-edit"),
    path("terms/<int:pk>/agree/", commissioning.terms_agree, name="terms-agree"),
    path("methodology/", commissioning.methodology_edit, name="methodology-edit"),
    path("groups/", commissioning.review_groups, name="review-groups"),
    path("groups/<int:pk>/remove/", commissioning.group_member_remove, name="group-member-remove"),
    path("family/", commissioning.family_engagement, name="family-engagement"),
    path("chronology/", commissioning.chronology_template, name="chronology-template"),
    path(
        "chronology/template.csv",
        commissioning.chronology_template_csv,
        name="chronology-template-csv",
    ),
    path("letters/", conduct.review_letters, name="review-letters"),
    path("letters/<int:pk>.pdf", conduct.letter_pdf, name="letter-pdf"),
    path("letters/<int:pk>/sent/", conduct.letter_sent, name="letter-sent"),
    path("monitoring/", conduct.review_monitoring, name="review-monitoring"),
    path(
        "monitoring/checkpoints/<int:pk>/",
        conduct.checkpoint_record,
        name="checkpoint-record",
    ),
    path("monitoring/requests/", conduct.reviewer_request_send, name="reviewer-request-send"),
    path(
        "monitoring/requests/<int:pk>/reply/",
        conduct.reviewer_request_answer,
        name="reviewer-request-answer",
    ),
    path("report/", report.review_report, name="review-report"),
    path("report/upload/", report.draft_upload, name="draft-upload"),
    path("report/<int:pk>/", report.draft_download, name="draft-download"),
    path(
        "report/<int:pk>/quality-assurance/",
        report.quality_assurance,
        name="quality-assurance",
    ),
    path("report/approve/", report.report_approve, name="report-approve"),
    path("report/return/", report.report_return, name="report-return"),
    path("publication/", publication.review_publication, name="review-publication"),
    path(
        "publication/override/",
        publication.publication_override,
        name="publication-override",
    ),
    path("publication/final-copy/", publication.final_copy_sent, name="final-copy-sent"),
    path("publication/publish/", publication.review_publish, name="review-publish"),
    path("publication/not-publish/", publication.review_not_publish, name="review-not-publish"),
    path("briefing/", publication.review_briefing, name="review-briefing"),
    path("briefing.pdf", briefing_pdf.review_briefing_pdf, name="review-briefing-pdf"),
]

# Under cases/<case_pk>/: records that hang off the case rather than its local review.
case_urlpatterns = [
    path("parallel-processes/", conduct.parallel_processes, name="parallel-processes"),
    path(
        "parallel-processes/<int:pk>/conclude/",
        conduct.parallel_process_conclude,
        name="parallel-process-conclude",
    ),
    path("national-review/", publication.national_review, name="national-review"),
]
