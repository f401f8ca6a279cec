"""Faster saves and loads: no read-back, the kept agenda text, the autosaver's pace, the
bracket scan and the text cleaning's fast path.

A save no longer reads its own text back (that was three quarters of its time): these
tests hold the reasons that is safe, on random and on extreme sessions.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from factories import make_session, sessions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.domain.models.limits import MAX_DOTS, MAX_HANDS, MAX_POSITION, MAX_RECORDED_SECONDS
from workshop.domain.models.session import ActivityProgress, Session
from workshop.domain.text import clean_text
from workshop.storage.autosave import Autosaver
from workshop.storage.session_format import dump_data, parse_session, session_data
from workshop.storage.store import SaveError, create_session, load_session, open_session, save_data, save_session
from workshop.storage.tomlsafe import MAX_DEPTH, _bracket_depth

SMALL = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SMALL
@given(sessions(), sessions())
def test_dump_data_is_exactly_tomli_w_with_the_agenda_kept_or_not(first: Session, second: Session) -> None:
    for session in (first, second, first):  # the agenda's text kept, replaced, kept again
        data = session_data(session)
        assert dump_data(data) == tomli_w.dumps(data, multiline_strings=True)


@SMALL
@given(sessions())
def test_a_saved_session_reads_back_equal_without_being_parsed_back(tmp_path_factory: pytest.TempPathFactory, session: Session) -> None:
    folder = tmp_path_factory.mktemp("save")
    path = create_session(folder, session)
    save_session(session, path)
    assert load_session(path).session == session


def test_the_extremes_the_model_allows_read_back_exactly(tmp_path: Path) -> None:
    # Every number is bounded and every time is UTC: nothing TOML cannot hold.
    odd_zone = timezone(timedelta(hours=5, minutes=45))
    session = make_session(
        created_at=datetime(2025, 3, 14, 9, 30, 59, 999999, tzinfo=odd_zone),
        progress=[
            ActivityProgress(activity_id="s1-1", state="done", elapsed_seconds=MAX_RECORDED_SECONDS),
            ActivityProgress(activity_id="s1-2", state="done", elapsed_seconds=1e-300),
        ],
    )
    session.proposals[0].position = MAX_POSITION
    path = create_session(tmp_path, session)
    save_session(session, path)
    again = load_session(path).session
    assert again == session and again.created_at.utcoffset() == timedelta(0)
    assert MAX_DOTS < MAX_HANDS < 10**30


def test_save_data_writes_the_snapshot_with_a_new_updated_at(tmp_path: Path) -> None:
    session = make_session(title="Before")
    path = create_session(tmp_path, session)
    data = session_data(session)
    data["title"] = "From the snapshot"
    stamp = save_data(data, path, expect=load_session(path).stamp)
    loaded = load_session(path)
    assert loaded.session.title == "From the snapshot" and loaded.stamp == stamp
    assert loaded.session.updated_at > session.updated_at
    assert parse_session(path.read_text("utf-8"), "x").title == "From the snapshot"


def test_save_data_refuses_a_newer_schema_and_writes_nothing(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session())
    before = path.read_bytes()
    data = session_data(make_session())
    data["schema"] = 999
    with pytest.raises(SaveError, match="newer workshop.*downgrade"):
        save_data(data, path)
    assert path.read_bytes() == before


def test_a_session_invalid_in_place_is_still_refused_on_save(tmp_path: Path) -> None:
    session = make_session()
    path = create_session(tmp_path, session)
    session.participants.append(session.participants[0].model_copy())
    with pytest.raises(SaveError, match="not valid.*nothing was written"):
        save_session(session, path)


def test_the_autosaver_waits_the_last_saves_length_before_flushing_again(tmp_path: Path) -> None:
    opened = open_session(create_session(tmp_path, make_session(title="First")))
    release = threading.Event()
    titles: list[str] = []

    def slow_save(_: object, snapshot: Session) -> None:
        titles.append(snapshot.title)
        release.wait(10)

    saver = Autosaver(opened, save=slow_save)
    opened.session.title = "One"
    saver.mark_dirty()
    release.set()
    assert saver.flush(wait=True, timeout=10)
    # The last save took long (as if the disk were slow): a flush that does not wait is
    # put off, the session stays dirty; a waited flush goes through.
    saver._last_save_seconds = 3600.0
    opened.session.title = "Two"
    saver.mark_dirty()
    assert saver.flush() is True
    assert saver.dirty and titles == ["One"]
    assert saver.flush(wait=True, timeout=10)
    assert titles == ["One", "Two"] and not saver.dirty
    assert saver.close(10)


def test_a_phone_hears_recorded_only_once_its_own_change_is_on_disk_even_when_saves_are_slow(tmp_path: Path) -> None:
    # save_now used to flush without `at_once`: put off after a slow save, `handed` still
    # named the older snapshot, and the wait for it returned before the phone's ballot
    # was written.
    import asyncio

    from workshop.service.commits import GroupCommit

    opened = open_session(create_session(tmp_path, make_session(title="First")))
    titles: list[str] = []
    saver = Autosaver(opened, save=lambda _loaded, snapshot: titles.append(snapshot.title))
    opened.session.title = "One"
    saver.mark_dirty()
    assert saver.flush(wait=True, timeout=10)
    saver._last_save_seconds = 3600.0
    opened.session.title = "A phone's change"
    saver.mark_dirty()
    asyncio.run(GroupCommit(saver).recorded())
    assert titles[-1] == "A phone's change" and not saver.dirty
    assert saver.close(10)


def _bracket_depth_by_characters(text: str) -> int:
    """The character-by-character scan `tomlsafe._bracket_depth` replaced, as the reference."""
    deepest = depth = 0
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
        elif char in "\"'":
            triple = text[index : index + 3]
            if triple in ('"""', "'''"):
                close = text.find(triple, index + 3)
                index = length if close < 0 else close + 3
                continue
            index += 1
            while index < length and text[index] not in (char, "\n"):
                index += 2 if char == '"' and text[index] == "\\" else 1
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return deepest


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(['"', "'", '"""', "'''", "\\", "\n", "[", "]", "{", "}", "#", "a", " ", '\\"', "\\\n", "é"]), max_size=40))
def test_bracket_depth_counts_as_the_character_scan_did(parts: list[str]) -> None:
    text = "".join(parts)
    assert _bracket_depth(text) == _bracket_depth_by_characters(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["\r\n", "\r", "\x00", "\u202e", "\ud800", "e\u0301", ""]))
