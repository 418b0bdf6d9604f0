"""Information returns and their chronology rows, as an agency writes them."""

import datetime
import random

from cspr.scale.text import ACTIONS_TAKEN, EVENTS, FILL, SIGNIFICANCE, SOURCES
from rapid_reviews.models import ChronologyEntry, InformationReturn, ReturnStatus


def _event_pool(size=400):
    rng = random.Random("cspr.scale events")  # noqa: S311  (fictional text)
    pool = []
    for _ in range(size):
        template = rng.choice(EVENTS)
        pool.append(template.format(**{k: rng.choice(v) for k, v in FILL.items()}).capitalize())
    return pool


EVENT_POOL = _event_pool()
PERIODS = ["Since birth", "The last two years", "The last six months", "From 2019 to date"]


def write_return(
    ctx, plan, request_id, agency, *, rows, submitted_at, submitted_by, author, signer
):
    """The agency's return for one request and its chronology rows: complete when
    submitted, partly written while a draft."""
    rng, writer = plan.rng, ctx.writer
    draft = submitted_at is None
    content = {
        "involvement_period": rng.choice(PERIODS),
        "involvement_extent": f"Fictional: {agency.name} worked with the family over the period.",
        "key_practice_episodes": "Fictional: the episodes are in the chronology.",
        "analysis": "Fictional: information was not shared between agencies early enough.",
        "immediate_actions": "Fictional: staff briefed; the case records are secured.",
        "author_name": author,
        "signed_off_by": f"{signer}, Head of Safeguarding",
    }
    if draft:  # a draft has its first fields only
        keep = rng.randint(0, 3)
        content = {
            name: value if position < keep else ""
            for position, (name, value) in enumerate(content.items())
        }
    row = {
        "request_id": request_id,
        "status": ReturnStatus.DRAFT if draft else ReturnStatus.SUBMITTED,
        **content,
        "signed_off_on": None if draft else submitted_at.date(),
        "submitted_at": submitted_at,
        "submitted_by_id": None if draft else submitted_by,
    }
    return_id = writer.add(InformationReturn, row)
    sources = SOURCES[agency.type]
    start = plan.aware - datetime.timedelta(days=rng.randint(120, 900))
    span = max((plan.aware - start).days, 1)
    dates = sorted(start + datetime.timedelta(days=rng.randrange(span)) for _ in range(rows))
    for position, day in enumerate(dates):
        writer.add(
            ChronologyEntry,
            {
                "information_return_id": return_id,
                "position": position,
                "date": day,
                "date_is_approximate": rng.random() < 0.05,
                "source": rng.choice(sources),
                "event": rng.choice(EVENT_POOL),
                "significance": rng.choice(SIGNIFICANCE),
                "action": rng.choice(ACTIONS_TAKEN),
            },
        )
    return return_id
