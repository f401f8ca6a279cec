"""The session store: serialising, names, saving, loading, listing, finding."""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from factories import BASE_TIME, make_session, pack_data, sessions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.domain.models.pack import Pack
from workshop.domain.models.session import ActivityProgress, Participant, Session
from workshop.storage.quick_listing import quick_summary
from workshop.storage.store import (
    LoadedSession,
    LockedElsewhere,
    SaveError,
    SessionNotFound,
    SessionSummary,
    UnreadableFile,
    create_session,
    dump_session,
    find_session,
    list_sessions,
    load_session,
    open_session,
    parse_session,
    remove_stale_temp_files,
    save_session,
    session_filename,
    session_path,
    summarise,
)
from workshop.storage.tomlsafe import FileProblems

SMALL = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


# -- serialising ----------------------------------------------------------------------


@SMALL
@given(sessions())
def test_round_trip_of_random_sessions(session: Session) -> None:
    text = dump_session(session)
    assert parse_session(text, "x.toml") == session
    # And it is what a plain TOML reader sees, too (no writer-specific escapes).
    assert tomllib.loads(text)["title"] == session.title


def test_awkward_text_round_trips_exactly() -> None:
    awkward = 'Line one\nLine "two"\twith tab\n\'single\' """triple""" \\ back\\slash\n😀 👩🏽‍💻 مرحبا بالعالم שלום\u200f\nend with quote"'
    session = make_session(title='Quotes "and" emoji 😀 مرحبا')
    session.note_for("s1-3").text = awkward
    session.proposals[0].details = awkward + "\\"
    again = parse_session(dump_session(session), "x.toml")
    assert again == session
    assert again.note_for("s1-3").text == awkward
    assert again.proposals[0].details == awkward + "\\"


def test_dump_is_stable_and_in_field_order_without_none() -> None:
    session = make_session()
    text = dump_session(session)
    assert text == dump_session(parse_session(text, "x.toml"))
    keys = [line.split(" =")[0] for line in text.splitlines() if " = " in line and not line.startswith(" ")]
    assert keys[:6] == ["schema", "id", "title", "team", "facilitator", "date"]
    assert "None" not in text and "available_minutes" not in text
    # The long agenda comes last, after everything the room recorded.
    after_agenda = text[text.index("\n[agenda]\n") :]
    assert all(line.startswith(("[agenda", "[[agenda")) for line in after_agenda.splitlines() if line.startswith("["))
    assert text.index("[agenda]") > text.index("[[notes]]")


def test_parse_problems_name_file_key_and_line() -> None:
    text = dump_session(make_session()).replace('status = "planned"', 'status = "sleeping"')
    with pytest.raises(FileProblems) as caught:
        parse_session(text, "s.toml")
    problem = caught.value.first
    assert problem.key == "status" and problem.line is not None
    assert str(problem).startswith("s.toml:")


# -- file names -----------------------------------------------------------------------

HOSTILE_TITLES = [
    "../../etc/passwd",
    "CON",
    "con",
    "nul",
    "Nul",
    "LPT1",
    "com9",
    "   ",
    "   x   ",
    "..",
    ".hidden",
    "a/b\\c",
    "x" * 500,
    "é" * 300,
    "😀😀",
    "مرحبا بالعالم",
    "שלום",
    "C:\\Windows\\system32",
    "-",
    "~/x",
    "a\x00b",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=range(len(HOSTILE_TITLES)))
def test_file_names_are_safe(title: str, tmp_path: Path) -> None:
    # model_copy skips validation, so the name is tested against any text at all
    # (the model itself refuses blank or over-long titles).
    session = make_session(id="abc.def-g_h").model_copy(update={"title": title})
    name = session_filename(session)
    stem = name.removesuffix(".toml")
    assert name.endswith(".toml") and name.isascii()
    assert "/" not in name and "\\" not in name and ".." not in name and not name.startswith(".")
    assert len(name) <= 10 + 1 + 40 + 1 + 64 + 5
    assert stem.startswith("2025-03-14-") and stem.endswith("-abc-def-g_h")
    slug = stem.removeprefix("2025-03-14-").removesuffix("-abc-def-g_h")
    assert slug and len(slug) <= 40 and slug.lower() not in {"con", "prn", "aux", "nul", "lpt1", "com9"}
    path = session_path(tmp_path, session)
    assert path.parent == tmp_path and path.resolve().parent == tmp_path.resolve()


