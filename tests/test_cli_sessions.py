"""The command line for sessions: new, list, validate and open."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from clirun import run_cli


def new(folder: Path, *extra: str):
    return run_cli("new", "--sessions-dir", str(folder), "--no-open", *extra)


def test_new_prints_the_path_of_a_planned_session(tmp_path):
    result = new(
        tmp_path,
        "--pack",
        "demo",
        "--title",
        "Spring away-day",
        "--team",
        "Children's services",
        "--facilitator",
        "Sam",
        "--participant",
        "Amira Khan:Director",
        "--participant",
        "Jo Reed",
        "--date",
        "2026-03-12",
    )
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path
    assert path.name.startswith("2026-03-12-spring-away-day-")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == 1
    assert data["status"] == "planned"
    assert data["agenda"]["pack_id"] == "demo"
    assert [(p["name"], p["role"]) for p in data["participants"]] == [("Amira Khan", "Director"), ("Jo Reed", "")]


def test_new_defaults_to_the_resourceful_pack(tmp_path):
    result = new(tmp_path, "--title", "Default")
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(Path(result.stdout.strip()).read_text(encoding="utf-8"))
    assert data["agenda"]["pack_id"] == "resourceful-child-poverty"


def test_new_refuses_bad_input_in_one_line(tmp_path):
    for args, expected in [
        (("--pack", "nope", "--title", "T"), "workshop: No pack with id 'nope'"),
        (("--title", "   "), "title"),
        (("--title", "T", "--participant", ":Role"), "participant 1 has no name"),
        (("--title", "T", "--date", "12/03/2026"), "is not a date in the form YYYY-MM-DD"),
    ]:
        result = new(tmp_path, *args)
        assert result.returncode != 0, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.toml"))


def test_new_sets_the_time_the_start_and_the_voting(tmp_path):
    result = new(
        tmp_path, "--pack", "demo", "--title", "Timed", "--minutes", "2h30", "--start", "9:30", "--ballot-mode", "anonymous", "--dots", "3", "--cap", "1"
    )
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(Path(result.stdout.strip()).read_text(encoding="utf-8"))
    assert (data["available_minutes"], data["start_time"]) == (150, "09:30")
    assert (data["voting"]["mode"], data["voting"]["dots_per_person"], data["voting"]["max_per_item"]) == ("anonymous", 3, 1)
    # The plan against the time, as the setup form shows it.
    assert "Planned 11 min · of 2h30 available" in result.stderr and "starts 09:30" in result.stderr
    short = new(tmp_path, "--title", "Short", "--minutes", "60", "--dots", "1")
    assert short.returncode == 0, short.stderr
    data = tomllib.loads(Path(short.stdout.strip()).read_text(encoding="utf-8"))
    assert (data["voting"]["dots_per_person"], data["voting"]["max_per_item"]) == (1, 1)


def activity_minutes(data: dict) -> list[int]:
    return [a["minutes"] for s in data["agenda"]["sections"] if s.get("included", True) for a in s["activities"] if a.get("included", True)]


def test_new_fits_the_agenda_to_the_time_available(tmp_path):
    result = new(tmp_path, "--title", "Two hours", "--minutes", "2h", "--start", "09:30")
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(Path(result.stdout.strip()).read_text(encoding="utf-8"))
    # The default day's 2h50, shortened in proportion to the two hours (as f in the setup form).
    assert sum(activity_minutes(data)) == 120 and data["available_minutes"] == 120
    assert "Fitted the agenda to the time: 2h50 down to 2h00" in result.stderr
    assert "Planned 2h00 · of 2h00 available: exactly right · starts 09:30, finishes 11:30" in result.stderr
    # Time to spare is kept, not filled.
    roomy = new(tmp_path, "--title", "Roomy", "--minutes", "3h")
    assert roomy.returncode == 0, roomy.stderr
    assert sum(activity_minutes(tomllib.loads(Path(roomy.stdout.strip()).read_text(encoding="utf-8")))) == 170
    assert "10 min to spare" in roomy.stderr


def test_new_refuses_a_time_no_agenda_can_fit_in_one_line(tmp_path):
    result = new(tmp_path, "--title", "Too short", "--minutes", "10")
    assert result.returncode == 1
    assert result.stderr.startswith("workshop: The agenda cannot be fitted to 10 min") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and not list(tmp_path.glob("*.toml"))


def test_new_refuses_bad_plans_in_one_line(tmp_path):
    for args, expected in [
        (("--minutes", "lots"), "is not a duration"),
        (("--start", "25:00"), "is not a time of day"),
        (("--dots", "2", "--cap", "3"), "cannot be more than the dots per person"),
        (("--dots", "0"), "must be a whole number from 1 to 50"),
    ]:
        result = new(tmp_path, "--title", "T", *args)
        assert result.returncode != 0, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert expected in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.toml"))


def test_hostile_title_stays_inside_the_folder(tmp_path):
    result = new(tmp_path, "--title", "../../etc/passwd")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path
    assert ".." not in path.name and "/" not in path.name


def test_list_newest_first_with_unreadable_files(tmp_path):
    first = Path(new(tmp_path, "--pack", "demo", "--title", "Older", "--date", "2025-01-01").stdout.strip())
    second = Path(new(tmp_path, "--pack", "demo", "--title", "Newer", "--date", "2026-01-01").stdout.strip())
    (tmp_path / "junk.toml").write_bytes(b"\xff\xfe not a session")
    result = run_cli("list", "--json", "--sessions-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    readable = [row for row in rows if "error" not in row]
    assert [row["title"] for row in readable] == ["Newer", "Older"]
    assert {"id", "title", "team", "date", "status", "progress", "path"} <= set(readable[0])
    assert readable[0]["progress"] == 0
    assert {row["path"] for row in readable} == {str(first), str(second)}
    (broken,) = [row for row in rows if "error" in row]
    assert broken["path"] == str(tmp_path / "junk.toml")
    assert "UTF-8" in broken["error"]
    table = run_cli("list", "--sessions-dir", str(tmp_path))
    assert table.returncode == 0
    assert "Newer" in table.stdout and "(unreadable)" in table.stdout


def test_list_uses_the_environment_variable(tmp_path):
    new(tmp_path, "--pack", "demo", "--title", "From env")
    result = run_cli("list", "--json", env={"WORKSHOP_SESSIONS_DIR": str(tmp_path)})
    assert [row["title"] for row in json.loads(result.stdout)] == ["From env"]
    empty = tmp_path / "empty"
    result = run_cli("list", "--json", "--sessions-dir", str(empty), env={"WORKSHOP_SESSIONS_DIR": str(tmp_path)})
    assert json.loads(result.stdout) == []


def test_validate_accepts_session_files(tmp_path):
    path = Path(new(tmp_path, "--pack", "demo", "--title", "Valid").stdout.strip())
    assert run_cli("validate", str(path)).returncode == 0
    text = path.read_text(encoding="utf-8").replace('status = "planned"', 'status = "sleeping"')
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(broken))
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{broken}:")
    assert ": status: should be one of" in line


def test_open_unknown_session_is_one_line(tmp_path):
    result = run_cli("open", "zzzzzz", "--sessions-dir", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip() == f"workshop: No session with id 'zzzzzz' in {tmp_path}"
    junk = tmp_path / "junk.toml"
    junk.write_text("schema = 1\n", encoding="utf-8")
    result = run_cli("open", str(junk), "--sessions-dir", str(tmp_path))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(junk) in result.stderr


# -- every error is one line, never a traceback -----------------------------------------


def _one_clean_line(result) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr and "Error(" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_participant_name_over_the_limit_is_one_line(tmp_path):
    from workshop.domain.models.limits import SHORT_TEXT_CHARACTERS

    result = new(tmp_path, "--pack", "demo", "--title", "T", "--participant", "Jo", "--participant", "x" * (SHORT_TEXT_CHARACTERS + 1))
    line = _one_clean_line(result)
    assert line == f"workshop: Participant 2's name is too long (at most {SHORT_TEXT_CHARACTERS} characters)."
    result = new(tmp_path, "--pack", "demo", "--title", "T", "--participant", "Jo:" + "r" * (SHORT_TEXT_CHARACTERS + 1))
    assert "Participant 1's role is too long" in _one_clean_line(result)
    assert not list(tmp_path.glob("*.toml"))


def test_a_folder_with_an_unknown_user_is_one_line(tmp_path):
    result = run_cli("list", "--sessions-dir", "~nosuchuser-workshop/x")
    assert _one_clean_line(result) == "workshop: Cannot use --sessions-dir '~nosuchuser-workshop/x': there is no home folder for '~nosuchuser-workshop'."
    result = run_cli("list", env={"WORKSHOP_SESSIONS_DIR": "~nosuchuser-workshop/x"})
    assert "$WORKSHOP_SESSIONS_DIR '~nosuchuser-workshop/x'" in _one_clean_line(result)
    result = run_cli("content", "--content-dir", "~nosuchuser-workshop")
    assert "--content-dir '~nosuchuser-workshop'" in _one_clean_line(result)
    # The app would start here; the bad settings folder stops it first, in one line.
    result = run_cli("--sessions-dir", str(tmp_path), env={"WORKSHOP_CONFIG_DIR": "~nosuchuser-workshop/c"})
    assert "$WORKSHOP_CONFIG_DIR '~nosuchuser-workshop/c'" in _one_clean_line(result)


def test_every_command_takes_the_folder_options_before_or_after_it(tmp_path):
    path = Path(new(tmp_path, "--pack", "demo", "--title", "Folders").stdout.strip())
    content = tmp_path / "content"
    for command in (["validate", str(path)], ["list"], ["content"], ["export", path.name, "-o", "-"]):
        after = run_cli(*command, "--sessions-dir", str(tmp_path), "--content-dir", str(content))
        assert after.returncode == 0, (command, after.stderr)
        before = run_cli("--sessions-dir", str(tmp_path), "--content-dir", str(content), *command)
        assert before.returncode == 0, (command, before.stderr)
        assert before.stdout == after.stdout


def test_main_catches_every_workshop_error_in_one_place(monkeypatch, capsys):
    from workshop import cli
    from workshop.domain.errors import Refused

    def refuse(args):
        raise Refused("Nothing can be done.\nReally.")

    monkeypatch.setitem(cli.COMMANDS, "list", refuse)
    assert cli.main(["list"]) == 1
    assert capsys.readouterr().err == "workshop: Nothing can be done. Really.\n"


def test_export_finds_a_session_by_its_file_name_without_the_suffix(tmp_path):
    path = Path(new(tmp_path, "--pack", "demo", "--title", "By name").stdout.strip())
    result = run_cli("export", path.name.removesuffix(".toml"), "--sessions-dir", str(tmp_path), "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# By name")


def test_open_names_a_readable_backup_of_an_unreadable_session(tmp_path):
    path = Path(new(tmp_path, "--pack", "demo", "--title", "Corrupt").stdout.strip())
    backup = Path(f"{path}.bak")
    backup.write_bytes(path.read_bytes())
    path.write_text('title = "half\n', encoding="utf-8")
    result = run_cli("open", str(path), "--sessions-dir", str(tmp_path))
    line = _one_clean_line(result)
    assert line.startswith(f"workshop: Session file {path} is unreadable (line 1: is not valid TOML")
    assert line.endswith(f"); a readable backup is at {backup}: rename it to {path.name} to restore it.")
