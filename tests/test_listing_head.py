"""The listing's line at the head of a session file (workshop.storage.listing_head): a cold
listing reads only the head of a file the app wrote, and still lists older or hand-edited
files right by reading them whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import BASE_TIME, make_session, pack_data, sessions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.domain.models.pack import Pack
from workshop.domain.models.session import ActivityProgress, Session
from workshop.storage import listing, quick_listing
from workshop.storage.listing import SessionSummary, list_sessions, summarise
from workshop.storage.listing_head import HEAD_BYTES, head_summary, percent_of_data, with_listing_line, written_mtime_ns
from workshop.storage.session_format import dump_session, session_data
from workshop.storage.store import create_session, load_session, save_data

SMALL = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture
def whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the texts the whole-file quick reader was given (one per file read whole)."""
    seen: list[int] = []
    real = quick_listing.quick_summary

    def spy(text: str, *args: object) -> object:
        seen.append(len(text))
        return real(text, *args)  # type: ignore[arg-type]  # passed through as given

    monkeypatch.setattr(quick_listing, "quick_summary", spy)
    return seen


def _model_summary(session: Session, path: Path) -> SessionSummary:
    return SessionSummary(
        session.id, session.title, session.team, session.date, session.status, session.percent_complete, session.updated_at, path, session.schema_
    )


def _half_done(**overrides: object) -> Session:
    """A session with an agenda of several activities, one done and one skipped."""
    session = make_session(agenda=Pack.model_validate(pack_data(3)).snapshot(), **overrides)
    ids = [activity.id for _, activity in session.agenda.activities()]
    session.progress = [ActivityProgress(activity_id=ids[0], state="done", started_at=BASE_TIME), ActivityProgress(activity_id=ids[1], state="skipped")]
    return session


@SMALL
@given(sessions(), st.lists(st.booleans(), max_size=12), st.data())
def test_the_percent_from_data_is_the_models(session: Session, flags: list[bool], data: st.DataObject) -> None:
    flags_left = iter(flags)
    for section in session.agenda.sections:
        section.included = next(flags_left, True)
        for activity in section.activities:
            activity.included = next(flags_left, True)
    ids = [activity.id for _, activity in session.agenda.activities(included_only=False)]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True))
    session.progress = [ActivityProgress(activity_id=aid, state=data.draw(st.sampled_from(["pending", "done", "skipped", "running"]))) for aid in chosen]
    assert percent_of_data(session_data(session)) == session.percent_complete


@pytest.mark.parametrize("length", [0, 1, 30, 40, 9920, 9930, 9940, 99_915, 99_925, 99_935])
def test_the_line_says_the_files_own_size(length: int) -> None:
    body = b"x" * length
    written = with_listing_line(body, 42, 1_765_071_234_123_456_789)
    assert written.endswith(body) and written_mtime_ns(written) == 1_765_071_234_123_456_789
    line = written[: len(written) - length]
    assert line == f"# listed as: 42% done; {len(written)} bytes; mtime_ns 1765071234123456789\n".encode()


def test_a_saved_file_is_listed_from_its_head_alone(tmp_path: Path, whole_reads: list[int]) -> None:
    session = _half_done(title="Head only", status="running")
    path = create_session(tmp_path, session)
    loaded = load_session(path)
    loaded.session.progress.append(ActivityProgress(activity_id=loaded.session.agenda.sections[1].activities[0].id, state="done"))
    # The autosaver's path (data, not the model) writes the line too.
    save_data(session_data(loaded.session), path, expect=loaded.stamp)
    again = load_session(path).session
    found = path.stat()
    assert path.read_text("utf-8").startswith(f"# listed as: {again.percent_complete}% done; {found.st_size} bytes; mtime_ns {found.st_mtime_ns}\n")
    listing._summaries.clear()
    assert summarise(path) == _model_summary(again, path)
    assert whole_reads == [], "the head vouched for the file: it should not be read whole"
    assert again.percent_complete not in (0, 100)


def test_a_completed_sessions_file_lists_at_100(tmp_path: Path, whole_reads: list[int]) -> None:
    session = _half_done(status="completed")
    path = create_session(tmp_path, session)
    assert summarise(path) == _model_summary(session, path) and summarise(path).progress == 100
    assert whole_reads == []


def test_a_file_without_the_line_is_read_whole_and_listed_right(tmp_path: Path, whole_reads: list[int]) -> None:
    # As written before the line existed: the model's keys from the first line.
    session = _half_done(title="Older file")
    path = tmp_path / "older.toml"
    path.write_text(dump_session(session), encoding="utf-8")
    assert summarise(path) == _model_summary(session, path)
    assert len(whole_reads) == 1 and whole_reads[0] == path.stat().st_size


