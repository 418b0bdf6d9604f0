"""Load a fictional demo partnership with one sign-in for every role (embedded default only)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cspr.deadline_rules import Rule
from cspr.models import AgencyType, Partnership, Role, User
from cspr.services.cases import case_grant_agency, case_open
from cspr.services.deadlines import deadline_set
from cspr.services.people import agency_create, person_sync_groups
from cspr.working_days import load_calendar

PARTNERSHIP = "Northbridge Safeguarding Children Partnership"
OTHER_PARTNERSHIP = "Westmoor Safeguarding Children Partnership"

AGENCIES = [
    ("Northbridge Council Children's Services", AgencyType.LOCAL_AUTHORITY),
    ("Eastshire Police", AgencyType.POLICE),
    ("Northbridge and Eastshire Integrated Care Board", AgencyType.INTEGRATED_CARE_BOARD),
    ("Northbridge Hospitals NHS Foundation Trust", AgencyType.HEALTH_PROVIDER),
    ("Riverside Primary School", AgencyType.EDUCATION),
    ("Eastshire Probation Service", AgencyType.PROBATION),
]

# username, first, last, job title, roles, agency index
PEOPLE = [
    ("manager", "Morgan", "Ashdown", "Business Manager", [Role.BUSINESS_UNIT], None),
    ("officer", "Priya", "Lomax", "Project Support Officer", [Role.BUSINESS_UNIT], None),
    ("member", "Dele", "Fairweather", "Named Nurse", [Role.SUBGROUP_MEMBER], 3),
    ("chair", "Ruth", "Okonjo", "CSPR Sub-group Chair", [Role.SUBGROUP_CHAIR], 0),
    ("executive", "Alan", "Brightwell", "Director of Children's Services", [Role.EXECUTIVE], 0),
    ("police-exec", "Grace", "Holloway", "Assistant Chief Constable", [Role.EXECUTIVE], 1),
    ("icb-exec", "Omar", "Petrie", "Chief Nursing Officer", [Role.EXECUTIVE], 2),
    ("police", "Sam", "Whitlock", "Head of Safeguarding", [Role.AGENCY_CONTRIBUTOR], 1),
    ("health", "Nia", "Castell", "Named Doctor", [Role.AGENCY_CONTRIBUTOR], 3),
    ("reviewer", "Imogen", "Thrale", "Independent Reviewer", [Role.INDEPENDENT_REVIEWER], None),
    ("admin", "Tom", "Ridley", "System Administrator", [Role.ADMINISTRATOR], None),
]


# The name of the fictional demo people's second-factor devices.
DEMO_DEVICE = "Demo app (fictional)"


class Command(BaseCommand):
    help = "Load the fictional Northbridge demo partnership (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo-password")

    def handle(self, password, **options):
        if "production" in settings.SETTINGS_MODULE:
            raise CommandError("The demo data is fictional and never loaded in production.")
        if not Partnership.objects.filter(name=PARTNERSHIP).exists():
            with transaction.atomic():
                self._load(password)
        self.stdout.write(f"Demo sign-ins (fictional people), all with password '{password}':")
        for username, first, last, title, roles, _ in PEOPLE:
            labels = ", ".join(Role(role).label for role in roles)
            self.stdout.write(f"  {username:<10} {first} {last}, {title} ({labels})")
        self.stdout.write("  westmoor   a business manager of another partnership")
        self.stdout.write(
            "After the password, enter the code from `python manage.py demo_code <username>` "
            "(or `make code PERSON=<username>`)."
        )

    def _load(self, password):
        home = Partnership.objects.create(name=PARTNERSHIP, short_name="Northbridge SCP")
        other = Partnership.objects.create(name=OTHER_PARTNERSHIP, short_name="Westmoor SCP")
        agencies = [agency_create(partnership=home, name=n, type=t, by=None) for n, t in AGENCIES]
        people = {}
        for username, first, last, title, roles, agency in PEOPLE:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                job_title=title,
                email=f"{username}@example.org",
                partnership=None if Role.ADMINISTRATOR in roles else home,
                agency=agencies[agency] if agency is not None else None,
                is_staff=Role.ADMINISTRATOR in roles,
            )
            user.is_business_manager = title == "Business Manager"
            user.is_agency_lead = title == "Head of Safeguarding"
            user.set_password(password)
            user.save()
            person_sync_groups(user=user, roles=roles)
            people[username] = user
        stranger = User(
            username="westmoor", first_name="Jo", last_name="Penrose", partnership=other
        )
        stranger.set_password(password)
        stranger.save()
        person_sync_groups(user=stranger, roles=[Role.BUSINESS_UNIT])
        # Demo second factors: `manage.py demo_code <username>` prints the code an
        # authenticator app would show (only for these fictional demo devices).
        for user in [*people.values(), stranger]:
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, confirmed=True)
        self._distribution_list(home)
        self._cases(home, agencies, people)

    def _through_the_panel(self, case, people, calendar, today):
        """A case taken through the whole rapid review to the Panel's agreement."""
        from rapid_reviews import services as reviews
        from referrals.notifications import notification_open, notification_record_sent

        manager = people["manager"]
        aware = calendar.subtract_working_days(today, 40)
        notification = notification_open(case=case, date_aware=aware, by=manager)
        sent = calendar.add_working_days(aware, 2)
        notification_record_sent(
            notification=notification,
            sent_on=sent,
            panel_reference="DEMO-0002",
            notified_by="Jordan Example, Head of Service (fictional)",
            partnership_told_on=sent,
            late_reason="",
            by=manager,
        )
        review = reviews.rapid_review_open(case=case, by=manager)
        reviews.meeting_record(
            rapid_review=review,
            data={
                "held_on": calendar.add_working_days(sent, 8),
                "attendees": "Ruth Okonjo, chair\nSam Whitlock, police\nNia Castell, health",
                "recommendation": "local_cspr",
                "other_review_type": "",
                "criteria_rationale": {
                    "working_together": "Fictional: health and police did not share concerns."
                },
                "circumstances_rationale": {},
                "rationale": "Fictional: learning about information sharing between agencies.",
                "lived_experience": "Fictional: Child M's voice was rarely heard.",
                "equality_considerations": "",
                "learning": "Fictional: professional curiosity.",
                "parallel_processes": "Police investigation (fictional).",
            },
            actions=[("Fictional: brief all staff on information sharing", None)],
            by=manager,
        )
        reviews.recommendation_approve(rapid_review=review, by=people["chair"])
        for executive in ("executive", "police-exec", "icb-exec"):
            reviews.partner_sign_off(rapid_review=review, by=people[executive])
        report_day = calendar.add_working_days(sent, 14)
        reviews.report_sent(rapid_review=review, sent_on=report_day, by=manager)
        reviews.panel_response_record(
            rapid_review=review,
            outcome="agrees_local_cspr",
            letter_date=calendar.add_working_days(report_day, 8),
            received_on=calendar.add_working_days(report_day, 8),
            text="Fictional: the Panel agrees a local review.",
            information_due_on=None,
            by=manager,
        )

    def _local_review(self, case, agencies, people, calendar, today):
        """Child M's local review, commissioned and started today, with a written request
        for a draft and an inquest still open."""
        from reviews import services as local

        manager, chair, reviewer = people["manager"], people["chair"], people["reviewer"]
        review = local.local_review_commission(case=case, by=manager)
        local.reviewer_appoint(
            review=review,
            reviewer=reviewer,
            appointed_on=today,
            considerations={
                "knowledge_and_engagement": "Fictional: led four reviews; skilled with families.",
                "research_knowledge": "Fictional: writes on neglect and adolescent risk.",
                "complex_circumstances": "Fictional: twelve years in frontline social work.",
                "communicating_findings": "Fictional: clear, published reports and briefings.",
            },
            conflict={
                "declared": True,
                "details": "Fictional: trained health visitors at the trust in 2019.",
                "decision": "Fictional: no current tie; the group agreed it is no conflict.",
            },
            by=manager,
        )
        terms = local.terms_save(
            review=review,
            fields={
                "period_from": today - datetime.timedelta(days=730),
                "period_to": today - datetime.timedelta(days=60),
                "key_lines_of_enquiry": "Fictional: how did agencies share what they knew of "
                "Child M's home life, and what got in the way?",
                "scope": "Fictional: police, health, children's services and the school.",
                "equality_considerations": "Fictional: Child M's first language.",
            },
            change_note="First draft (fictional)",
            by=chair,
        )
        local.terms_agree(terms=terms, by=chair)
        local.terms_agree(terms=terms, by=reviewer)
        local.methodology_agree(
            review=review,
            data={
                "methodology": "silp",
                "methodology_detail": "",
                "family_engagement": "Fictional: the reviewer meets Child M's mother twice.",
                "practitioner_engagement": "Fictional: a learning event for practitioners.",
                "systems_approach": "Fictional: SILP looks at systems, not blame.",
                "quality_markers": "Fictional: checked against the quality markers at each stage.",
                "joint_review_note": "",
            },
            by=manager,
        )
        for group, name, role, agency, seniority, involvement in [
            ("review", "Carys Example", "Superintendent", 1, "Head of public protection", ""),
            ("review", "Erin Demo", "Deputy Director", 0, "Deputy Director", ""),
            ("practitioner", "Lee Sample", "Health visitor", 3, "", "Fictional: visited weekly."),
        ]:
            local.group_member_add(
                review=review,
                group=group,
                name=name,
                role=role,
                agency=agencies[agency],
                seniority=seniority,
                involvement=involvement,
                by=manager,
            )
        local.family_engagement_record(
            review=review,
            kind="informed",
            on=today,
            family_member="Mother",
            by_whom="Morgan Ashdown, Business Manager",
            summary="Fictional: told about the review at a home visit.",
            consent="",
            by=manager,
        )
        local.chronology_template_agree(
            review=review,
            chronology_from=today - datetime.timedelta(days=730),
            chronology_to=today - datetime.timedelta(days=60),
            guidance="Fictional: one row per contact; say where each fact comes from.",
            by=manager,
        )
        local.local_review_start(
            review=review, started_on=today, monitoring_interval_weeks=4, by=manager
        )
        local.reviewer_request_send(
            review=review,
            kind="draft",
            text="Fictional: please send the first draft for the sub-group's meeting.",
            due_on=calendar.add_working_days(today, 10),
            by=manager,
        )
        local.parallel_process_record(
            case=case,
            data={
                "kind": "inquest",
                "lead_body": "HM Coroner for Eastshire (fictional)",
                "reference": "INQ-DEMO-1",
            },
            by=manager,
        )
        local.letter_prepare(
            review=review,
            kind="agency",
            agency=agencies[1],
            addressee="Sam Whitlock, Head of Safeguarding",
            organisation="",
            by=manager,
        )

    def _action_plan(self, case, agencies, people, calendar, today):
        """Child M's rapid review action plan: the learning meeting's immediate action
        taken in, an action at risk with a barrier escalated to the executives, and one
        complete with its evidence; the local review's plan opened, still empty."""
        from actions.models import PlanSource, Theme
        from actions.services import barriers, evidence, plans, progress

        manager = people["manager"]
        la, police, _, health = agencies[:4]
        plan = plans.action_plan_open(case=case, source=PlanSource.RAPID_REVIEW, by=manager)
        themes = {theme.name: theme for theme in Theme.objects.filter(is_active=True)}

        def pick(*names):
            return [themes[name] for name in names if name in themes]

        immediate = plans.immediate_actions_waiting(plan).first()
        briefing = plans.immediate_action_take_in(
            plan=plan,
            immediate_action=immediate,
            data={
                "finding": "Fictional: what police officers knew of Child M was not shared "
                "with the health visitor.",
                "change": "Fictional: every officer in the public protection unit is briefed "
                "on the information sharing protocol.",
                "agency": police,
                "owner_name": "Sam Whitlock, Head of Safeguarding (fictional)",
                "due_on": calendar.add_working_days(today, 15),
                "themes": pick("Information sharing"),
            },
            by=manager,
        )
        progress.progress_add(
            action=briefing,
            text="Fictional: two of the three briefings held.",
            status="on_track",
            by=people["police"],
        )
        curiosity = plans.action_add(
            plan=plan,
            data={
                "finding": "Fictional: health practitioners accepted explanations of Child M's "
                "injuries without question.",
                "change": "Fictional: professional curiosity training for every health "
                "visitor and school nurse.",
                "agency": health,
                "owner_name": "Nia Castell, Named Doctor (fictional)",
                "due_on": calendar.add_working_days(today, 40),
                "themes": pick("Professional curiosity", "Voice of the child"),
            },
            by=manager,
        )
        progress.progress_add(
            action=curiosity,
            text="Fictional: no trainer is available before the spring.",
            status="at_risk",
            by=people["health"],
        )
        barriers.barrier_raise(
            action=curiosity,
            description="Fictional: the training budget for this year is spent; the course "
            "needs funding from the partners.",
            by=people["health"],
        )
        protocol = plans.action_add(
            plan=plan,
            data={
                "finding": "Fictional: the referral pathway did not say who calls a strategy "
                "discussion out of hours.",
                "change": "Fictional: the multi-agency referral pathway names the out-of-hours "
                "lead.",
                "agency": la,
                "owner_name": "Jordan Example, Head of Service (fictional)",
                "due_on": calendar.add_working_days(today, 20),
                "themes": pick("Information sharing"),
            },
            by=manager,
        )
        evidence.evidence_add(
            action=protocol,
            description="Fictional: the revised referral pathway",
            link="https://www.example.org/northbridge/referral-pathway",
            by=manager,
        )
        progress.action_complete(
            action=protocol,
            completed_on=today,
            text="Fictional: the revised pathway is published to every agency.",
            by=manager,
        )
        plans.action_plan_open(case=case, source=PlanSource.LOCAL_REVIEW, by=manager)

    def _distribution_list(self, home):
        """The seeds' list of named professionals for rapid review reports."""
        from rapid_reviews.models import DistributionEntry

        roles = [
            ("Designated Doctor", "Dr Asha Fictional"),
            ("Designated Nurse", "Ben Placeholder"),
            ("Police Head of Safeguarding", "Supt Carys Example"),
            ("Detective Chief Inspector, Child Protection Investigation Team", "DCI Dev Sample"),
            ("Deputy Director, Children's Services", "Erin Demo"),
        ]
        for position, (role, name) in enumerate(roles):
            DistributionEntry.objects.create(
                partnership=home, role=role, name=name, position=position
            )

    def _referrals(self, home, agencies, people, calendar, today):
        """One referral waiting for triage, one waiting for the chair, and a notification."""
        from referrals import services as referrals
        from referrals.notifications import notification_open

        police, health = agencies[1], agencies[3]
        for author, pseudonym, outline in [
            (
                people["police"],
                None,
                "Fictional: a toddler admitted with unexplained injuries.",
            ),
            (
                people["health"],
                "Child S",
                "Fictional: a teenager seriously harmed at home.",
            ),
        ]:
            referral = referrals.referral_start(by=author)
            referrals.referral_save_draft(
                referral=referral,
                fields={
                    "incident_date": calendar.subtract_working_days(today, 3),
                    "nature": "serious_harm",
                    "abuse_or_neglect": True,
                    "case_outline": outline,
                    "criteria": ["working_together"],
                },
                child={"given_names": "Demo", "family_name": "Child", "sex": "not_known"},
                agencies_involved=[police, health],
                by=author,
            )
            referrals.referral_submit(referral=referral, by=author)
            if pseudonym:
                referral = referrals.referral_triage(
                    referral=referral,
                    pseudonym=pseudonym,
                    note="Meets the threshold for the sub-group to consider.",
                    by=people["manager"],
                )
                notification_open(
                    case=referral.case,
                    date_aware=calendar.subtract_working_days(today, 1),
                    by=people["manager"],
                )

    def _cases(self, home, agencies, people):
        from rapid_reviews.services import (
            information_request_send,
            rapid_review_open,
            records_secured_confirm,
        )
        from referrals.notifications import notification_open, notification_record_sent

        manager, calendar = people["manager"], load_calendar()
        today = timezone.localdate()
        la, police, _, health = agencies[:4]

        child_q = case_open(
            partnership=home,
            pseudonym="Child Q",
            child={"given_names": "Lily", "family_name": "Example", "sex": "female"},
            by=manager,
        )
        aware = calendar.subtract_working_days(today, 7)
        sent = calendar.add_working_days(aware, 3)
        notification = notification_open(case=child_q, date_aware=aware, by=manager)
        notification_record_sent(
            notification=notification,
            sent_on=sent,
            panel_reference="DEMO-0001",
            notified_by="Jordan Example, Head of Service (fictional)",
            partnership_told_on=sent,
            late_reason="",
            by=manager,
        )
        review = rapid_review_open(case=child_q, by=manager)
        for agency, due in [(la, 1), (police, -1), (health, 2)]:
            request = information_request_send(
                rapid_review=review,
                agency=agency,
                due_on=calendar.add_working_days(today, due) if due > 0 else today,
                note="Information return and chronology, please.",
                by=manager,
            )
            if agency == police:
                records_secured_confirm(request=request, by=people["police"])

        child_r = case_open(
            partnership=home,
            pseudonym="Child R",
            child={"given_names": "Noah", "family_name": "Sample", "sex": "male"},
            by=manager,
        )
        deadline_set(
            case=child_r,
            rule=Rule.NOTIFICATION,
            anchor_date=calendar.subtract_working_days(today, 2),
            anchor_event="the local authority became aware",
            by=manager,
            calendar=calendar,
        )
        case_grant_agency(case=child_r, agency=health, by=manager, reason="Referred the case")

        self._referrals(home, agencies, people, calendar, today)

        child_m = case_open(
            partnership=home,
            pseudonym="Child M",
            child={"given_names": "Ava", "family_name": "Placeholder", "sex": "female"},
            by=manager,
        )
        self._through_the_panel(child_m, people, calendar, today)
        self._local_review(child_m, agencies, people, calendar, today)
        self._action_plan(child_m, agencies, people, calendar, today)
