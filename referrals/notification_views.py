from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cspr import access, selectors
from cspr.errors import TransitionNotAllowed
from cspr.views.common import show_refusal
from cspr.working_days import load_calendar
from referrals.forms import AwareForm, SentForm
from referrals.models import Notification
from referrals.notifications import notification_open, notification_record_sent


def _case(user, case_pk, action):
    case = access.access_case(user, case_pk, access.VIEW)
    if access.VIEW_TIMELINE not in case.permissions:
        raise Http404("No such notification.")
    return access.access_case(user, case_pk, action) if action != access.VIEW else case


def _page(request, case, *, aware_form=None, sent_form=None):
    notification = Notification.objects.filter(case=case).select_related("deadline").first()
    may_change = access.CHANGE in case.permissions
    context = {"case": case, "notification": notification, "may_change": may_change}
    if notification:
        context["due"] = selectors.due_text(
            notification.deadline, today=timezone.localdate(), calendar=load_calendar()
        )
    if may_change and notification is None:
        context["aware_form"] = aware_form or AwareForm()
    if may_change and notification and not notification.is_sent:
        context["sent_form"] = sent_form or SentForm()
    referral = case.referrals.exclude(status="withdrawn").order_by("-created_at").first()
    context["always_notifiable"] = bool(referral and referral.is_notifiable_whatever_the_cause)
    return render(request, "referrals/notification_detail.html", context)


@login_required
@require_GET
def notification_detail(request, case_pk):
    """The case's serious incident notification: when due, when sent, late or not."""
    return _page(request, _case(request.user, case_pk, access.VIEW))


@login_required
@require_POST
def notification_aware(request, case_pk):
    case = _case(request.user, case_pk, access.CHANGE)
    form = AwareForm(request.POST)
    if form.is_valid():
        try:
            notification_open(
                case=case, date_aware=form.cleaned_data["date_aware"], by=request.user
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Recorded. The notification is due in 5 working days.")
            return redirect("notification-detail", case_pk=case.pk)
    return _page(request, case, aware_form=form)


@login_required
@require_POST
def notification_sent(request, case_pk):
    case = _case(request.user, case_pk, access.CHANGE)
    notification = Notification.objects.filter(case=case).first()
    if notification is None:
        raise Http404("Record when the local authority became aware first.")
    form = SentForm(request.POST)
    if form.is_valid():
        try:
            notification_record_sent(
                notification=notification, by=request.user, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The notification is recorded as sent")
            return redirect("notification-detail", case_pk=case.pk)
    return _page(request, case, sent_form=form)
