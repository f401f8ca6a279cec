"""The laptop's side of phones: the join panel, and ballots from phones while the round is shown."""

from __future__ import annotations

import aiohttp
import pytest
from apphelp import ballot_session, go_to_activity, make_app, wait_until
from textual.widgets import OptionList

from workshop.domain.timebox import FakeClock
from workshop.ui.widgets.join_panel import JoinPanel, qr_text


def phone() -> aiohttp.ClientSession:
    # A browser keeps cookies from an address like 127.0.0.1; aiohttp's client only when told.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def start_joining(pilot, screen):
    assert await screen.joining.start("127.0.0.1", 0)
    await wait_until(pilot, lambda: screen.query(JoinPanel), "the join panel")
    return screen.joining.server


async def phone_joins(client: aiohttp.ClientSession, url: str, participant_id: str) -> None:
    async with client.post(url + "api/join", json={"participant_id": participant_id}) as answer:
        assert answer.status == 200


async def send_dots(client: aiohttp.ClientSession, url: str, request_id: str, dots: dict[str, int]) -> int:
    async with client.post(url + "api/dots", json={"activity_id": "demo-vote", "dots": dots, "request_id": request_id}) as answer:
        return answer.status


def status_of(screen) -> str:
    return str(screen.query_one("VotePane #ballot-status").render())


