"""A person's notifications list: reminders about deadlines on cases they may see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from cspr import access, selectors
from cspr.deadline_rules import Rule
from cspr.services import notifications as services

PAGE_SIZE = 25


def _link(reminder, may_see_deadlines):
    case_id = reminder.deadline.case_id
    action = (
        getattr(reminder.deadline, "action", None)
        if reminder.deadline.rule == Rule.ACTION
        else None
    )
    if action is not None:
        # The action's own page: its agency may see that, and not the case.
        return reverse("action-detail", args=[case_id, action.pk])
    if may_see_deadlines:
        return reverse("deadline-detail", args=[case_id, reminder.deadline_id])
    return reverse("case-detail", args=[case_id])


@login_required
@require_GET
def notification_list(request):
    """The person's own notifications, unread first marked, newest first."""
    found = selectors.notifications_for(request.user)
    show = "unread" if request.GET.get("show") == "unread" else ""
    if show == "unread":
        found = found.filter(read_at__isnull=True)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    may_see_deadlines = access.may_see_deadlines(request.user)
    for notification in page.object_list:
        notification.link = _link(notification, may_see_deadlines)
    return render(
        request,
        "cspr/notification_list.html",
        {
            "page_obj": page,
            "show": show,
            "querystring": "show=unread" if show == "unread" else "",
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of your own notifications read; anyone else's is a 404."""
    notification = selectors.notifications_for(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    services.notification_mark_read(notification=notification, by=request.user)
    messages.success(request, "Marked as read")
    return _back_to_list(request)


def _back_to_list(request):
    """The list as the person was looking at it (which filter, which page)."""
    kept = {
        name: request.POST[name]
        for name in ("show", "page")
        if request.POST.get(name, "").isalnum() and len(request.POST[name]) <= 10
    }
    url = reverse("notification-list")
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(by=request.user)
    messages.success(request, f"{count} marked as read" if count else "Nothing was unread")
    return _back_to_list(request)
