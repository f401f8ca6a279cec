"""A version kept because the file was changed outside the app is shown beside its
session (`workshop list`, the listing) and `workshop outside` says what differs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run_cli
from factories import make_session

from workshop.domain.models.session import Proposal
from workshop.storage.listing import SessionSummary, list_sessions
from workshop.storage.outside_compare import outside_differences
from workshop.storage.store import ChangedOutside, create_session, open_session, save_session


def _changed_outside(folder: Path) -> tuple[Path, Path]:
    """A session open here while another facilitator's copy, with their proposal, lands on its file."""
    path = create_session(folder, make_session(title="Away day"))
    theirs = make_session(
        title="Away day",
        proposals=[
            Proposal(id="pr1", text="Share budgets", owner="Ana", horizon="a-year", protected=True),
            Proposal(id="pr9", text="Their proposal, typed on the other laptop"),
        ],
    )
    with open_session(path) as loaded:
        save_session(theirs, path.with_name("theirs.tmp"), touch=False)
        path.with_name("theirs.tmp").replace(path)
        loaded.session.notes[0].text = "Ours"
        with pytest.raises(ChangedOutside) as caught:
            loaded.save()
    return path, caught.value.kept


def test_the_listing_names_the_kept_copy_on_its_session(tmp_path: Path) -> None:
    path, kept = _changed_outside(tmp_path)
    (summary,) = list_sessions(tmp_path)
    assert isinstance(summary, SessionSummary) and summary.path == path and summary.outside_copies == (kept,)


def test_the_differences_name_their_proposal_and_our_note(tmp_path: Path) -> None:
    path, kept = _changed_outside(tmp_path)
    lines = outside_differences(path, kept)
    assert 'proposals: 1 only in the copy ("Their proposal, typed on the other laptop")' in lines
    assert 'notes: 1 changed ("We said: - one - two")' in lines  # as the copy has it
    assert not any(line.startswith("updated_at") for line in lines)


def test_workshop_list_and_outside_show_the_copy(tmp_path: Path) -> None:
    path, kept = _changed_outside(tmp_path)
    table = run_cli("list", "--sessions-dir", str(tmp_path))
    assert table.returncode == 0, table.stderr
    assert "Away day (+ outside copy)" in table.stdout
    assert (
        f"Note: {path.name} was changed outside the app; that version is kept beside it as {kept.name} ('workshop outside abcd2345' shows what differs)"
    ) in table.stdout
    rows = json.loads(run_cli("list", "--json", "--sessions-dir", str(tmp_path)).stdout)
    assert rows[0]["outside_copies"] == [str(kept)]
    shown = run_cli("outside", "abcd2345", "--sessions-dir", str(tmp_path))
    assert shown.returncode == 0, shown.stderr
    assert f"{kept.name} (kept beside {path.name}):" in shown.stdout
    assert "Their proposal, typed on the other laptop" in shown.stdout
