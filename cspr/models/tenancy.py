"""Partnerships (the tenant), agencies, people and their roles."""

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords


class ClockStart(models.TextChoices):
    """Which event starts the 15-working-day rapid review clock (DOMAIN.md R3)."""

    PARTNERSHIP_NOTIFIED = "partnership_notified", "The day the partnership was notified"
    NOTIFICATION_SENT = "notification_sent", "The day the notification was sent to the Panel"


def parse_reminder_days(text: str) -> tuple:
    """ "3, 1" -> (3, 1): working days before a deadline to remind, largest first."""
    try:
        days = {int(part) for part in text.replace(" ", "").split(",") if part}
    except ValueError:
        raise ValidationError(
            "Enter whole numbers of working days separated by commas, like 3, 1"
        ) from None
    if any(not 1 <= day <= 20 for day in days) or len(days) > 5:
        raise ValidationError("Enter up to 5 numbers of working days, each from 1 to 20")
    return tuple(sorted(days, reverse=True))


def validate_reminder_days(text):
    parse_reminder_days(text)


class Partnership(models.Model):
    """A local safeguarding children partnership. Every case belongs to one."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    rapid_review_clock_start = models.CharField(
        max_length=32,
        choices=ClockStart.choices,
        default=ClockStart.PARTNERSHIP_NOTIFIED,
        help_text="The seeds count from the day the partnership was notified; the Panel's "
        "2025 guidance counts from the day the notification was sent.",
    )
    panel_response_chase_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days after submission to chase the Panel's response."
    )
    reminder_working_days = models.CharField(
        max_length=40,
        default="3, 1",
        validators=[validate_reminder_days],
        help_text="Working days before a deadline to remind, separated by commas. There is "
        "also a reminder on the day, and an escalation when it is missed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def reminder_days(self) -> tuple:
        return parse_reminder_days(self.reminder_working_days)


class AgencyType(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority children's services"
    POLICE = "police", "Police"
    INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
    HEALTH_PROVIDER = "health", "Health provider"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An organisation that takes part in reviews. Its contributors share one group,
    which is what per-object permissions on its cases and returns are granted to."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=32, choices=AgencyType.choices)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency")
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")
        ]

    def __str__(self):
        return self.name


ROLE_PREFIX = "role:"


def roles_named(group_names) -> frozenset:
    """The roles that role groups' names give ("role:executive" -> "executive")."""
    return frozenset(name[len(ROLE_PREFIX) :] for name in group_names)


class Role(models.TextChoices):
    """Roles are auth groups with these names; a person may hold more than one."""

    BUSINESS_UNIT = "business_unit", "Business unit"
    SUBGROUP_MEMBER = "subgroup_member", "Sub-group member"
    SUBGROUP_CHAIR = "subgroup_chair", "Sub-group chair"
    EXECUTIVE = "executive", "Executive"
    AGENCY_CONTRIBUTOR = "agency_contributor", "Agency contributor"
    INDEPENDENT_REVIEWER = "independent_reviewer", "Independent reviewer"
    ADMINISTRATOR = "administrator", "Administrator"

    @classmethod
    def group_name(cls, role):
        return f"{ROLE_PREFIX}{role}"


class PeopleQuerySet(models.QuerySet):
    def select_for_update(self, nowait=False, skip_locked=False, of=(), no_key=False):
        """Locks the people's rows only, unless told otherwise: the partnership is read
        with each person in an outer join (a person may have none), which PostgreSQL will
        not lock. `update_or_create` locks through here too."""
        return super().select_for_update(
            nowait=nowait, skip_locked=skip_locked, of=of or ("self",), no_key=no_key
        )


class PeopleManager(UserManager.from_queryset(PeopleQuerySet)):
    """Reads each person with their partnership, in the same query: every page's header
    and footer name the signed-in person's partnership, and Django reads that person
    through this manager, so a page needs one query fewer."""

    def get_queryset(self):
        return super().get_queryset().select_related("partnership")


class User(AbstractUser):
    """A person who signs in. Belongs to at most one partnership and one agency."""

    objects = PeopleManager()

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True)
    is_business_manager = models.BooleanField(
        default=False,
        help_text="The partnership's Business Manager (approves wider dissemination).",
    )
    is_agency_lead = models.BooleanField(
        default=False,
        help_text="Their agency's safeguarding lead: told when the agency misses a deadline.",
    )
    # Raised by "sign out everywhere": part of the session hash, so every other session
    # of the person ends at its next request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # Roles are groups: their changes are history too, with who made them.
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        key_salt = "cspr.User.session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def roles(self) -> frozenset:
        """The person's roles, read once per object (the signed-in person's come with
        them: `cspr.backends.PeopleBackend`)."""
        cached = getattr(self, "_roles", None)
        if cached is None:
            names = self.groups.filter(name__startswith=ROLE_PREFIX).values_list("name", flat=True)
            cached = self._roles = roles_named(names)
        return cached

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))