async def test_an_anonymous_round_shows_counts_only_as_ballots_arrive_from_phones(tmp_path):
    path = ballot_session(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        assert "0 of 5 voted" in status_of(screen) and "waiting for" not in status_of(screen)
        async with phone() as jo, phone() as li:
            await phone_joins(jo, server.url, "jo-reed")
            await phone_joins(li, server.url, "li-wei")
            assert await send_dots(jo, server.url, "a", {"p0": 2}) == 200
            await wait_until(pilot, lambda: "1 of 5 voted" in status_of(screen), "the phone's ballot on the laptop")
            assert await send_dots(li, server.url, "b", {"p1": 1}) == 200
            await wait_until(pilot, lambda: "2 of 5 voted" in status_of(screen), "the second phone's ballot")
        # Counts, never names: not who voted, not who is still to vote.
        for name in ("Jo Reed", "Li Wei", "Amira Khan", "Priya Shah", "Sam Cole"):
            assert name not in status_of(screen)
        # Someone without a phone votes on the laptop, in the round's mode.
        await pilot.press("i", "right", "enter")
        await wait_until(pilot, lambda: "3 of 5 voted" in status_of(screen), "the laptop's ballot")
        current = screen.editor.current_round("demo-vote")
        assert len(current.ballots) == 3 and all(ballot.voter is None for ballot in current.ballots)
        assert "jo-reed" in current.voted and "li-wei" in current.voted


async def test_a_named_round_redraws_with_the_voters_name(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        async with phone() as jo:
            await phone_joins(jo, server.url, "jo-reed")
            assert await send_dots(jo, server.url, "a", {"p2": 1}) == 200
        await wait_until(pilot, lambda: "1 voted" in status_of(screen), "the phone's ballot")
        assert "Jo Reed" not in status_of(screen).split("waiting for", 1)[1]


async def test_a_proposal_from_a_phone_appears_in_the_laptops_list(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "propose")
        server = await start_joining(pilot, screen)
        async with phone() as jo:
            await phone_joins(jo, server.url, "jo-reed")
            body = {"activity_id": "demo-propose", "text": "[red]x[/] <script>", "request_id": "p"}
            async with jo.post(server.url + "api/propose", json=body) as answer:
                assert answer.status == 200
        table = screen.query_one("ProposalTable")
        await wait_until(pilot, lambda: table.row_count == 1, "the phone's proposal in the list")
        assert str(table.get_row_at(0)[0]) == "[red]x[/] <script>"


async def test_the_panel_lists_who_joined_and_late_arrivals_are_let_in_from_the_menu(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        panel = screen.query_one(JoinPanel)
        who = panel.query_one("#join-who")
        await wait_until(pilot, lambda: "0 of 5 joined" in str(who.render()), "the panel's count")
        async with phone() as jo, phone() as late:
            await phone_joins(jo, server.url, "jo-reed")
            await wait_until(pilot, lambda: "1 of 5 joined: Jo Reed" in str(who.render()), "Jo on the panel")
            async with late.post(server.url + "api/late", json={"name": "Nia [b]O[/b]"}) as answer:
                assert answer.status == 202
            await wait_until(pilot, lambda: "1 asking to join: Nia [b]O[/b]" in str(who.render()), "the request")
            await pilot.press("j")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "ChooseOption", "the phones menu")
            await pilot.press("down", "enter")  # the first choice hides the panel; the second lets Nia in
            await wait_until(pilot, lambda: any(p.name == "Nia [b]O[/b]" for p in screen.session.participants), "Nia added")
            async with late.get(server.url + "api/state") as answer:
                assert (await answer.json())["me"]["name"] == "Nia [b]O[/b]"
        assert "6 of 6 joined" not in str(who.render()) and "2 of 6 joined" in str(who.render())


async def test_many_late_requests_are_one_line_one_toast_and_turned_away_at_once(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        toasts: list[str] = []
        shown = screen.notify
        screen.notify = lambda message, **kw: (toasts.append(str(message)), shown(message, **kw))[1]  # type: ignore[func-returns-value]
        who = screen.query_one(JoinPanel).query_one("#join-who")
        for number in range(6):  # six phones, six addresses
            server.join.ask_late(server.join.new_device(), f"Late {number}", f"10.0.0.{number}")
        await wait_until(pilot, lambda: "6 asking to join" in str(who.render()), "the count on the panel")
        line = str(who.render()).split("\n")[-1]
        assert line == "6 asking to join: Late 0, Late 1 and 4 more (j to answer)"
        assert [t for t in toasts if "join" in t] == ["A phone asks to join: press j to answer."]
        await pilot.press("j")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ChooseOption", "the phones menu")
        options = app.screen.query_one("#choices", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert sum("Turn away" in label for label in labels) == 1  # not a line a request
        options.highlighted = next(i for i, label in enumerate(labels) if label == "Turn away all 6 requests to join")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not server.join.pending(), "all turned away")
        await wait_until(pilot, lambda: "asking to join" not in str(who.render()), "the line gone")


async def test_a_name_given_back_after_voting_is_released_from_the_menu_which_says_so(tmp_path):
    path = ballot_session(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        async with phone() as jo, phone() as other:
            await phone_joins(jo, server.url, "jo-reed")
            assert await send_dots(jo, server.url, "a", {"p0": 1}) == 200
            async with jo.post(server.url + "api/leave", json={}) as answer:
                assert answer.status == 200
            async with other.post(server.url + "api/join", json={"participant_id": "jo-reed"}) as answer:
                assert answer.status == 409
            await pilot.press("j")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "ChooseOption", "the phones menu")
            options = app.screen.query_one("#choices", OptionList)
            labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            wanted = "Release Jo Reed's name (given back after taking part): another phone may take it and vote again"
            assert wanted in labels
            options.highlighted = labels.index(wanted)
            await pilot.press("enter")
            await wait_until(pilot, lambda: "jo-reed" not in server.join.kept(), "released")
            await phone_joins(other, server.url, "jo-reed")


async def test_leaving_the_run_screen_stops_joining(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        url = server.url
        await pilot.press("q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HomeScreen", "home")
        await wait_until(pilot, lambda: not server.running, "the server stopped")
        async with phone() as client:
            with pytest.raises(aiohttp.ClientConnectionError):
                async with client.get(url + "api/state"):
                    pass


async def test_stop_in_the_menu_closes_the_port(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        await pilot.press("j")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ChooseOption", "the phones menu")
        await pilot.press("end", "enter")
        await wait_until(pilot, lambda: not server.running and not screen.query(JoinPanel), "joining stopped")
        assert screen.joining.server is None
        async with phone() as client:
            with pytest.raises(aiohttp.ClientConnectionError):
                async with client.get(server.url + "api/state"):
                    pass


def test_the_qr_code_holds_exactly_the_segno_matrix():
    import segno
    from rich.style import Style

    url = "http://192.168.1.20:8765/j/abcdefghijklmnopqrstuv/"
    matrix = [[bool(m) for m in row] for row in segno.make(url, error="l", boost_error=False, micro=False).matrix]
    text = qr_text(url)
    # Each cell is an upper half block: foreground = top module, background = bottom module.
    decoded: list[list[bool]] = []
    for line in text.split():
        top, bottom = [], []
        assert len(line.spans) == len(line.plain) and set(line.plain) == {"▀"}
        for span in line.spans:
            style = Style.parse(str(span.style))
            top.append(style.color.triplet.red == 0)
            bottom.append(style.bgcolor.triplet.red == 0)
        decoded += [top, bottom]
    quiet = 2
    inner = [row[quiet:-quiet] for row in decoded[quiet : quiet + len(matrix)]]
    assert inner == matrix
    assert not any(decoded[0]) and not any(row[0] for row in decoded)


async def test_joining_is_in_the_keys_list_and_the_palette(tmp_path):
    from workshop.ui.commands import key_commands, key_entries

    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        entry = next(entry for entry in key_entries(screen) if entry.action == "joining")
        assert (entry.keys, entry.description, entry.enabled) == ("j", "Phones", True)
        assert any(command.title == "Phones" for command in key_commands(screen))


async def test_ballots_from_phones_do_not_redraw_the_panels_list_of_who_joined(tmp_path):
    # Every ballot moves the phones' version; the panel's list is drawn again only when who
    # has joined changes (a room voting at once laid the screen out again for each ballot).
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        who = screen.query_one(JoinPanel).query_one("#join-who")
        drawn: list[str] = []
        update = who.update
        who.update = lambda content="", **options: (drawn.append(str(content)), update(content, **options))[1]  # type: ignore[func-returns-value]
        async with phone() as jo, phone() as li:
            await phone_joins(jo, server.url, "jo-reed")
            await wait_until(pilot, lambda: "1 of 5 joined: Jo Reed" in str(who.render()), "Jo on the panel")
            assert len(drawn) == 1
            assert await send_dots(jo, server.url, "a", {"p2": 1}) == 200
            await wait_until(pilot, lambda: "1 voted" in status_of(screen), "the phone's ballot")
            assert len(drawn) == 1
            await phone_joins(li, server.url, "li-wei")
            await wait_until(pilot, lambda: "2 of 5 joined" in str(who.render()), "Li on the panel")
            assert len(drawn) == 2


async def test_ballots_heard_one_after_another_are_drawn_once_the_burst_has_passed(tmp_path, monkeypatch):
    # A room of phones casting at once: the pane is drawn once for the burst, not once per
    # ballot in each turn of the loop (each redraw held the loop that answers the phones).
    from workshop.ui.panes import ballot

    monkeypatch.setattr(ballot, "HEARD_REDRAW_SECONDS", 3600.0)  # the burst never ends on its own here
    path = ballot_session(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        pane = screen.current_pane()
        redraws: list[str] = []
        draw = pane.refresh_all

        def counted() -> None:
            redraws.append("drawn")
            draw()

        monkeypatch.setattr(pane, "refresh_all", counted)
        for voter in ("jo-reed", "li-wei", "sam-cole"):
            screen.editor.cast_dots("demo-vote", voter, {"p0": 1})  # as a phone's handler does
            await pilot.pause()
        assert redraws == [] and "0 of 5 voted" in status_of(screen)
        pane._redraw_after_changes()  # what the burst's timer calls when it is over
        assert redraws == ["drawn"] and "3 of 5 voted" in status_of(screen)


async def test_ballots_heard_under_a_dialog_are_drawn_once_it_closes(tmp_path, monkeypatch):
    # Drawn under a dialog, the pane had the whole screen composed again behind it, dimmed:
    # more work on the loop than the phones' requests, while the facilitator used the dialog.
    from workshop.ui.panes import ballot

    monkeypatch.setattr(ballot, "HEARD_REDRAW_SECONDS", 3600.0)  # the burst's timer is called by hand
    path = ballot_session(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        pane = screen.current_pane()
        redraws: list[str] = []
        draw = pane.refresh_all

        def counted() -> None:
            redraws.append("drawn")
            draw()

        monkeypatch.setattr(pane, "refresh_all", counted)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "KeysHelp", "the keys list")
        for voter in ("jo-reed", "li-wei"):
            screen.editor.cast_dots("demo-vote", voter, {"p0": 1})  # as a phone's handler does
        pane._redraw_after_changes()  # the burst is over, the dialog still open
        assert redraws == [] and "0 of 5 voted" in status_of(screen)
        monkeypatch.setattr(ballot, "HEARD_REDRAW_SECONDS", 0.01)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: "2 of 5 voted" in status_of(screen), "the ballots, once the dialog closed")
        assert redraws == ["drawn"]


async def test_ballots_heard_leave_the_ballot_being_filled_in_as_it_is(tmp_path, monkeypatch):
    # Another person's ballot moves the round, not the list being filled in on the laptop:
    # building the list again drew and laid it out again with every burst of ballots.
    from workshop.ui.panes.ballot import BallotList

    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        pane = screen.current_pane()
        await pilot.press("i", "down", "right")  # a dot on the second proposal, for Amira
        listing = pane.query_one(BallotList)
        await wait_until(pilot, lambda: pane.draft == {"p1": 1}, "the draft")
        shown = [listing.get_option_at_index(index) for index in range(listing.option_count)]
        screen.editor.cast_dots("demo-vote", "jo-reed", {"p0": 1})  # as a phone's handler does
        await wait_until(pilot, lambda: "1 voted" in status_of(screen), "the phone's ballot")
        now = [listing.get_option_at_index(index) for index in range(listing.option_count)]
        assert len(now) == len(shown) and all(option is before for option, before in zip(now, shown, strict=True))
        assert listing.highlighted == 1 and pane.draft == {"p1": 1}


async def test_a_burst_of_changes_works_out_who_joined_once(tmp_path, monkeypatch):
    # Every ballot moves the join state; the list of names (a hundred in a big room) was
    # worked out again for each, on the loop answering the phones.
    from workshop.ui.widgets import join_panel

    monkeypatch.setattr(join_panel, "WHO_REDRAW_SECONDS", 3600.0, raising=False)  # the burst's timer is called by hand
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        server = await start_joining(pilot, screen)
        panel = screen.query_one(JoinPanel)
        worked_out: list[str] = []
        taken = server.join.taken

        def counted() -> set[str]:
            worked_out.append("who")
            return taken()

        monkeypatch.setattr(server.join, "taken", counted)
        device = server.join.new_device()
        server.join.bind(device, "jo-reed", "Jo Reed")
        for _ in range(5):
            server.join.bump()  # what each ballot does
        assert worked_out == []
        panel._redraw_who()  # what the burst's timer calls when it is over
        assert worked_out == ["who"] and "1 of 5 joined: Jo Reed" in str(panel.query_one("#join-who").render())
