"""Who read a case's data (for its business unit) and who read an agency's material
(for the agency's own contributors)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cspr import access, access_log

PAGE_SIZE = 50


@login_required
@require_GET
def case_access_log(request, pk):
    """Every read of the case's data, newest first. The case's business unit only."""
    case = access.access_case_log(request.user, pk)
    page = Paginator(access_log.entries_for_case(case), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cspr/case_access_log.html", {"case": case, "page_obj": page})


@login_required
@require_GET
def agency_access_log(request, pk):
    """Who read the agency's requests, returns and referrals. Its own contributors only."""
    agency = access.access_agency_log(request.user, pk)
    entries = access_log.entries_for_agency(agency)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cspr/agency_access_log.html", {"agency": agency, "page_obj": page})
