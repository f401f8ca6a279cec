"""The pages a phone opens outside the API: the short-code form, its errors, the icon, the headers.

From issue 24: the code typed as the laptop shows it (`816 109`), errors as a page with a
sentence (never raw JSON), no versions in the `Server` header, a favicon, and a nested
JSON body answered with the 400 JSON error the API promises.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from webhelp import Room, joined

from workshop.web.assets import STATIC_DIR
from workshop.web.server import JoinServer
from workshop.web.short_code import typed_code

VOTE = "demo-vote"


@pytest.fixture
async def room(tmp_path):
    made = Room(tmp_path)
    made.editor.jump(VOTE)
    # The real page's files, so /code.css and /favicon.ico are the ones the app serves.
    made.server = JoinServer(made.editor, made.server.save_now, static_dir=STATIC_DIR, join=made.join)
    yield made
    await made.close()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(page)
    return tags


def spaced(code: str, between: str) -> str:
    return code[:3] + between + code[3:]


@pytest.mark.parametrize("between", [" ", "-", " - ", "\u2013", "\u00a0"])
async def test_the_code_is_taken_as_the_laptop_shows_it(room, between):
    phone = await room.phone()
    answer = await phone.post("/code", data={"code": spaced(room.join.short_code, between)}, allow_redirects=False)
    assert answer.status == 303
    assert answer.headers["Location"] == f"/j/{room.join.secret}/"
    as_json = await phone.post("/code", json={"code": " " + spaced(room.join.short_code, between) + " "})
    assert as_json.status == 200 and (await as_json.json())["url"] == room.server.url


def test_the_field_has_room_for_the_code_as_shown():
    page = parse(_code_page_text())
    field = next(attrs for tag, attrs in page.tags if tag == "input")
    assert int(field["maxlength"] or 0) >= len("816 109") + 2
    assert typed_code("816 109") == "816109" and typed_code("8-1-6 1 0 9") == "816109"


def _code_page_text() -> str:
    from workshop.web.short_code import code_page

    return code_page()


async def test_a_wrong_code_is_a_page_with_a_sentence_not_json(room):
    phone = await room.phone()
    wrong = "000 000" if room.join.short_code != "000000" else "111 111"
    answer = await phone.post("/code", data={"code": wrong}, allow_redirects=False)
    assert answer.status == 404
    assert answer.content_type == "text/html"
    page = parse(await answer.text())
    alert = [attrs for tag, attrs in page.tags if attrs.get("role") == "alert"]
    assert alert, "the error is not announced"
    assert "That code is not right" in "".join(page.text)
    # The form is there again, with what was typed, so a slip is fixed rather than retyped.
    field = next(attrs for tag, attrs in page.tags if tag == "input")
    assert field["value"] == wrong and field["aria-invalid"] == "true"


async def test_too_many_tries_is_a_page_with_a_sentence_too(room):
    phone = await room.phone()
    wrong = "000000" if room.join.short_code != "000000" else "111111"
    for _ in range(5):
        await phone.post("/code", data={"code": wrong}, allow_redirects=False)
    answer = await phone.post("/code", data={"code": room.join.short_code}, allow_redirects=False)
    assert answer.status == 429 and answer.content_type == "text/html"
    assert "Too many tries: wait a minute" in await answer.text()
    # The API (JSON) keeps its JSON error.
    as_json = await phone.post("/code", json={"code": room.join.short_code})
    assert as_json.status == 429 and "error" in await as_json.json()


async def test_the_code_page_has_landmarks_a_styled_full_width_join_button_and_an_icon(room):
    phone = await room.phone()
    page_text = await (await phone.get("/")).text()
    page = parse(page_text)
    tags = [tag for tag, _ in page.tags]
    assert "main" in tags and "header" in tags and "h1" in tags
    links = {attrs.get("rel"): attrs.get("href") for tag, attrs in page.tags if tag == "link"}
    style = await phone.get(str(links["stylesheet"]))
    assert style.status == 200 and style.content_type == "text/css"
    css = await style.text()
    button_rule = css.split("\nbutton {", 1)[1].split("}", 1)[0]
    assert "width: 100%" in button_rule and "min-height: 48px" in button_rule
    icon = await phone.get(str(links["icon"]))
    assert icon.status == 200 and icon.content_type == "image/svg+xml"


async def test_favicon_is_served_and_linked_from_the_phone_page(room):
    phone = await room.phone()
    icon = await phone.get("/favicon.ico")
    assert icon.status == 200 and icon.content_type == "image/svg+xml"
    assert (await icon.read()).startswith(b"<svg")
    index = parse(await (await phone.get(f"{room.base}/")).text())
    icons = [attrs["href"] for tag, attrs in index.tags if tag == "link" and attrs.get("rel") == "icon"]
    assert icons and (await phone.get(f"{room.base}/{icons[0]}")).status == 200


async def test_the_server_header_names_no_versions(room):
    phone = await joined(room, "amira-khan")
    answers = [
        await phone.get("/"),
        await phone.get("/nowhere"),
        await phone.get(f"{room.base}/api/state"),
        await phone.post(f"{room.base}/api/dots", data=b"[", headers={"Content-Type": "application/json"}),
    ]
    events = await phone.get(f"{room.base}/api/events")
    answers.append(events)
    for answer in answers:
        server = answer.headers.get("Server", "")
        assert server == "workshop", (answer.url, server)
    events.close()


async def test_deeply_nested_json_is_the_400_json_error(room):
    phone = await joined(room, "amira-khan")
    for body in ("[" * 5000 + "]" * 5000, '{"a":' * 2500 + "1" + "}" * 2500):
        answer = await phone.post(f"{room.base}/api/dots", data=body.encode(), headers={"Content-Type": "application/json"})
        assert answer.status == 400, body[:10]
        assert answer.content_type == "application/json"
        assert (await answer.json())["error"] == "That request is not valid JSON."


async def test_an_address_opened_in_a_browser_answers_a_page_not_json(room):
    phone = await room.phone()
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    wrong = "x" * len(room.join.secret)
    for path in (f"/j/{wrong}/", "/nowhere", f"{room.base}/static/nothing.png"):
        answer = await phone.get(path, headers=browser)
        assert answer.status == 404 and answer.content_type == "text/html", path
        page = await answer.text()
        assert "check the address or scan the code again" in page or "There is no such file" in page
        assert room.join.secret not in page
        assert any(attrs.get("href") == "/" for tag, attrs in parse(page).tags if tag == "a")  # the way to type the code
    # The page's own script asks for JSON, and gets it.
    api = await phone.get(f"/j/{wrong}/api/state", headers=browser)
    assert api.status == 404 and api.content_type == "application/json"
    plain = await phone.get(f"/j/{wrong}/")
    assert plain.content_type == "application/json"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NOT-A-METHOD / HTTP/1.1\r\nHost: x\r\n\r\n",  # a method aiohttp does not know
        b"GET / HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n",  # a header without a colon
        b"GET /\x00 HTTP/1.1\r\n\r\n",  # a control character in the address
    ],
)
async def test_aiohttp_own_answers_to_malformed_requests_name_no_versions(room, request_bytes):
    # aiohttp answers these itself (400) before any handler or middleware runs: the server
    # as the app starts it (`start`), spoken to over a plain socket, not through a client
    # that would only send well-formed requests.
    import asyncio

    await room.server.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", room.server.port)
    try:
        writer.write(request_bytes)
        await writer.drain()
        answer = await reader.read()  # aiohttp closes the connection after such an answer
    finally:
        writer.close()
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.startswith("HTTP/1.") and " 400 " in head.splitlines()[0], head
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    assert headers.get("Server") == "workshop", head
    assert "aiohttp" not in answer.decode("latin-1").lower() and "python" not in answer.decode("latin-1").lower(), answer
