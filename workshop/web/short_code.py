"""The tiny page at `/` for people who type the short code instead of scanning the QR code."""

from __future__ import annotations

from workshop.web.joining import SHORT_CODE_DIGITS


def code_form() -> str:
    """A plain HTML form posting the code to `/code` (no script, no style: nothing to trust)."""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join the workshop</title></head>
<body>
<h1>Join the workshop</h1>
<form method="post" action="/code">
<p><label for="code">The {SHORT_CODE_DIGITS}-digit code on the screen</label></p>
<p><input id="code" name="code" inputmode="numeric" autocomplete="off" maxlength="{SHORT_CODE_DIGITS}" required autofocus></p>
<p><button type="submit">Join</button></p>
</form>
</body>
</html>
"""
