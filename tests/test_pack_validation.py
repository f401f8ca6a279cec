"""Every way a pack can be broken gets one plain line naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from pack_texts import VALID_PACK

from workshop.storage.packs import load_pack
from workshop.storage.validate_file import check_file


def write(tmp_path: Path, text: str | bytes, name: str = "pack.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str | bytes) -> list[str]:
    return [str(problem) for problem in check_file(write(tmp_path, text))]


def test_valid_pack_has_no_problems(tmp_path):
    assert problems_of(tmp_path, VALID_PACK) == []
    pack = load_pack(write(tmp_path, VALID_PACK))
    assert pack.minutes == 30
    assert [a.id for _, a in pack.activities()] == ["welcome", "collab-rate", "collab-talk"]


def test_not_toml_names_line(tmp_path):
    (line,) = problems_of(tmp_path, VALID_PACK + "\nthis is = = not toml\n")
    path = tmp_path / "pack.toml"
    assert line.startswith(f"{path}:47: is not valid TOML")


def test_not_utf8(tmp_path):
    (line,) = problems_of(tmp_path, VALID_PACK.encode() + b'\nnote = "caf\xe9"\n')
    assert "is not UTF-8 text" in line
    assert ":47:" in line


def test_too_large(tmp_path):
    (line,) = problems_of(tmp_path, VALID_PACK + "#" * (1 << 20) + "\n")
    assert "too large" in line


def test_absurd_nesting(tmp_path):
    (line,) = problems_of(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested 5000 levels deep" in line


def test_huge_integer(tmp_path):
    text = VALID_PACK.replace("minutes = 5\n", "minutes = " + "9" * 5000 + "\n")
    (line,) = problems_of(tmp_path, text)
    assert line == f"{tmp_path / 'pack.toml'}:22: number is absurdly large (over 30 digits)"
    text = VALID_PACK.replace("minutes = 5\n", "minutes = " + "9" * 40 + "\n")
    (line,) = problems_of(tmp_path, text)
    assert line == f"{tmp_path / 'pack.toml'}:22: sections[0].activities[0].minutes: number is absurdly large (over 30 digits)"


def test_unknown_key(tmp_path):
    text = VALID_PACK.replace("minutes = 5\n", "minutes = 5\nminuets = 4\n")
    (line,) = problems_of(tmp_path, text)
    assert line == f"{tmp_path / 'pack.toml'}:23: sections[0].activities[0].minuets: unknown key (not part of the format; check its spelling)"


def test_wrong_type(tmp_path):
    text = VALID_PACK.replace("minutes = 15", 'minutes = "fifteen"')
    (line,) = problems_of(tmp_path, text)
    assert line.endswith("sections[1].activities[1].minutes: should be a whole number, not text")
    assert ":44:" in line


def test_minutes_out_of_range(tmp_path):
    text = VALID_PACK.replace("minutes = 10", "minutes = 241")
    (line,) = problems_of(tmp_path, text)
    assert "sections[1].activities[0].minutes: should be at most 240, not 241" in line


def test_zero_minutes(tmp_path):
    text = VALID_PACK.replace("minutes = 10", "minutes = 0")
    (line,) = problems_of(tmp_path, text)
    assert "should be at least 1" in line


def test_dangling_behaviour_reference(tmp_path):
    text = VALID_PACK.replace('behaviour = "collab"', 'behaviour = "simplify"')
    (line,) = problems_of(tmp_path, text)
    assert line == f"{tmp_path / 'pack.toml'}:28: sections[1].behaviour: refers to behaviour 'simplify', which the pack does not define"


def test_duplicate_ids(tmp_path):
    text = VALID_PACK.replace('id = "collab-talk"', 'id = "welcome"')
    (line,) = problems_of(tmp_path, text)
    assert "sections[1].activities[1].id: activity id 'welcome' is used twice" in line


def test_unknown_kind(tmp_path):
    text = VALID_PACK.replace('kind = "discuss"', 'kind = "chat"')
    (line,) = problems_of(tmp_path, text)
    assert "sections[1].activities[1]: unknown kind 'chat'; expected one of: read, rate, discuss" in line


def test_empty_agenda(tmp_path):
    head = VALID_PACK.split("[[sections]]")[0]
    (line,) = problems_of(tmp_path, head)
    assert line.endswith("sections: required key is missing")
    (line,) = problems_of(tmp_path, "sections = []\n" + head)
    assert line.endswith("sections: is empty")


def test_everything_left_out_is_empty(tmp_path):
    text = VALID_PACK.replace('title = "Opening"', 'title = "Opening"\nincluded = false').replace(
        'behaviour = "collab"\n', 'behaviour = "collab"\nincluded = false\n'
    )
    (line,) = problems_of(tmp_path, text)
    assert "every section is left out" in line


def test_missing_required_and_empty_text(tmp_path):
    text = VALID_PACK.replace('text = "Hello."', 'text = ""').replace('title = "Tiny workshop"\n', "")
    lines = problems_of(tmp_path, text)
    assert any(line.endswith(": title: required key is missing") for line in lines)
    assert any("sections[0].activities[0].text: should not be empty" in line for line in lines)


def test_bad_id_and_version(tmp_path):
    text = VALID_PACK.replace('id = "tiny"', 'id = "Tiny Pack"').replace('version = "1.0"', 'version = "one"')
    lines = problems_of(tmp_path, text)
    assert any(":1: id: 'Tiny Pack' is not a valid id" in line for line in lines)
    assert any(":4: version: 'one' is not a version number" in line for line in lines)


def test_too_long_text(tmp_path):
    text = VALID_PACK.replace('title = "Welcome"', 'title = "' + "W" * 500 + '"')
    (line,) = problems_of(tmp_path, text)
    assert "sections[0].activities[0].title: is too long (at most 200 characters)" in line


def test_scale_bounds(tmp_path):
    text = VALID_PACK.replace('prompt = "We share data well."', 'prompt = "We share data well."\nscale = { min = 5, max = 3 }')
    (line,) = problems_of(tmp_path, text)
    assert "sections[1].activities[0].questions[0].scale: max (3) must be greater than min (5)" in line


def test_missing_file_and_folder(tmp_path):
    assert [str(p) for p in check_file(tmp_path / "nope.toml")] == [f"{tmp_path / 'nope.toml'}: no such file"]
    assert "is a folder" in str(check_file(tmp_path)[0])


@pytest.mark.parametrize("junk", [b"\x00\x01\x02binary", b"[[[", b"= 3", b"\xff\xfe\x00"])
def test_junk_never_raises(tmp_path, junk):
    problems = check_file(write(tmp_path, junk))
    assert len(problems) == 1
    assert str(problems[0]).startswith(str(tmp_path / "pack.toml"))


def test_control_characters_cleaned(tmp_path):
    text = VALID_PACK.replace('title = "Welcome"', 'title = "Wel\\u0007come\\u202e"')
    pack = load_pack(write(tmp_path, text))
    assert pack.sections[0].activities[0].title == "Welcome"
