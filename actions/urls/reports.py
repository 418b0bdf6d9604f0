"""URLs of the partnership's reports."""

from django.urls import path

from actions.views import reports

# Under cases/<case_pk>/actions/.
case_urlpatterns = []
# Under actions/.
urlpatterns = [
    path("reports/exceptions/", reports.exception_report_page, name="exception-report"),
    path("reports/exceptions.pdf", reports.exception_report_pdf, name="exception-report-pdf"),
    path("reports/exceptions.csv", reports.exception_report_csv, name="exception-report-csv"),
    path("reports/annual/", reports.annual_report_page, name="annual-report"),
    path("reports/annual.pdf", reports.annual_report_pdf, name="annual-report-pdf"),
    path("reports/annual.csv", reports.annual_report_csv, name="annual-report-csv"),
]
