"""The one way PDFs are made: a template rendered to HTML, then WeasyPrint."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name, context, *, request=None):
    """PDF bytes for a template. Styles come from the template itself (no network)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(pdf_bytes, filename):
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