def test_clean_text_fast_path_changes_nothing_it_should_not(text: str, awkward: str) -> None:
    value = text + awkward + text
    expected = _clean_text_slowly(value)
    assert clean_text(value) == expected


def _clean_text_slowly(value: str) -> str:
    value = re.sub("[\ud800-\udfff]", "\ufffd", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", value)
    value = re.sub("[\u202a-\u202e\u2066-\u2069]", "", value)
    return unicodedata.normalize("NFC", value)


def test_the_time_zone_check_accepts_exactly_the_listed_zones() -> None:
    from zoneinfo import available_timezones

    from workshop.domain.models.session import _is_zone

    zones = available_timezones()
    assert zones, "this machine has a time zone database"
    assert all(_is_zone(name) for name in zones)
    for name in ("posixrules", "posix/Europe/London", "right/UTC", "europe/london", "../etc/passwd", "/etc/localtime", "", "zone.tab", "Europe"):
        assert not _is_zone(name), name
    assert make_session(timezone="Europe/London").timezone == "Europe/London"
    with pytest.raises(ValueError, match="is not an IANA time zone name"):
        make_session(timezone="Mars/Olympus_Mons")


def test_listing_needs_no_pydantic_and_knows_the_models_keys(tmp_path: Path) -> None:
    import subprocess
    import sys

    from workshop.storage.listing import _TOP_LEVEL_KEYS

    assert _TOP_LEVEL_KEYS == {field.alias or name for name, field in Session.model_fields.items()}
    create_session(tmp_path, make_session())
    code = (
        "import sys; from pathlib import Path; from workshop.storage.listing import list_sessions; "
        f"items = list_sessions(Path({str(tmp_path)!r})); print(len(items), 'pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1])
    assert result.stdout.split() == ["1", "False"]


def test_listing_again_reads_only_the_files_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop.storage import listing

    first = make_session(title="First")
    second = make_session(id="efgh6789", title="Second")
    path = create_session(tmp_path, first)
    create_session(tmp_path, second)
    assert {item.title for item in listing.list_sessions(tmp_path)} == {"First", "Second"}
    read: list[Path] = []
    real = listing._quick_summary
    monkeypatch.setattr(listing, "_quick_summary", lambda where: read.append(where) or real(where))  # type: ignore[func-returns-value]  # a spy: notes the call, then makes the real one
    assert len(listing.list_sessions(tmp_path)) == 2 and read == []
    first.title = "First, renamed"
    save_session(first, path)
    titles = {item.title for item in listing.list_sessions(tmp_path)}
    assert titles == {"First, renamed", "Second"} and read == [path]
    path.unlink()
    assert [item.title for item in listing.list_sessions(tmp_path)] == ["Second"]
    assert path not in listing._summaries


_KEYS = st.text(alphabet="abcdefgh_-", min_size=1, max_size=6)
_SCALARS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.text(max_size=130),
    st.datetimes(timezones=st.just(timezone.utc)),
    st.floats(allow_nan=False, allow_infinity=False),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=12)
_ELEMENTS = st.dictionaries(st.sampled_from(["id", "text", "n", "sub"]), _VALUES, max_size=4)
_DOCUMENTS = st.dictionaries(_KEYS, st.one_of(_SCALARS, st.dictionaries(_KEYS, _VALUES, max_size=3), st.lists(_ELEMENTS, max_size=5)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(_DOCUMENTS, _DOCUMENTS)
def test_dump_data_is_exactly_tomli_w_for_any_data_with_its_pieces_kept_or_not(first: dict, second: dict) -> None:
    # Short and long elements mixed, ids repeated or missing, empty tables, tables in
    # tables: whatever is kept from the last dump, the text is tomli_w's own.
    for data in (first, second, first, {**first, **second}):
        assert dump_data(data) == tomli_w.dumps(data, multiline_strings=True)


def test_dump_data_stays_exact_when_a_text_holds_the_marker_it_cuts_elements_apart_at() -> None:
    # dump_data writes new array elements in one dump, each after a never-inline marker
    # element, and cuts there; a text typed to look like that marker must not move a cut.
    from workshop.storage.piecewise import _NEVER_INLINE, forget_dumped

    marker = tomli_w.dumps({"proposals": [_NEVER_INLINE]}, multiline_strings=True)
    hostile = [f"\n{marker}\n", marker, '"""\n\n"""', "[[proposals]]\n_ = 1", "\n" * 3]
    data: dict = {
        "id": "s",
        "proposals": [{"id": f"p{n}", "text": text, "n": n} for n, text in enumerate(hostile * 2)],
        "notes": [{"text": text} for text in hostile],
    }
    forget_dumped()
    assert dump_data(data) == tomli_w.dumps(data, multiline_strings=True)
    # A fresh snapshot, as session_data gives (dump_data keeps the last one's pieces).
    data = {**data, "proposals": [dict(item) for item in data["proposals"]]}
    data["proposals"][3]["text"] += "!"
    assert dump_data(data) == tomli_w.dumps(data, multiline_strings=True)


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 60, 300, 5000])
def test_nesting_is_refused_past_the_limit_however_deep_though_no_longer_counted_first(depth: int) -> None:
    # The brackets are counted only when tomllib runs out of stack or the data is deeper
    # than the limit allows; the verdict and its words are as when they were always counted.
    from workshop.storage.tomlsafe import FileProblems, parse_toml

    inline = "a = " + "[" * depth + "1" + "]" * depth + "\n"
    if depth <= MAX_DEPTH:
        assert parse_toml(inline, "x")["a"]
    else:
        with pytest.raises(FileProblems, match=f"nested {depth} levels deep; at most {MAX_DEPTH}"):
            parse_toml(inline, "x")
    # Tables in tables are not inline nesting: as deep as anyone writes them, allowed.
    headers = "[" + ".".join(f"t{n}" for n in range(min(depth, 60))) + "]\nx = 1\n"
    assert parse_toml(headers, "x")


def test_an_id_made_twice_by_one_changed_item_is_refused_though_the_rest_were_checked_before(tmp_path: Path) -> None:
    # The save reads again only the ids of items that are other objects than last time
    # (one proposal of a thousand changed): a changed item taking another's id is still caught.
    session = make_session()
    path = create_session(tmp_path, session)
    data = session_data(session)
    people = data["participants"]
    assert len(people) >= 2
    stamp = save_data(data, path, expect=load_session(path).stamp)
    again = dict(data, participants=[*people[:-1], dict(people[-1], id=people[0]["id"])])
    before = path.read_bytes()
    with pytest.raises(SaveError, match=f"not valid.*'{people[0]['id']}' is used twice.*nothing was written"):
        save_data(again, path, expect=stamp)
    assert path.read_bytes() == before
