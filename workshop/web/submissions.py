"""What a joined phone can send: ratings, dots, an abstention, a proposal.

Each goes through the same path (`_submit`): the phone's own participant, a request id
(a resend counts once), the current activity only, the editor's operation, then the save;
"recorded" is answered only once the save is written.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from workshop.domain.errors import Refused
from workshop.domain.models.pack import ProposeActivity, RateActivity, VoteActivity
from workshop.web.answers import Answer, refuse
from workshop.web.joining import Device
from workshop.web.phone_routes import PREFIX, read_json
from workshop.web.phone_view import current_activity, is_merge_step

if TYPE_CHECKING:
    from workshop.web.phone_routes import PhoneRoutes
    from workshop.web.server import JoinServer

REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SaveNow = Callable[[], Awaitable[None]]
# Waits while the console answers a key, at most a little after the submission arrived.
ConsoleFirst = Callable[[], Awaitable[None]]
Act = Callable[[dict[str, Any], str, str], Awaitable[dict[str, Any]]]


class Submissions:
    """What a joined phone sends to a `JoinServer`: the routes and the one path they share."""

    def __init__(self, server: JoinServer, phones: PhoneRoutes) -> None:
        self.server = server
        self.editor = server.editor
        self.join = server.join
        self.phones = phones
        # Submissions being applied and saved, by (device, request id): a double tap waits for the first.
        self._inflight: dict[tuple[str, str], asyncio.Future[tuple[int, dict[str, Any]]]] = {}

    def add_to(self, app: web.Application) -> None:
        """Add the submissions' routes to `app`."""
        for name, handler in (
            ("rating", self._rating),
            ("dots", self._dots),
            ("abstain", self._abstain),
            ("propose", self._propose),
        ):
            app.router.add_post(f"{PREFIX}/api/{name}", handler)

    async def _rating(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any], me: str, activity_id: str) -> dict[str, Any]:
            answers = _whole_numbers(body.get("answers"), "answers")
            self._ballot_activity(activity_id, RateActivity)
            self.editor.cast_rating(activity_id, me, answers, replace=True)
            return {}

        return await self._submit(request, act)

    async def _dots(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any], me: str, activity_id: str) -> dict[str, Any]:
            dots = _whole_numbers(body.get("dots"), "dots")
            self._ballot_activity(activity_id, VoteActivity)
            self.editor.cast_dots(activity_id, me, dots, replace=True)
            return {}

        return await self._submit(request, act)

    async def _abstain(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any], me: str, activity_id: str) -> dict[str, Any]:
            self._ballot_activity(activity_id, (RateActivity, VoteActivity))
            self.editor.abstain(activity_id, me)
            return {}

        return await self._submit(request, act)

    async def _propose(self, request: web.Request) -> web.StreamResponse:
        async def act(body: dict[str, Any], me: str, activity_id: str) -> dict[str, Any]:
            text = body.get("text")
            if not isinstance(text, str):
                raise refuse(400, "Type a proposal first.")
            activity = current_activity(self.editor)
            if not isinstance(activity, ProposeActivity):
                raise refuse(409, "This activity does not take proposals.")
            if is_merge_step(activity):
                raise refuse(409, "This step merges the proposals already made; it takes no new ones from phones.")
            change = self.editor.add_proposal(text, activity_id=activity_id, behaviour=activity.behaviour, proposed_by=me)
            return {"proposal_id": change.ids[0]}

        return await self._submit(request, act)

    def _ballot_activity(self, activity_id: str, kinds: type | tuple[type, ...]) -> None:
        activity = current_activity(self.editor)
        if not isinstance(activity, kinds):
            raise refuse(409, "This activity does not take that kind of answer.")
        if self.editor.ballot_mode(activity_id) == "hands":
            raise refuse(403, "This round is a show of hands: the facilitator counts, there is nothing to send.")

    async def _submit(self, request: web.Request, act: Act) -> web.StreamResponse:
        """The path every submission takes: who, which request, which activity, act, save, answer.

        A request id seen before gets the first answer again; one still being saved (a
        double tap) waits for it, so either way the submission counts once.
        """
        if self.server.console_first is not None:
            await self.server.console_first()
        device, me = self.phones.joined(request)
        body = await read_json(request)
        request_id = body.get("request_id")
        if not isinstance(request_id, str) or not REQUEST_ID.match(request_id):
            raise refuse(400, "A submission needs a request_id of 1 to 64 letters, digits, - or _.")
        key = f"{me}:{request_id}"
        pending = self._inflight.get((device.token, key))
        if pending is not None:
            status, answer = await asyncio.shield(pending)
            return web.json_response(answer, status=status)
        outcome: asyncio.Future[tuple[int, dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._inflight[(device.token, key)] = outcome
        try:
            status, answer = await self._outcome(device, key, body, me, act)
            outcome.set_result((status, answer))
        except BaseException as error:
            outcome.set_exception(error)
            outcome.exception()  # retrieved here, so an unawaited failure is not logged twice
            raise
        finally:
            del self._inflight[(device.token, key)]
        return web.json_response(answer, status=status)

    async def _outcome(self, device: Device, key: str, body: dict[str, Any], me: str, act: Act) -> tuple[int, dict[str, Any]]:
        earlier = self.join.remembered(device, key)
        if earlier is not None:
            status, answer = earlier
            if status != 503:
                return status, answer
            # Applied before, but its save failed: only the save is tried again.
            extra = answer.get("extra")
            return await self._saved(device, key, extra if isinstance(extra, dict) else {})
        activity_id = body.get("activity_id")
        current = current_activity(self.editor)
        if not isinstance(activity_id, str) or current is None or current.id != activity_id:
            return 409, {"error": "The facilitator has moved on: this is no longer the current activity."}
        try:
            extra = await act(body, me, activity_id)
        except Answer as answer:
            return answer.status, answer.body
        except Refused as refusal:
            person = self.editor.session.participant(me)
            if person is not None and not person.present:
                # The domain's words ("mark them back") are the facilitator's; the phone's
                # owner is told what they can do. Not remembered: once marked back, the
                # same tap sent again counts.
                return 409, {"error": "You are marked as having left, so this was not counted: ask the facilitator to mark you back, then send it again."}
            self.join.remember(device, key, 409, {"error": refusal.reason})
            return 409, {"error": refusal.reason}
        # Having taken part, this phone keeps this name and the name this phone (see JoinState.bind).
        person = self.editor.session.participant(me)
        self.join.took_part(device, me, person.name if person is not None else me)
        return await self._saved(device, key, extra)

    async def _saved(self, device: Device, key: str, extra: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer "recorded" once the save is written, or 503 (remembered, so a resend saves again)."""
        try:
            await self.server.save_now()
        except Exception as error:  # any failure to write means: not recorded
            self.join.remember(device, key, 503, {"error": f"Not recorded: {error}", "extra": extra})
            return 503, {"error": f"Not recorded: {error}"}
        answer = {"recorded": True, "version": self.join.version, **extra}
        self.join.remember(device, key, 200, answer)
        return 200, answer


def _whole_numbers(value: object, what: str) -> dict[str, int]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise refuse(400, f"'{what}' must map ids to whole numbers.")
    numbers: dict[str, int] = {}
    for key, number in value.items():
        if isinstance(number, bool) or not isinstance(number, int):
            raise refuse(400, f"'{what}' must map ids to whole numbers.")
        numbers[key] = number
    return numbers
