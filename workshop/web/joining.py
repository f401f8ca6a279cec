"""Who is on which phone: the join secret, the short code, device bindings, late arrivals.

This is the state of joining, not of the session: it lives in the app's memory while
joining is on and is never written to the session file (a binding says which phone a
person used, which the record of the day has no need for). Plain Python, no web
framework, so the terminal side and the tests use it directly.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_PARTICIPANTS, SHORT_TEXT_CHARACTERS
from workshop.domain.text import clean_line

SECRET_BYTES = 16  # 128 random bits in the join URL (the issue asks for at least 64)
SHORT_CODE_DIGITS = 6
CODE_ATTEMPTS_PER_MINUTE = 5
# Answers to submissions remembered per device, so a resend gets the first answer.
REMEMBERED_ANSWERS = 64
# Devices known at once: a full room, each with a spare (a second phone, a private
# browser tab). Beyond it the oldest devices with no name and no request are forgotten,
# so a script in the room cannot grow the server's memory without end.
MAX_DEVICES = 2 * MAX_PARTICIPANTS


@dataclass
class LateRequest:
    """A phone asking to join under a name that is not yet in the session."""

    device: str
    name: str
    status: str = "pending"  # or "refused"


@dataclass
class Device:
    """One phone, known by the random token in its cookie."""

    token: str
    participant_id: str | None = None
    answers: OrderedDict[str, tuple[int, dict[str, object]]] = field(default_factory=OrderedDict)


class CodeLimiter:
    """At most `per_minute` short-code attempts per client address in any 60 seconds."""

    def __init__(self, per_minute: int = CODE_ATTEMPTS_PER_MINUTE, monotonic: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self.monotonic = monotonic
        self._attempts: dict[str, deque[float]] = {}

    def allow(self, address: str) -> bool:
        """Count an attempt from `address`; False when it is one too many."""
        now = self.monotonic()
        recent = self._attempts.setdefault(address, deque())
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return False
        recent.append(now)
        return True


class JoinState:
    """The secret, the short code, devices and their bindings, late requests, a version.

    `version` goes up whenever anything a phone shows may have changed (the session, a
    binding, a late request); `on_change` callbacks are told each time (the server wakes
    its event streams, the join panel redraws).
    """

    def __init__(self, *, secret: str | None = None, short_code: str | None = None) -> None:
        # Both random unless given (a snapshot test needs the same picture every run).
        self.secret = secret or secrets.token_urlsafe(SECRET_BYTES)
        self.short_code = short_code or "".join(secrets.choice("0123456789") for _ in range(SHORT_CODE_DIGITS))
        self.devices: dict[str, Device] = {}
        self.late_requests: dict[str, LateRequest] = {}
        self.version = 1
        self.limiter = CodeLimiter()
        self._watchers: list[Callable[[], None]] = []

    # -- versions ----------------------------------------------------------------------

    def watch(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after every change to what phones show."""
        self._watchers.append(callback)

    def unwatch(self, callback: Callable[[], None]) -> None:
        if callback in self._watchers:
            self._watchers.remove(callback)

    def bump(self) -> int:
        """Note that something phones show changed; returns the new version."""
        self.version += 1
        for callback in list(self._watchers):
            callback()
        return self.version

    # -- devices -----------------------------------------------------------------------

    def new_device(self) -> Device:
        """A device for a phone that has none yet (its cookie is set with the answer)."""
        if len(self.devices) >= MAX_DEVICES:
            idle = [token for token, d in self.devices.items() if d.participant_id is None and token not in self.late_requests]
            for token in idle[: len(self.devices) - MAX_DEVICES + 1]:
                del self.devices[token]
            if len(self.devices) >= MAX_DEVICES:
                raise Refused("Too many devices have joined; ask the facilitator.")
        token = secrets.token_urlsafe(SECRET_BYTES)
        device = Device(token)
        self.devices[token] = device
        return device

    def device(self, token: str | None) -> Device | None:
        return self.devices.get(token) if token else None

    def holder_of(self, participant_id: str) -> Device | None:
        """The device a participant's name is bound to, if any."""
        return next((d for d in self.devices.values() if d.participant_id == participant_id), None)

    def taken(self) -> set[str]:
        """Ids of participants bound to a device."""
        return {d.participant_id for d in self.devices.values() if d.participant_id is not None}

    def bind(self, device: Device, participant_id: str, name: str) -> None:
        """Bind `participant_id` to `device`; refused when another device holds it."""
        holder = self.holder_of(participant_id)
        if holder is not None and holder is not device:
            raise Refused(f"{name} has already joined on another device; ask the facilitator to release it.")
        if device.participant_id == participant_id:
            return
        device.participant_id = participant_id
        device.answers.clear()
        self.late_requests.pop(device.token, None)
        self.bump()

    def unbind(self, device: Device) -> None:
        """The device gives its name back (it leaves)."""
        if device.participant_id is not None:
            device.participant_id = None
            device.answers.clear()
            self.bump()

    def release(self, participant_id: str) -> bool:
        """The facilitator frees a name so another device can take it. False if it was free."""
        holder = self.holder_of(participant_id)
        if holder is None:
            return False
        self.unbind(holder)
        return True

    # -- late arrivals -------------------------------------------------------------------

    def ask_late(self, device: Device, name: str) -> LateRequest:
        """A phone asks to join as `name`; the facilitator accepts or refuses on the laptop."""
        cleaned = clean_line(name)
        if not cleaned:
            raise Refused("Type your name to ask to join.")
        if len(cleaned) > SHORT_TEXT_CHARACTERS:
            raise Refused(f"A name can be at most {SHORT_TEXT_CHARACTERS} characters long.")
        if device.participant_id is not None:
            raise Refused("This device has already joined.")
        request = LateRequest(device.token, cleaned)
        self.late_requests[device.token] = request
        self.bump()
        return request

    def pending(self) -> list[LateRequest]:
        """Late requests waiting for the facilitator, oldest first."""
        return [request for request in self.late_requests.values() if request.status == "pending"]

    def refuse_late(self, device_token: str) -> None:
        request = self.late_requests.get(device_token)
        if request is not None and request.status == "pending":
            request.status = "refused"
            self.bump()

    # -- idempotency ---------------------------------------------------------------------

    def remembered(self, device: Device, request_id: str) -> tuple[int, dict[str, object]] | None:
        """The answer already given to this device's `request_id`, if any."""
        return device.answers.get(request_id)

    def remember(self, device: Device, request_id: str, status: int, body: dict[str, object]) -> None:
        device.answers[request_id] = (status, body)
        while len(device.answers) > REMEMBERED_ANSWERS:
            device.answers.popitem(last=False)
