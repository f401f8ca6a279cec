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
# Requests to join as a late arrival waiting for the facilitator: a few per phone's
# address, a bounded number in all, each for a while only. A script in the room can then
# neither fill the server with devices nor bury the real late arrival's request.
LATE_PER_ADDRESS = 2
LATE_PENDING_MAX = 20
LATE_REQUEST_SECONDS = 15 * 60


class TooMany(Refused):
    """Refused because too many of something are waiting (answered 429, not 409)."""


@dataclass
class LateRequest:
    """A phone asking to join under a name that is not yet in the session."""

    device: str
    name: str
    status: str = "pending"  # or "refused", or "expired" (waited too long)
    address: str = ""
    asked_at: float = 0.0


@dataclass
class Device:
    """One phone, known by the random token in its cookie."""

    token: str
    participant_id: str | None = None
    # (id, name) this phone has voted or proposed as: it keeps that name for the session.
    kept_as: tuple[str, str] | None = None
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

    def __init__(self, *, secret: str | None = None, short_code: str | None = None, monotonic: Callable[[], float] = time.monotonic) -> None:
        # Both random unless given (a snapshot test needs the same picture every run).
        self.secret = secret or secrets.token_urlsafe(SECRET_BYTES)
        self.short_code = short_code or "".join(secrets.choice("0123456789") for _ in range(SHORT_CODE_DIGITS))
        self.devices: dict[str, Device] = {}
        self.late_requests: dict[str, LateRequest] = {}
        self.version = 1
        self.limiter = CodeLimiter()
        self.monotonic = monotonic
        # Participant id -> the device that took part as them: no other device may take
        # the name (and vote again in its round) until the facilitator releases it.
        self.took_part_on: dict[str, str] = {}
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
            self.expire_late()
            idle = [token for token, d in self.devices.items() if self._idle(d)]
            for token in idle[: len(self.devices) - MAX_DEVICES + 1]:
                del self.devices[token]
            if len(self.devices) >= MAX_DEVICES:
                raise Refused("Too many devices have joined; ask the facilitator.")
        token = secrets.token_urlsafe(SECRET_BYTES)
        device = Device(token)
        self.devices[token] = device
        return device

    def _idle(self, device: Device) -> bool:
        """A device that may be forgotten: no name, none kept, no request waiting."""
        request = self.late_requests.get(device.token)
        return device.participant_id is None and device.kept_as is None and (request is None or request.status != "pending")

    def device(self, token: str | None) -> Device | None:
        return self.devices.get(token) if token else None

    def holder_of(self, participant_id: str) -> Device | None:
        """The device a participant's name is bound to, if any."""
        return next((d for d in self.devices.values() if d.participant_id == participant_id), None)

    def taken(self) -> set[str]:
        """Ids of participants bound to a device."""
        return {d.participant_id for d in self.devices.values() if d.participant_id is not None}

    def bind(self, device: Device, participant_id: str, name: str) -> None:
        """Bind `participant_id` to `device`.

        Refused when another device holds the name, when this device has taken part under
        another name, or when the name has taken part from another device (given back
        after voting): one phone, one name, until the facilitator releases it.
        """
        holder = self.holder_of(participant_id)
        if holder is not None and holder is not device:
            raise Refused(f"{name} has already joined on another device; ask the facilitator to release it.")
        if device.kept_as is not None and device.kept_as[0] != participant_id:
            raise Refused(
                f"This phone has already taken part as {device.kept_as[1]}: it keeps that name for the session. If that is wrong, ask the facilitator."
            )
        elsewhere = self.took_part_on.get(participant_id)
        if elsewhere is not None and elsewhere != device.token:
            raise Refused(f"{name} has already taken part from another phone; ask the facilitator to release the name.")
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

    def took_part(self, device: Device, participant_id: str, name: str) -> None:
        """`device` voted, abstained or proposed as `participant_id`: both are kept to each other."""
        device.kept_as = (participant_id, name)
        self.took_part_on.setdefault(participant_id, device.token)

    def kept(self) -> set[str]:
        """Ids of names that took part from a phone and are not bound now (given back after voting)."""
        return set(self.took_part_on) - self.taken()

    def release(self, participant_id: str) -> bool:
        """The facilitator frees a name so another device can take it (and vote with it).

        Unbinds it and forgets which phone took part as it; that phone may then take
        another name. False if the name was neither bound nor kept.
        """
        holder = self.holder_of(participant_id)
        token = self.took_part_on.pop(participant_id, None)
        kept_on = self.devices.get(token) if token else None
        if kept_on is not None and kept_on.kept_as is not None and kept_on.kept_as[0] == participant_id:
            kept_on.kept_as = None
        if holder is not None:
            holder.kept_as = None
            self.unbind(holder)
            return True
        if token is not None:
            self.bump()
            return True
        return False

    # -- late arrivals -------------------------------------------------------------------

    def ask_late(self, device: Device, name: str, address: str = "") -> LateRequest:
        """A phone asks to join as `name`; the facilitator accepts or refuses on the laptop.

        A phone's new request replaces its own; beyond `LATE_PER_ADDRESS` waiting from one
        address or `LATE_PENDING_MAX` in all, `TooMany` is raised.
        """
        cleaned = clean_line(name)
        if not cleaned:
            raise Refused("Type your name to ask to join.")
        if len(cleaned) > SHORT_TEXT_CHARACTERS:
            raise Refused(f"A name can be at most {SHORT_TEXT_CHARACTERS} characters long.")
        if device.participant_id is not None:
            raise Refused("This device has already joined.")
        if device.kept_as is not None:
            raise Refused(
                f"This phone has already taken part as {device.kept_as[1]}: it keeps that name for the session. If that is wrong, ask the facilitator."
            )
        others = [r for r in self.pending() if r.device != device.token]
        if len([r for r in others if r.address == address]) >= LATE_PER_ADDRESS:
            raise TooMany("Requests to join from this phone are already waiting: the facilitator will answer them.")
        if len(others) >= LATE_PENDING_MAX:
            raise TooMany("Too many requests to join are waiting: ask the facilitator in the room.")
        request = LateRequest(device.token, cleaned, address=address, asked_at=self.monotonic())
        self.late_requests[device.token] = request
        self.bump()
        return request

    def expire_late(self) -> bool:
        """Mark requests that waited longer than `LATE_REQUEST_SECONDS` as expired; True if any did."""
        now = self.monotonic()
        expired = [r for r in self.late_requests.values() if r.status == "pending" and now - r.asked_at >= LATE_REQUEST_SECONDS]
        for request in expired:
            request.status = "expired"
        return bool(expired)

    def pending(self) -> list[LateRequest]:
        """Late requests waiting for the facilitator, oldest first (those waiting too long expire)."""
        if self.expire_late():
            self.bump()
        return [request for request in self.late_requests.values() if request.status == "pending"]

    def refuse_late(self, device_token: str) -> None:
        request = self.late_requests.get(device_token)
        if request is not None and request.status == "pending":
            request.status = "refused"
            self.bump()

    def refuse_all_late(self) -> int:
        """Turn away every waiting request (a flood, or the room is complete); how many were."""
        waiting = self.pending()
        for request in waiting:
            request.status = "refused"
        if waiting:
            self.bump()
        return len(waiting)

    # -- idempotency ---------------------------------------------------------------------

    def remembered(self, device: Device, request_id: str) -> tuple[int, dict[str, object]] | None:
        """The answer already given to this device's `request_id`, if any."""
        return device.answers.get(request_id)

    def remember(self, device: Device, request_id: str, status: int, body: dict[str, object]) -> None:
        device.answers[request_id] = (status, body)
        while len(device.answers) > REMEMBERED_ANSWERS:
            device.answers.popitem(last=False)
