"""Reading untrusted TOML files into plain dicts, with problems a person can act on.

Packs and session files both come from disk and may be anything: not TOML, not UTF-8,
enormous, nested absurdly deep. Each problem becomes a `Problem` naming the file, the key
path and, where it can be found, the line; nothing here raises anything but `FileProblems`.
The locator maps a validation error's key path back to a line of the source text.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Sequence

from workshop.domain.errors import WorkshopError

MAX_DEPTH = 24
# Beyond this many digits an integer is surely hostile; Python also refuses to parse
# integers past 4300 digits, which would otherwise surface as a bare ValueError.
MAX_INT_DIGITS = 30

Loc = Sequence[str | int]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, ready to print as a single line."""

    path: str
    reason: str
    key: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.key}: {self.reason}" if self.key else f"{where}: {self.reason}"


class FileProblems(WorkshopError):
    """Raised when a file cannot be used; carries every problem found.

    `reason` is the first problem (and how many more) in one line; `str()` lists them all,
    one a line, for `workshop validate`.
    """

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        more = len(self.problems) - 1
        super().__init__(str(self.problems[0]) + (f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    @property
    def first(self) -> Problem:
        return self.problems[0]


def format_loc(loc: Loc) -> str:
    """`('sections', 2, 'minutes')` -> `sections[2].minutes`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
)


def open_regular(path: Path) -> BinaryIO:
    """Open `path` for reading in binary, refusing anything but a regular file.

    Opened without blocking and checked on the open descriptor, so a named pipe (which
    would wait forever for a writer) or a device is refused at once, with no race
    between looking and opening. Raises `FileProblems` with one plain reason.
    """
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileProblems([Problem(shown, "no such file")]) from None
    except IsADirectoryError:
        raise FileProblems([Problem(shown, "is a folder, not a file")]) from None
    except OSError as error:
        raise FileProblems([Problem(shown, f"cannot be read ({error.strerror or error})")]) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            reason = next((text for test, text in _KINDS if test(mode)), "is not a regular file")
            raise FileProblems([Problem(shown, reason)])
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except FileProblems:
        os.close(fd)
        raise
    except OSError as error:
        os.close(fd)
        raise FileProblems([Problem(shown, f"cannot be read ({error.strerror or error})")]) from None


def read_text(path: Path, max_bytes: int) -> str:
    """Read `path` as UTF-8 text no larger than `max_bytes`, or raise `FileProblems`.

    Only a regular file is read (see `open_regular`).
    """
    shown = str(path)
    try:
        with open_regular(Path(path)) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise FileProblems([Problem(shown, f"cannot be read ({error.strerror or error})")]) from None
    if len(data) > max_bytes:
        limit = f"{max_bytes // 1024} KiB" if max_bytes < 1 << 20 else f"{max_bytes >> 20} MiB"
        raise FileProblems([Problem(shown, f"is larger than {limit}, too large to be a workshop file")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblems([Problem(shown, f"is not UTF-8 text (bad byte at offset {error.start})", line=line)]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def parse_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse `text` as TOML, refusing absurd nesting and huge integers.

    Nesting is refused when the inline arrays and tables go more than `MAX_DEPTH` deep
    (`_bracket_depth`). Counting that in the text before parsing was a ninth of a load,
    so it is counted only when it may matter: when tomllib ran out of stack (it recurses
    for every level), or when the parsed data is deeper than the limit could allow.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match and match.group(1) else None
        if match and line is None:
            # "at end of document": the last line is where the problem shows.
            line = max(1, len(text.splitlines()))
        reason = _TOML_POSITION.sub("", message)
        raise FileProblems([Problem(shown, f"is not valid TOML: {reason[:1].lower()}{reason[1:]}", line=line)]) from None
    except ValueError as error:
        if "integer string conversion" in str(error):
            # Python refuses to parse integers of thousands of digits before we can look.
            match = re.search(r"[0-9_]{%d,}" % MAX_INT_DIGITS, text)
            line = text.count("\n", 0, match.start()) + 1 if match else None
            raise FileProblems([Problem(shown, f"number is absurdly large (over {MAX_INT_DIGITS} digits)", line=line)]) from None
        raise FileProblems([Problem(shown, f"is not usable TOML ({str(error)[:80]})")]) from None
    except (RecursionError, MemoryError) as error:
        _refuse_deep_nesting(text, shown)
        raise FileProblems([Problem(shown, f"is not usable TOML ({type(error).__name__}: {str(error)[:80]})")]) from None
    huge, levels = _walk(data)
    if levels > MAX_DEPTH + 1:
        # Each inline level is a level of the data (the file's own table is one more);
        # table headers ([a.b.c]) are levels too, and allowed: count the brackets.
        _refuse_deep_nesting(text, shown)
    too_big = list(_huge_integers(data, ())) if huge else []
    if too_big:
        locator = LineLocator(text)
        raise FileProblems(
            [Problem(shown, f"number is absurdly large (over {MAX_INT_DIGITS} digits)", format_loc(loc), locator.line_of(loc)) for loc in too_big]
        )
    return data


def load_toml_file(path: Path, max_bytes: int) -> tuple[dict[str, Any], str]:
    """Read and parse `path`; return the data and the text (for locating lines later)."""
    text = read_text(path, max_bytes)
    return parse_toml(text, str(path)), text


def _bracket_depth(text: str) -> int:
    """Deepest nesting of inline arrays/tables, counted cheaply before parsing.

    tomllib recurses for every level, so a file of ten thousand `[` would exhaust the
    stack; counting brackets outside strings and comments first lets us refuse it with a
    reason instead. Regular expressions jump to the next character that matters and over
    each string's body (a character-by-character loop took half as long as tomllib).
    """
    deepest = depth = 0
    index, length = 0, len(text)
    search = _DEPTH_TOKEN.search
    while (found := search(text, index)) is not None:
        index = found.start()
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
            # To the closing quote or the end of the line; in a basic string a
            # backslash escapes the next character, whatever it is.
            body = _BASIC_BODY if char == '"' else _LITERAL_BODY
            index = body.match(text, index + 1).end()  # type: ignore[union-attr]  # matches empty at worst
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
        index += 1
    return deepest


_DEPTH_TOKEN = re.compile(r"[#\"'\[\]{}]")
_BASIC_BODY = re.compile(r'(?:[^"\\\n]++|\\.)*+', re.DOTALL)
_LITERAL_BODY = re.compile(r"[^'\n]*+")


def _refuse_deep_nesting(text: str, shown: str) -> None:
    depth = _bracket_depth(text)
    if depth > MAX_DEPTH:
        raise FileProblems([Problem(shown, f"is nested {depth} levels deep; at most {MAX_DEPTH} are allowed")])


def _walk(data: dict[str, Any]) -> tuple[bool, int]:
    """Whether any integer in `data` has more than MAX_INT_DIGITS digits, and how many
    levels of tables and arrays it has: a flat walk, level by level, a few times faster
    than `_huge_integers`, which then says where."""
    limit = 10**MAX_INT_DIGITS
    huge = False
    levels = 0
    level: list[Any] = [data]
    while level:
        levels += 1
        below: list[Any] = []
        for container in level:
            for item in container.values() if type(container) is dict else container:
                kind = type(item)
                if kind is dict or kind is list:
                    below.append(item)
                elif kind is int and not -limit < item < limit:
                    huge = True
        level = below
    return huge, levels


def _huge_integers(value: Any, loc: tuple[str | int, ...]) -> Iterable[tuple[str | int, ...]]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) >= 10**MAX_INT_DIGITS:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _huge_integers(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _huge_integers(item, (*loc, index))


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(dotted: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted)
    return [part[1:-1] if part[:1] in "\"'" else part for part in parts]


class LineLocator:
    """Maps key paths such as `('sections', 1, 'minutes')` to 1-based source lines.

    A light scan of table headers and `key =` lines, tracking array-of-tables indices.
    Keys inside inline tables or multi-line arrays map to the line of their container,
    which is still where a person should look.
    """

    def __init__(self, text: str):
        self._lines: dict[tuple[str | int, ...], int] = {}
        counts: dict[tuple[str | int, ...], int] = {}
        current: tuple[str | int, ...] = ()
        in_multiline: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = _HEADER.match(line)
            if header:
                current = self._enter(header.group(1) == "[[", _split_key(header.group(2)), counts, number)
                continue
            key = _KEY.match(line)
            if key:
                path = (*current, *_split_key(key.group(1)))
                self._lines.setdefault(path, number)
                rest = line[key.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) == 1:
                        in_multiline = quote

    def _enter(self, is_array: bool, parts: list[str], counts: dict[tuple[str | int, ...], int], number: int) -> tuple[str | int, ...]:
        concrete: list[str | int] = []
        for part in parts[:-1]:
            concrete.append(part)
            if tuple(concrete) in counts:
                concrete.append(counts[tuple(concrete)] - 1)
        concrete.append(parts[-1])
        if is_array:
            key = tuple(concrete)
            index = counts.get(key, 0)
            counts[key] = index + 1
            self._lines.setdefault(key, number)
            concrete.append(index)
        path = tuple(concrete)
        self._lines.setdefault(path, number)
        return path

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest located ancestor; None if nothing matches."""
        parts = tuple(loc)
        while parts:
            if parts in self._lines:
                return self._lines[parts]
            parts = parts[:-1]
        return None
