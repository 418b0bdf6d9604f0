"""Meeting a partnership's totals exactly: which agencies each rapid review asks, how many
chronology rows each return has, how many actions each plan has."""

import random

from cspr.scale.plan import FRESH, LARGE

MAX_ROWS = 150  # rows in any one ordinary return
ALWAYS_ASKED = (1, 2, 4)  # children's services, police, the hospital trust
USUALLY_ASKED = (3,)  # the integrated care board


def _adjust(counts, target, adjustable, low, high, rng):
    """Move `counts` (a list) by ones at the `adjustable` positions until they sum to
    `target`, keeping each within [low, high]; stops early when that is impossible."""
    total = sum(counts)
    while total != target and adjustable:
        position = rng.choice(adjustable)
        if total < target and counts[position] < high:
            counts[position] += 1
            total += 1
        elif total > target and counts[position] > low:
            counts[position] -= 1
            total -= 1
        elif all((counts[p] >= high) if total < target else (counts[p] <= low) for p in adjustable):
            break
    return counts


def allocate(plans, preset, today, cal, rng_seed, agencies=12):
    """Fill each plan's `agencies`, `submitted`, `rows`, `actions` and `local_actions`."""
    rng = random.Random(f"{rng_seed}:allocate")  # noqa: S311  (fictional data)
    reviews = [p for p in plans if p.done("opened", today)]
    sizes = []
    for plan in reviews:
        if plan.kind == LARGE:
            sizes.append(preset.large_agencies)
        elif plan.kind == FRESH:
            sizes.append(agencies)
        else:
            sizes.append(plan.rng.choice((8, 9, 10, 10, 11, 11, 12, 12)))
    ordinary = [i for i, p in enumerate(reviews) if not p.kind]
    sizes = _adjust(sizes, preset.returns, ordinary, 6, agencies, rng)
    for plan, size in zip(reviews, sizes, strict=True):
        _choose_agencies(plan, size, agencies)
        _submissions(plan, today, cal)
    _rows(reviews, preset, rng)
    _actions(plans, preset, today, rng)


def _choose_agencies(plan, size, agencies):
    if plan.kind:
        plan.agencies = list(range(1, size + 1))
        return
    rng = plan.rng
    chosen = list(ALWAYS_ASKED)
    if rng.random() < 0.85 or size > agencies - 1:
        chosen += USUALLY_ASKED
    others = [n for n in range(1, agencies + 1) if n not in chosen]
    rng.shuffle(others)
    plan.agencies = sorted(chosen + others[: size - len(chosen)])


def _submissions(plan, today, cal):
    """Each return's submission day (None for a draft): around the due date, and always
    before the learning meeting."""
    days, rng, wd = plan.days, plan.rng, cal.add_working_days
    days["submitted"] = []
    for _ in plan.agencies:
        if plan.kind == FRESH:
            day = None
        elif plan.kind == LARGE:
            day = wd(days["opened"], rng.randint(1, 4))
        else:
            day = wd(days["requests_due"], rng.choice((-3, -2, -2, -1, -1, 0, 0, 0, 1, 3)))
            if days.get("meeting") and day >= days["meeting"]:
                day = wd(days["meeting"], -1)
            day = max(day, days["opened"])
        days["submitted"].append(day)
    plan.submitted = [d is not None and d < today for d in days["submitted"]]


def _rows(reviews, preset, rng):
    counts, adjustable, index = [], [], []
    for plan in reviews:
        for position, submitted in enumerate(plan.submitted):
            if plan.kind == LARGE:
                count = preset.large_rows
            elif plan.kind == FRESH:
                count = plan.rng.randint(2, 5)
            elif not submitted:
                count = plan.rng.randint(1, 4)
            else:
                count = min(MAX_ROWS, max(1, round(plan.rng.lognormvariate(1.95, 0.85))))
                adjustable.append(len(counts))
            index.append((plan, position))
            counts.append(count)
    counts = _adjust(counts, preset.chronology_rows, adjustable, 1, MAX_ROWS, rng)
    for plan in reviews:
        plan.rows = [0] * len(plan.agencies)
    for (plan, position), count in zip(index, counts, strict=True):
        plan.rows[position] = count


def _actions(plans, preset, today, rng):
    slots, counts = [], []
    for plan in plans:
        if plan.done("plan", today):
            slots.append((plan, "actions"))
            counts.append(plan.rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))
        if plan.done("local_plan", today):
            slots.append((plan, "local_actions"))
            counts.append(plan.rng.randint(2, 6))
    counts = _adjust(counts, preset.actions, list(range(len(counts))), 1, 9, rng)
    for (plan, name), count in zip(slots, counts, strict=True):
        setattr(plan, name, count)
