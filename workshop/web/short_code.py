"""The tiny page at `/` for people who type the short code instead of scanning the QR code.

The code is shown on the laptop as `123 456`, so it is read here as typed: spaces and
dashes are ignored. A wrong code or too many tries come back as this same page with one
sentence above the field (a form post never gets a raw JSON page).
"""

from __future__ import annotations

import html
import re

from workshop.web.joining import SHORT_CODE_DIGITS

# Spaces of any kind and the dashes a phone's keyboard may offer: the way the code is shown.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")
# Room for the digits with a separator between any two of them.
TYPED_CODE_CHARACTERS = 2 * SHORT_CODE_DIGITS


def typed_code(text: str) -> str:
    """The code as typed (`816 109`, `816-109`), without its spaces and dashes."""
    return _SEPARATORS.sub("", text)


def code_page(error: str = "", typed: str = "") -> str:
    """The form posting the code to `/code`, with `error` said above the field when given.

    No script and nothing inline (the Content-Security-Policy forbids it): its look comes
    from `/code.css`. `error` and `typed` are escaped.
    """
    said = f'<p class="error" id="code-error" role="alert">{html.escape(error)}</p>\n' if error else ""
    described = ' aria-describedby="code-error" aria-invalid="true"' if error else ""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Join the workshop</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="stylesheet" href="/code.css"></head>
<body>
<header><p class="brand">Workshop</p></header>
<main>
<h1>Join the workshop</h1>
<form method="post" action="/code">
{said}<p><label for="code">The {SHORT_CODE_DIGITS}-digit code on the screen</label></p>
<p><input id="code" name="code" inputmode="numeric" autocomplete="off" maxlength="{TYPED_CODE_CHARACTERS}"
 value="{html.escape(typed, quote=True)}" required autofocus{described}></p>
<p><button type="submit">Join</button></p>
</form>
</main>
</body>
</html>
"""


def message_page(sentence: str) -> str:
    """A page saying `sentence` (an error met by opening an address), with the way to type the code."""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Workshop</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="stylesheet" href="/code.css"></head>
<body>
<header><p class="brand">Workshop</p></header>
<main>
<h1>This address does not lead to the workshop</h1>
<p class="error" role="alert">{html.escape(sentence)}</p>
<p><a href="/">Type the {SHORT_CODE_DIGITS}-digit code instead</a></p>
</main>
</body>
</html>
"""
