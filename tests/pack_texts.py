"""A small valid pack as TOML text, for tests that break it one way at a time."""

VALID_PACK = """\
id = "tiny"
title = "Tiny workshop"
summary = "A pack small enough to break on purpose."
version = "1.0"

[source]
title = "Some report"

[[behaviours]]
id = "collab"
name = "Ability to collaborate"
description = "Working across boundaries."

[[sections]]
id = "open"
title = "Opening"

[[sections.activities]]
id = "welcome"
kind = "read"
title = "Welcome"
minutes = 5
text = "Hello."

[[sections]]
id = "collab"
title = "Collaborating"
behaviour = "collab"

[[sections.activities]]
id = "collab-rate"
kind = "rate"
title = "How are we doing?"
minutes = 10

[[sections.activities.questions]]
id = "q1"
prompt = "We share data well."

[[sections.activities]]
id = "collab-talk"
kind = "discuss"
title = "Talk"
minutes = 15
question = "Who are the key players?"
"""