def test_file_name_examples() -> None:
    assert session_filename(make_session(title="Away day: Q3 / planning")) == "2025-03-14-away-day-q3-planning-abcd2345.toml"
    assert session_filename(make_session(title="😀")) == "2025-03-14-session-abcd2345.toml"
    assert session_filename(make_session(title="مرحبا")) == "2025-03-14-session-abcd2345.toml"
    assert session_filename(make_session(title="CON")) == "2025-03-14-session-abcd2345.toml"


def test_session_path_refuses_a_planted_symlink(tmp_path: Path) -> None:
    session = make_session()
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / session_filename(session)).symlink_to(outside / "target.toml")
    with pytest.raises(ValueError, match="outside"):
        session_path(folder, session)
    with pytest.raises(SaveError):
        create_session(folder, session)
    assert not (outside / "target.toml").exists()


# -- create and save ------------------------------------------------------------------


def test_create_makes_the_folder_and_a_private_file(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    session = make_session()
    path = create_session(folder, session)
    assert path == folder / session_filename(session)
    assert load_session(path).session == session
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session())
    before = path.read_bytes()
    with pytest.raises(SaveError, match="already exists"):
        create_session(tmp_path, make_session(team="Other"))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_save_keeps_previous_version_as_bak(tmp_path: Path) -> None:
    session = make_session()
    path = create_session(tmp_path, session)
    first = path.read_bytes()
    session.team = "Second"
    save_session(session, path)
    second = path.read_bytes()
    assert Path(f"{path}.bak").read_bytes() == first
    session.team = "Third"
    save_session(session, path)
    assert Path(f"{path}.bak").read_bytes() == second
    assert load_session(path).session.team == "Third"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, path.name + ".bak"]


