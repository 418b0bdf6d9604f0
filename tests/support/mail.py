"""A mail backend for tests that run real workers: one file per message, optionally slow,
so a test in another process can count exactly what was sent, and kill a worker mid-batch."""

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class OneFilePerMessage(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        delay = float(os.environ.get("TEST_MAIL_DELAY", "0"))
        for message in messages:
            time.sleep(delay)
            name = uuid.uuid4().hex
            partial = folder / f"{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")  # whole, or not there at all
        return len(messages)


def sent_message_ids(folder):
    """The Message-ID of every message in `folder`, one per message (repeats kept)."""
    from email import message_from_bytes

    return [
        message_from_bytes(path.read_bytes())["Message-ID"] for path in Path(folder).glob("*.eml")
    ]