def test_a_file_edited_by_hand_is_read_whole(tmp_path: Path, whole_reads: list[int]) -> None:
    session = _half_done(title="Edited")
    path = create_session(tmp_path, session)
    text = path.read_text("utf-8")
    assert 'state = "skipped"' in text
    # Someone marks the skipped activity pending again: the line's percent is now wrong,
    # and the file's size is the same (two words of seven letters): its time says so.
    path.write_text(text.replace('state = "skipped"', 'state = "pending"', 1), encoding="utf-8")
    edited = load_session(path).session
    assert edited.percent_complete < session.percent_complete
    assert path.stat().st_size == len(text.encode())
    assert summarise(path) == _model_summary(edited, path)
    assert len(whole_reads) == 1


def test_a_head_that_is_not_ours_is_not_trusted(tmp_path: Path) -> None:
    path = create_session(tmp_path, _half_done())
    raw = path.read_bytes()
    size, mtime = len(raw), path.stat().st_mtime_ns
    assert head_summary(raw[:HEAD_BYTES], size, mtime, 1) is not None
    assert head_summary(raw[:HEAD_BYTES], size + 1, mtime, 1) is None  # another size
    assert head_summary(raw[:HEAD_BYTES], size, mtime + 1, 1) is None  # changed since
    assert head_summary(raw[:HEAD_BYTES], size, mtime, 2) is None  # another schema: migrated on the full path
    broken = raw.replace(b'\ntitle = "', b'\ntitle = """', 1)
    assert head_summary(broken[:HEAD_BYTES], size, mtime, 1) is None
    missing = raw.replace(b"\nid = ", b"\nxid = ", 1)
    assert head_summary(missing[:HEAD_BYTES], size, mtime, 1) is None


def test_a_cold_listing_of_saved_files_reads_no_file_whole(tmp_path: Path, whole_reads: list[int]) -> None:
    made = [_half_done(id=f"s{index}x", title=f"Session {index}") for index in range(5)]
    for session in made:
        create_session(tmp_path, session)
    (tmp_path / "older.toml").write_text(dump_session(_half_done(id="oldr", title="Older")), encoding="utf-8")
    listing._summaries.clear()
    listing._on_disk.clear()
    listed = list_sessions(tmp_path)
    assert sorted(item.title for item in listed if isinstance(item, SessionSummary)) == ["Older", *(f"Session {index}" for index in range(5))]
    assert {item.progress for item in listed if isinstance(item, SessionSummary)} == {made[0].percent_complete}
    assert len(whole_reads) == 1, "only the file without the line is read whole"
    # and every file still opens as the very session that was saved
    for session in made:
        path = next(tmp_path.glob(f"*-{session.id}.toml"))
        assert load_session(path).session == session


@pytest.mark.parametrize("title", ['Say "yes"', "back\\slash", "tab\there", "Ünïcødé ✓ 日本", "=cmd|' /C calc'!A0"])
def test_header_values_read_from_the_head_are_tomls(tmp_path: Path, title: str, whole_reads: list[int]) -> None:
    # Plain values are read without tomllib; escaped ones with it: both as tomllib reads them.
    session = _half_done(title=title, team=title)
    path = create_session(tmp_path, session)
    assert summarise(path) == _model_summary(session, path)
    assert whole_reads == []


def test_a_cold_listing_looks_at_backups_only_for_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A readable file's backup is never part of its verdict (nor of its index entry).
    path = create_session(tmp_path, _half_done(title="Has a backup"))
    save_data(session_data(load_session(path).session), path, expect=load_session(path).stamp)
    assert path.with_name(path.name + ".bak").exists()
    (tmp_path / "broken.toml").write_text("not = [toml", encoding="utf-8")
    looked: list[str] = []
    real = listing._backup_version
    monkeypatch.setattr(listing, "_backup_version", lambda at: looked.append(at.name) or real(at))  # type: ignore[func-returns-value]  # a spy: notes the call, then makes the real one
    listing._summaries.clear()
    listing._on_disk.clear()
    listed = list_sessions(tmp_path)
    assert [type(item).__name__ for item in listed] == ["SessionSummary", "UnreadableFile"]
    assert looked == ["broken.toml"]


def test_a_save_whose_time_cannot_be_set_still_lands_and_is_listed_by_reading_it_whole(
    tmp_path: Path, whole_reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The time is set after the rename (it made the file's fsync slower before it): the
    # save has happened by then, and the time is only the listing's hint.
    session = _half_done(title="No time", status="running")
    path = create_session(tmp_path, session)
    loaded = load_session(path)
    loaded.session.title = "No time, saved"

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    with monkeypatch.context() as patched:
        patched.setattr("workshop.storage.atomic.os.utime", refuse)
        stamp = save_data(session_data(loaded.session), path, expect=loaded.stamp)
    found = path.stat()
    assert stamp is not None and (stamp.size, stamp.mtime_ns) == (found.st_size, found.st_mtime_ns)
    assert written_mtime_ns(path.read_bytes()) != found.st_mtime_ns
    listing._summaries.clear()
    summary = summarise(path)
    assert summary.title == "No time, saved" and len(whole_reads) == 1