def test_save_keeps_permissions(tmp_path: Path) -> None:
    session = make_session()
    path = create_session(tmp_path, session)
    path.chmod(0o640)
    session.team = "Changed"
    save_session(session, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    path.chmod(0o604)
    save_session(session, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


def test_save_sets_updated_at_unless_told_not_to(tmp_path: Path) -> None:
    session = make_session()
    path = create_session(tmp_path, session)
    assert session.updated_at == BASE_TIME  # create keeps what the caller set
    save_session(session, path, touch=False)
    assert load_session(path).session.updated_at == BASE_TIME
    before = datetime.now(timezone.utc).replace(microsecond=0)
    save_session(session, path)
    assert session.updated_at >= before
    assert load_session(path).session.updated_at == session.updated_at


def test_save_refuses_a_session_that_would_not_read_back(tmp_path: Path) -> None:
    session = make_session()
    path = create_session(tmp_path, session)
    before = path.read_bytes()
    # Appending bypasses the model's checks: two participants now share an id.
    session.participants.append(Participant(id="p1", name="Twin"))
    with pytest.raises(SaveError, match="not valid.*'p1' is used twice.*nothing was written"):
        save_session(session, path)
    with pytest.raises(SaveError, match="would not read back.*'p1' is used twice.*nothing was written"):
        save_session(session, path, touch=False)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_save_refuses_to_overwrite_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(b"this is [not toml")
    with pytest.raises(SaveError, match="not a readable session.*left untouched"):
        save_session(make_session(), path)
    assert path.read_bytes() == b"this is [not toml"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]


def test_save_refuses_to_overwrite_another_session(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(id="first"))
    before = path.read_bytes()
    with pytest.raises(SaveError, match="another session"):
        save_session(make_session(id="second"), path)
    assert path.read_bytes() == before


def test_loaded_session_saves_without_rereading_and_notices_corruption(tmp_path: Path, monkeypatch) -> None:
    path = create_session(tmp_path, make_session())
    loaded = load_session(path)
    loaded.session.team = "New team"
    calls = []
    import workshop.storage.saving as saving
    from workshop.storage.session_format import parse_session_text as real

    monkeypatch.setattr(saving, "parse_session_text", lambda text, shown: calls.append(shown) or real(text, shown))  # type: ignore[func-returns-value]  # a spy: notes the call, then makes the real one
    loaded.save()
    loaded.save()
    assert calls == []  # the file was exactly as we left it: no re-read
    path.write_text("garbage = [", encoding="utf-8")
    with pytest.raises(SaveError, match="not a readable session"):
        loaded.save()
    assert path.read_text(encoding="utf-8") == "garbage = ["


def test_loaded_session_saves_a_snapshot(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session())
    loaded = load_session(path)
    snapshot = loaded.session.model_copy(deep=True)
    snapshot.team = "From a worker"
    loaded.save(snapshot)
    assert load_session(path).session.team == "From a worker"
    with pytest.raises(SaveError, match="another session"):
        loaded.save(make_session(id="other"))


def test_save_recreates_a_deleted_file(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session())
    loaded = load_session(path)
    path.unlink()
    loaded.save()
    assert load_session(path).session.id == loaded.session.id


def test_read_only_session_cannot_be_saved(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session())
    loaded = open_session(path, read_only=True)
    assert loaded.read_only and loaded.lock is None
    with pytest.raises(SaveError, match="read-only"):
        loaded.save()


# -- newer schemas --------------------------------------------------------------------


def _write_newer(path: Path, extra: str = "") -> None:
    text = dump_session(make_session()).replace("schema = 1\n", "schema = 7\n" + extra, 1)
    path.write_text(text, encoding="utf-8")


def test_newer_schema_opens_read_only_and_is_never_downgraded(tmp_path: Path) -> None:
    path = tmp_path / "newer.toml"
    _write_newer(path, 'mood = "sunny"\n')
    before = path.read_bytes()
    loaded = load_session(path)
    assert loaded.read_only and loaded.reason == "written by a newer workshop (schema 7); open read-only"
    assert loaded.session.title == "Away day"
    with pytest.raises(SaveError, match="newer workshop"):
        loaded.save()
    with pytest.raises(SaveError, match="newer workshop"):
        save_session(loaded.session, tmp_path / "elsewhere.toml")
    with pytest.raises(SaveError, match="newer workshop"):
        save_session(make_session(), path)  # a current session over a newer file
    assert path.read_bytes() == before
    opened = open_session(path)
    assert opened.read_only and opened.lock is None


def test_newer_schema_with_unknown_nested_keys_is_still_readable(tmp_path: Path) -> None:
    path = tmp_path / "newer.toml"
    text = dump_session(make_session()).replace("schema = 1\n", "schema = 3\n", 1)
    text = text.replace('kind = "read"\n', 'kind = "read"\nvoice = "calm"\n', 1)
    text = text.replace("[voting]\n", "[voting]\nweighted = true\n", 1)
    assert 'voice = "calm"' in text and "weighted = true" in text
    path.write_text(text, encoding="utf-8")
    loaded = load_session(path)
    assert loaded.read_only and "schema 3" in (loaded.reason or "")


def test_newer_schema_that_cannot_be_read_says_so(tmp_path: Path) -> None:
    path = tmp_path / "newer.toml"
    text = dump_session(make_session()).replace("schema = 1\n", "schema = 9\n", 1).replace('title = "Away day"\n', "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        load_session(path)
    assert "written by a newer workshop (schema 9)" in caught.value.first.reason
    assert any(problem.key == "title" for problem in caught.value.problems)


# -- listing --------------------------------------------------------------------------


def _summary_from_model(session: Session, path: Path) -> SessionSummary:
    return SessionSummary(
        session.id, session.title, session.team, session.date, session.status, session.percent_complete, session.updated_at, path, session.schema_
    )


def _random_included(draw_flags: list[bool], sections: int = 3) -> Session:
    data = pack_data(sections)
    flags = iter(draw_flags)
    for section in data["sections"]:
        section["included"] = next(flags, True)
        for activity in section["activities"]:
            activity["included"] = next(flags, True)
    if not any(s["included"] and any(a["included"] for a in s["activities"]) for s in data["sections"]):
        data["sections"][0]["included"] = data["sections"][0]["activities"][0]["included"] = True
    return make_session(agenda=Pack.model_validate(data).snapshot())


@SMALL
@given(sessions(), st.lists(st.booleans(), max_size=20), st.data())
def test_quick_summary_matches_the_full_model(tmp_path_factory, session: Session, flags: list[bool], data) -> None:
    folder = tmp_path_factory.mktemp("quick")
    varied = _random_included(flags)
    session.agenda = varied.agenda
    activity_ids = [activity.id for _, activity in session.agenda.activities(included_only=False)]
    chosen = data.draw(st.lists(st.sampled_from(activity_ids), unique=True))
    session.progress = [
        ActivityProgress(
            activity_id=aid, state=data.draw(st.sampled_from(["pending", "done", "skipped", "running"])), started_at=data.draw(st.none() | st.just(BASE_TIME))
        )
        for aid in chosen
    ]
    path = folder / "s.toml"
    save_session(session, path, touch=False)
    text = path.read_text(encoding="utf-8")
    if "'''" not in text:
        assert quick_summary(text, 1) is not None, "the quick path should read every file we write"
    assert summarise(path) == _summary_from_model(session, path)


def test_list_newest_first_ignoring_sidecars_and_reporting_bad_files(tmp_path: Path) -> None:
    old = make_session(id="old1", title="Old", updated_at=BASE_TIME - timedelta(days=3))
    new = make_session(id="new1", title="New", updated_at=BASE_TIME)
    same_time_later_date = make_session(id="mid1", title="Mid", date=date(2025, 1, 1), updated_at=BASE_TIME - timedelta(days=1))
    for session in (old, new, same_time_later_date):
        create_session(tmp_path, session)
    save_session(old, tmp_path / session_filename(old), touch=False)  # makes a .bak
    (tmp_path / "zz-corrupt.toml").write_bytes(b"\x00\x01garbage")
    (tmp_path / "aa-foreign.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / ".hidden.toml").write_text("x = 1", encoding="utf-8")
    (tmp_path / ".old1.toml.ab12.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".x.toml.lock").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "folder.toml").mkdir()
    items = list_sessions(tmp_path)
    assert [getattr(item, "id", None) for item in items] == ["new1", "mid1", "old1", None, None]
    assert all(isinstance(item, SessionSummary) for item in items[:3])
    foreign, corrupt = items[3], items[4]
    assert isinstance(foreign, UnreadableFile) and foreign.path.name == "aa-foreign.toml"
    assert "schema" in foreign.error and "does not look like a workshop session" in foreign.error
    assert isinstance(corrupt, UnreadableFile) and corrupt.error.startswith(str(corrupt.path))
    assert "not valid TOML" in corrupt.error
    assert "\n" not in foreign.error and "\n" not in corrupt.error
    assert items[0].progress == make_session().percent_complete


def test_list_of_missing_folder_is_empty(tmp_path: Path) -> None:
    assert list_sessions(tmp_path / "nope") == []


def test_list_falls_back_for_hand_written_files(tmp_path: Path) -> None:
    session = make_session()
    text = dump_session(session)
    # Valid TOML this workshop never writes: a literal string and a comment.
    text = text.replace('title = "Away day"', "title = 'Away day' # renamed by hand")
    path = tmp_path / "hand.toml"
    path.write_text(text, encoding="utf-8")
    assert quick_summary(text, 1) is None
    assert list_sessions(tmp_path) == [_summary_from_model(session, path)]


def test_list_reports_a_truncated_file(tmp_path: Path) -> None:
    session = make_session()
    text = dump_session(session)
    path = tmp_path / "cut.toml"
    path.write_text(text[: text.index("[agenda]") + 20], encoding="utf-8")
    [item] = list_sessions(tmp_path)
    assert isinstance(item, UnreadableFile)


def test_completed_and_empty_progress(tmp_path: Path) -> None:
    done = make_session(id="done1", status="completed", progress=[])
    path = create_session(tmp_path, done)
    assert summarise(path).progress == 100 == done.percent_complete


# -- finding --------------------------------------------------------------------------


def test_find_by_path_id_and_prefix(tmp_path: Path) -> None:
    a = create_session(tmp_path, make_session(id="abcd1234"))
    b = create_session(tmp_path, make_session(id="abcd9999"))
    c = create_session(tmp_path, make_session(id="zyxw0000"))
    assert find_session(tmp_path, str(a)) == a
    assert find_session(tmp_path, a.name) == a
    assert find_session(tmp_path, "abcd1234") == a
    assert find_session(tmp_path, "ABCD9") == b
    assert find_session(tmp_path, "zyxw") == c
    with pytest.raises(SessionNotFound, match="^The id prefix 'abcd' matches 2 sessions"):
        find_session(tmp_path, "abcd")
    with pytest.raises(SessionNotFound, match="at least 4"):
        find_session(tmp_path, "zyx")
    with pytest.raises(SessionNotFound, match="^No session with id 'qqqq'"):
        find_session(tmp_path, "qqqq")
    with pytest.raises(SessionNotFound, match="^No such session file"):
        find_session(tmp_path, "missing.toml")


def test_find_by_file_name_without_the_suffix(tmp_path: Path, monkeypatch) -> None:
    a = create_session(tmp_path, make_session(id="abcd1234"))
    stem = a.name.removesuffix(".toml")
    assert find_session(tmp_path, stem) == a
    assert find_session(tmp_path / "elsewhere", str(tmp_path / stem)) == tmp_path / a.name
    monkeypatch.chdir(tmp_path)
    assert find_session(tmp_path / "elsewhere", f"./{stem}") == Path(f"./{a.name}")
    with pytest.raises(SessionNotFound, match="^No such session file"):
        find_session(tmp_path, str(tmp_path / "missing"))


# -- opening for editing --------------------------------------------------------------


def test_open_session_holds_the_lock_until_closed(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session())
    with open_session(path) as loaded:
        assert isinstance(loaded, LoadedSession) and loaded.lock is not None and loaded.lock.held
        with pytest.raises(LockedElsewhere) as caught:
            open_session(path)
        assert caught.value.pid == os.getpid()
        assert open_session(path, read_only=True).read_only
        loaded.session.team = "Edited"
        loaded.save()
    reopened = open_session(path)
    assert reopened.session.team == "Edited"
    reopened.close()


def test_open_session_releases_the_lock_when_the_file_is_bad(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("nope", encoding="utf-8")
    with pytest.raises(FileProblems):
        open_session(path)
    path.write_text(dump_session(make_session()), encoding="utf-8")
    open_session(path).close()


def test_stale_temp_files_are_removed_only_when_old(tmp_path: Path) -> None:
    fresh = tmp_path / ".a.toml.x1.tmp"
    stale = tmp_path / ".a.toml.x2.tmp"
    keep = tmp_path / "a.toml"
    for file in (fresh, stale, keep):
        file.write_text("x", encoding="utf-8")
    old = os.stat(stale).st_mtime - 3600
    os.utime(stale, (old, old))
    os.utime(keep, (old, old))
    assert remove_stale_temp_files(tmp_path) == 1
    assert fresh.exists() and keep.exists() and not stale.exists()


def test_store_never_imports_textual() -> None:
    import subprocess

    code = (
        "import sys, workshop.storage.store, workshop.storage.locking, workshop.storage.migrate; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    assert result.stdout.strip() == "False"


# -- a corrupt session with a readable backup ------------------------------------------


def test_an_unreadable_session_with_a_readable_backup_says_so(tmp_path: Path) -> None:
    session = make_session()
    path = create_session(tmp_path, session)
    session.team = "Saved twice"
    save_session(session, path)  # the first version is now the .bak
    path.write_text('title = "half\n', encoding="utf-8")
    (item,) = list_sessions(tmp_path)
    assert isinstance(item, UnreadableFile)
    assert item.error.startswith(f"{path}:1: ")
    assert item.error.endswith(f"; a readable backup is at {path.name}.bak: rename it to {path.name} to restore it")
    # A backup that is unreadable too is not offered.
    Path(f"{path}.bak").write_text("nope", encoding="utf-8")
    (item,) = list_sessions(tmp_path)
    assert isinstance(item, UnreadableFile) and "backup" not in item.error
