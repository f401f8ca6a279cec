"""Every limit a session or pack enforces, defined once.

The models validate against these; operations and screens read them from here (never
a copy), so a form's `max_length` and the rule it mirrors cannot drift apart.
"""

from __future__ import annotations

# Texts
SHORT_TEXT_CHARACTERS = 200  # titles, names, roles, owners
LINE_TEXT_CHARACTERS = 1000  # proposals and other one-line texts
NOTE_CHARACTERS = 20_000  # one activity's notes, and other long texts

# A session
MAX_PARTICIPANTS = 100
MAX_PROPOSALS = 1000
MAX_PARKED = 500  # items in the parking lot
MAX_AVAILABLE_MINUTES = 24 * 60
MAX_POSITION = 100_000  # a proposal's order within its horizon column

# An activity's time box
MIN_ACTIVITY_MINUTES = 1
MAX_ACTIVITY_MINUTES = 240
MAX_EXTENSION_MINUTES = 600  # in all, per activity
MAX_RECORDED_SECONDS = 7 * 24 * 3600
MAX_STAGES = 12  # timed stages inside one activity (1-2-4-All has four)

# Dot votes and shows of hands
MAX_DOTS = 50  # dots per person, and most dots on one proposal
MAX_HANDS = 100_000  # one show-of-hands count
MAX_CONSENT_TOP = 20  # priorities a consent check asks about

# A pack's agenda
MAX_OPENING_RATINGS = 20  # rating questions a discussion opens with
MAX_PRE_READS = 20  # pre-read texts a pack offers for the report's appendix
