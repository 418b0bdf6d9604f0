"""The sizes `seed_scale` can seed. Totals are per partnership, and met exactly."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    partnerships: int
    cases: int  # per partnership
    returns: int  # information requests (each with its return), per partnership
    chronology_rows: int  # per partnership, the large rapid review's included
    actions: int  # per partnership
    years: float = 6.0  # how far back the cases go
    large_rows: int = 100  # chronology rows of each return of the large rapid review
    large_agencies: int = 10


PRESETS = {
    # The dataset: 10,000 cases, 100,000 returns, 1,000,000 chronology rows,
    # 30,000 actions, 500 people, 240 agencies, 20 partnerships.
    "national": Preset("national", 20, 500, 5_000, 50_000, 1_500),
    # About a twentieth of it, for quick runs.
    "small": Preset("small", 2, 250, 2_500, 25_000, 750),
    # For the test suite: seconds on SQLite.
    "tiny": Preset("tiny", 2, 12, 110, 1_300, 24, years=1.0),
}

# People per partnership: 3 business unit (one the Business Manager), a sub-group chair,
# 2 sub-group members, 3 executives (one for each safeguarding partner), an independent
# reviewer and 15 agency contributors (one for each of the 12 agencies, a second for
# three of them): 25, so 500 for 20 partnerships.
PEOPLE_PER_PARTNERSHIP = 25
AGENCIES_PER_PARTNERSHIP = 12
