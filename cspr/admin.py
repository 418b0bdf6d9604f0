"""The Django admin, for the administrator role only: partnerships, agencies, people,
calendar days. Case data is not here; it lives behind the access policy."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from cspr import access
from cspr.authentication import reauthentication_challenge
from cspr.models import Agency, CalendarDay, Partnership, RetentionRule, Role, User
from cspr.services.accounts import second_factor_reset
from cspr.services.people import agency_create, person_sync_groups
from cspr.services.reminders import reminders_plan_for_partnership, reminders_plan_for_person


def _administrator_only(request):
    return access.may_administer(request.user)


admin.site.has_permission = _administrator_only
admin.site.site_header = "Administration"
admin.site.site_title = "Administration"


class AdministratorOnly:
    def has_module_permission(self, request):
        return _administrator_only(request)

    def has_view_permission(self, request, obj=None):
        return _administrator_only(request)

    def has_add_permission(self, request):
        return _administrator_only(request)

    def has_change_permission(self, request, obj=None):
        return _administrator_only(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partnership)
class PartnershipAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "rapid_review_clock_start",
        "panel_response_chase_days",
        "reminder_working_days",
    ]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        if change and "reminder_working_days" in form.changed_data:
            reminders_plan_for_partnership(partnership=obj)


@admin.register(Agency)
class AgencyAdmin(AdministratorOnly, SimpleHistoryAdmin):
    list_display = ["name", "type", "partnership", "is_active"]
    list_filter = ["partnership", "type", "is_active"]
    exclude = ["group"]

    def get_readonly_fields(self, request, obj=None):
        # An agency's cases, requests and people all hang off its partnership.
        return ["partnership"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save()
        else:
            created = agency_create(
                partnership=obj.partnership, name=obj.name, type=obj.type, by=request.user
            )
            obj.pk, obj.group = created.pk, created.group


class PersonForm(UserChangeForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.roles)

    editor = None  # set by PersonAdmin.get_form: who is making the change

    def clean(self):
        data = super().clean()
        roles, agency = set(data.get("roles") or []), data.get("agency")
        if Role.ADMINISTRATOR in roles and roles - {Role.ADMINISTRATOR}:
            self.add_error(
                "roles", "An administrator holds no other role: administrators see no case data."
            )
        if self.editor is not None and self.instance.pk == self.editor.pk:
            changed = set(self.instance.roles) != roles or (
                data.get("partnership") != self.instance.partnership
            )
            if changed:
                self.add_error(
                    "roles",
                    "You cannot change your own roles or partnership: ask another administrator.",
                )
        if Role.AGENCY_CONTRIBUTOR in roles and not agency:
            self.add_error("agency", "An agency contributor needs an agency.")
        partnership = data.get("partnership")
        if agency and partnership and agency.partnership_id != partnership.pk:
            self.add_error("agency", "The agency belongs to another partnership.")
        if roles - {Role.ADMINISTRATOR} and not partnership:
            self.add_error("partnership", "Everyone but an administrator needs a partnership.")
        return data


@admin.register(User)
class PersonAdmin(AdministratorOnly, UserAdmin):
    form = PersonForm
    list_display = ["username", "first_name", "last_name", "partnership", "agency", "is_active"]
    list_filter = ["partnership", "agency", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email", "job_title"]}),
        (
            "Where they work",
            {"fields": ["partnership", "agency", "roles", "is_business_manager", "is_agency_lead"]},
        ),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        ("Where they work", {"fields": ["partnership", "agency"]}),
    ]

    actions = ["reset_second_factor"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form

    # Adding or changing a person (roles, partnership, password), or resetting a second
    # factor, asks the administrator to prove who they are again: before the form opens,
    # so a new password is rarely carried through the check (a POST still is, if the
    # check lapsed while the form was open, so that nothing typed is lost).
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        challenge = reauthentication_challenge(request, action="add or change a person")
        if challenge is not None:
            return challenge
        return super().changeform_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        challenge = reauthentication_challenge(request, action="set a person's password")
        if challenge is not None:
            return challenge
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Reset the second factor (a lost phone) and sign them out")
    def reset_second_factor(self, request, queryset):
        challenge = reauthentication_challenge(request, action="reset a second factor")
        if challenge is not None:
            return challenge
        for person in queryset:
            second_factor_reset(user=person, by=request.user)
        self.message_user(
            request,
            f"Second factor reset for {queryset.count()} "
            f"{'person' if queryset.count() == 1 else 'people'}: each sets up a new "
            "authenticator app when they next sign in.",
        )
        return None

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "roles" in form.cleaned_data:
            roles = set(form.cleaned_data["roles"])
            form.instance.is_staff = Role.ADMINISTRATOR in roles
            form.instance.save(update_fields=["is_staff"])
            person_sync_groups(user=form.instance, roles=roles)
        # Whoever they now are, their reminders follow: a new business unit member is
        # reminded of the open deadlines, a person who left is not.
        reminders_plan_for_person(user=form.instance)


@admin.register(CalendarDay)
class CalendarDayAdmin(AdministratorOnly, SimpleHistoryAdmin):
    """Read-only here: changes go through the calendar page, which recomputes deadlines."""

    list_display = ["day", "title", "is_working", "source", "changed_by"]
    list_filter = ["source", "is_working"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(AdministratorOnly, SimpleHistoryAdmin):
    """How long each type of record is kept; `manage.py purge_expired` applies them.
    The access log itself has no admin page: it is case data, for the business unit."""

    list_display = ["record_type", "years", "counted_from", "updated_at"]
    readonly_fields = ["counted_from"]
    fields = ["record_type", "years", "counted_from", "note"]

    def get_readonly_fields(self, request, obj=None):
        return ["record_type", "counted_from"] if obj else ["counted_from"]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)


# django-axes' records: the administrator sees who is locked out and can lift a lock
# early (deleting the attempts) once they know the person asking is who they say.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AdministratorOnly, AccessAttemptAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return _administrator_only(request)
