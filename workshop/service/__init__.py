"""The open session as a service: what the console, the phones and the room's screen share.

`OpenSession` (open_session.py) holds the loaded session, its editor, its saver and the
phones' server; `GroupCommit` (commits.py) groups the writes. Plain Python (no Textual):
the front ends are above it, storage and the domain below it, and it starts the web
server (imported only when phones join) with the session's editor and a way to wait for
the disk.
"""

from workshop.service.open_session import OpenSession

__all__ = ["OpenSession"]
