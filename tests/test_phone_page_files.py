"""The phone page's files, read as text: what the browser test cannot see at a glance.

No HTML is ever built from strings (every text from the server goes in with
textContent), nothing is inline (the server's Content-Security-Policy forbids it),
nothing is fetched from outside the room, and every file is one the server will serve.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workshop.web.assets import ASSET_NAME, STATIC_DIR

PAGE_FILES = sorted(path for path in STATIC_DIR.iterdir() if path.suffix in {".html", ".js", ".css"})
SCRIPTS = [path for path in PAGE_FILES if path.suffix == ".js"]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang")
        if tag == "script":
            self._in_script = True
            if found.get("src"):
                self.scripts.append(str(found["src"]))
        if tag == "link" and found.get("rel") == "stylesheet":
            self.styles.append(str(found.get("href")))
        self.inline += [f"{tag} {name}" for name in found if name == "style" or name.startswith("on")]
        if tag == "style":
            self.inline.append("style element")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append("inline script")


def _page() -> _Page:
    parser = _Page()
    parser.feed((STATIC_DIR / "index.html").read_text(encoding="utf-8"))
    return parser


def test_the_page_names_its_language_and_has_nothing_inline():
    page = _page()
    assert page.html_lang == "en"
    assert page.inline == []
    assert page.scripts and page.styles


def test_every_file_the_page_loads_is_one_the_server_serves():
    page = _page()
    for reference in page.scripts + page.styles:
        assert reference.startswith("static/"), reference  # relative: the secret stays in the path
        name = reference.removeprefix("static/")
        assert ASSET_NAME.match(name), name
        assert (STATIC_DIR / name).is_file(), name


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_scripts_never_build_html_from_strings(path: Path):
    source = path.read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", 'setAttribute("style"'):
        assert risky not in source, f"{path.name} uses {risky}"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.name)
def test_nothing_is_fetched_from_outside_the_room(path: Path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"https?://|url\(\s*['\"]?//|@import", source), path.name


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.name)
def test_page_files_stay_small(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name
