"""The partnership's reports: the quarterly exception report and the annual report
figures, each as a page, a tagged PDF and a CSV. For the partnership-wide roles, about
their own partnership only; anyone else signed in is refused (403: the pages exist for
everyone, only their content is the partnership's)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions import reports
from actions.forms.reports import AnnualReportForm, ExceptionReportForm
from cspr import access_log
from cspr.charts import bar_chart
from cspr.csv_export import csv_response
from cspr.pdf import pdf_response, render_pdf


def _guard(user):
    if not reports.may_see_reports(user):
        raise PermissionDenied(
            "Only the partnership's business unit, sub-group and executives see its reports."
        )


def _note_read(report):
    """Every action the report hands out goes in the access log, as a page of it would."""
    for row in report.rows:
        access_log.note(row.action, frozenset({"view"}), "view", what="action")


def _exception_report(request):
    """(form, report or None): the report as at the date asked for, or today."""
    _guard(request.user)
    form = ExceptionReportForm(request.GET)
    if not form.is_valid():
        return form, None
    report = reports.exception_report(request.user, as_at=form.cleaned_data["as_at"])
    _note_read(report)
    return form, report


def _exception_context(report):
    return {
        "report": report,
        "agency_chart": bar_chart(
            "Actions in the report by agency",
            [(counts.agency.name, counts.actions) for counts in report.by_agency],
        ),
    }


@login_required
@require_GET
def exception_report_page(request):
    """The quarterly exception report for the oversight group."""
    form, report = _exception_report(request)
    context = {"form": form, **(_exception_context(report) if report else {})}
    return render(request, "actions/reports/exception_report.html", context)


def _download_refused(request, form, template):
    return render(request, template, {"form": form}, status=400)


@login_required
@require_GET
def exception_report_pdf(request):
    form, report = _exception_report(request)
    if report is None:
        return _download_refused(request, form, "actions/reports/exception_report.html")
    context = {
        **_exception_context(report),
        "generated_at": timezone.now(),
        "generated_by": request.user.get_full_name() or request.user.get_username(),
    }
    pdf = render_pdf("actions/reports/exception_report_pdf.html", context)
    return pdf_response(pdf, f"exception-report-{report.as_at.isoformat()}.pdf")


@login_required
@require_GET
def exception_report_csv(request):
    form, report = _exception_report(request)
    if report is None:
        return _download_refused(request, form, "actions/reports/exception_report.html")
    return csv_response(
        f"exception-report-{report.as_at.isoformat()}.csv",
        reports.EXCEPTION_CSV_HEADER,
        reports.exception_csv_rows(report),
    )


def _annual_report(request):
    """(form, report or None) for the year asked for, or this financial year."""
    _guard(request.user)
    today = timezone.localdate()
    if not request.GET:
        form = AnnualReportForm(initial={"kind": reports.YearKind.FINANCIAL})
        period = reports.current_period(today)
    else:
        form = AnnualReportForm(request.GET)
        if not form.is_valid():
            return form, None
        period = form.period()
    return form, reports.annual_report(request.user, period=period, today=today)


def _annual_context(report):
    return {
        "report": report,
        "timeliness_chart": bar_chart(
            "Statutory deadlines met",
            [(row.label, row.percent_met or 0) for row in report.timeliness],
            unit="%",
        ),
        "actions_chart": bar_chart(
            "Actions by status",
            [(figure.label, figure.number) for figure in report.actions],
        ),
    }


@login_required
@require_GET
def annual_report_page(request):
    """The annual report's figures for a financial or calendar year."""
    form, report = _annual_report(request)
    context = {"form": form, **(_annual_context(report) if report else {})}
    return render(request, "actions/reports/annual_report.html", context)


@login_required
@require_GET
def annual_report_pdf(request):
    form, report = _annual_report(request)
    if report is None:
        return _download_refused(request, form, "actions/reports/annual_report.html")
    context = {
        **_annual_context(report),
        "generated_at": timezone.now(),
        "generated_by": request.user.get_full_name() or request.user.get_username(),
    }
    pdf = render_pdf("actions/reports/annual_report_pdf.html", context)
    return pdf_response(pdf, f"annual-report-{report.period.slug}.pdf")


@login_required
@require_GET
def annual_report_csv(request):
    form, report = _annual_report(request)
    if report is None:
        return _download_refused(request, form, "actions/reports/annual_report.html")
    return csv_response(
        f"annual-report-{report.period.slug}.csv",
        reports.ANNUAL_CSV_HEADER,
        reports.annual_csv_rows(report),
    )
