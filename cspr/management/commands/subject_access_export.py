"""Write everything held about one person to a JSON file, for a subject access request."""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import slugify

from cspr.services.subject_access import subject_access_collect


class Command(BaseCommand):
    help = (
        "Export everything held about a person (child records, referral children, family "
        "contacts, people records, access log rows, history rows and free text naming "
        'them) as JSON. --name "<given> <family>" and/or --user <username>. The file is '
        "unredacted special-category data: it is written readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", default="", help='Given and family names: "Robin Quill".')
        parser.add_argument("--user", default="", help="A member of staff's username.")
        parser.add_argument("--output", default="", help="The JSON file to write.")

    def handle(self, *args, name, user, output, **options):
        name = " ".join(name.split())
        if not name and not user:
            raise CommandError('Give --name "<given> <family>" or --user <username>.')
        try:
            data = subject_access_collect(name=name, username=user)
        except ValueError as error:
            raise CommandError(str(error)) from error
        data["exported_at"] = timezone.now()
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = Path(output or f"subject-access-{slugify(name or user)}-{stamp}.json")
        text = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        # A new file only, readable by its owner only: never through a link, never over
        # an existing file whose permissions may be wider.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError as error:
            raise CommandError(f"{path} exists already: choose another --output.") from error
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        for section, rows in data.items():
            if isinstance(rows, list):
                self.stdout.write(f"{section}: {len(rows)}")
        self.stdout.write(f"Written to {path}")
