"""Voting from phones: a small web server on the room's network (see `API.md`).

Nothing is imported here: the app loads `workshop.web.server` (and aiohttp) only when
joining starts, so its start-up pays nothing for a feature not in use.
"""
