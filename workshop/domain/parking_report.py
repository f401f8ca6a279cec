"""The report's "Parking lot" section: what was parked during the day and what the close
decided about each item. Plain Python: blocks of the report's document model."""

from __future__ import annotations

from workshop.domain.models.session import PARKED_STATUS_LABELS, Session
from workshop.domain.render.document import Block, Heading, Paragraph, Table


def parking_lot_blocks(session: Session) -> list[Block]:
    """One row a parked item (text, who raised it, during what, decision); nothing when
    nothing was parked, so a report without a parking lot is as it was."""
    if not session.parking_lot:
        return []
    rows = []
    for item in session.parking_lot:
        activity = session.agenda.activity(item.activity_id) if item.activity_id else None
        rows.append((item.text, item.raised_by, activity.title if activity else "", PARKED_STATUS_LABELS[item.status]))
    open_count = sum(1 for item in session.parking_lot if item.status == "open")
    words = f"{len(rows)} item{'s' if len(rows) != 1 else ''} parked"
    words += f", {open_count} not yet reviewed." if open_count else ", each reviewed at the close."
    return [
        Heading(2, "Parking lot"),
        Paragraph(words),
        Table(("Item", "Raised by", "During", "Decision"), tuple(rows)),
    ]
