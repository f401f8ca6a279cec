"""Fitting an agenda to the time available: one domain function for `workshop new --minutes`
and the setup form's `f`."""

from __future__ import annotations

import pytest
from apphelp import wait_until
from hypothesis import given, settings
from hypothesis import strategies as st
from test_app_home import open_form
from textual.widgets import Input

from workshop.domain.agenda_fit import FitError, fit_to_time, planned_minutes
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.ui.widgets.agenda_editor import AgendaEditor


@pytest.fixture(scope="module")
def sections():
    return load_pack(builtin_content_dir() / "resourceful-child-poverty.toml").sections


def minutes_of(sections) -> dict[str, int]:
    return {str(a.id): a.minutes for s in sections if s.included for a in s.activities if a.included}


def test_an_agenda_over_the_time_is_shortened_in_proportion_to_fit(sections):
    before = minutes_of(sections)
    fit = fit_to_time(sections, 120)
    after = minutes_of(fit.sections)
    assert planned_minutes(fit.sections) == 120 and (fit.before, fit.after) == (170, 120)
    assert fit.describe() == f"Fitted the agenda to the time: 2h50 down to 2h00, {fit.shortened} activities shortened"
    assert minutes_of(sections) == before  # the pack's own sections are left as they were
    # In proportion: the longest stay the longest, and no activity loses much more than another.
    for activity_id, minutes in after.items():
        assert minutes <= before[activity_id]
        assert abs(minutes / before[activity_id] - 120 / 170) < 0.35, activity_id
    # A 1-2-4-All keeps a minute a stage at least.
    staged = [a for s in fit.sections for a in s.activities if a.stages]
    assert staged and all(a.minutes >= len(a.stages) for a in staged)


def test_time_to_spare_is_kept_and_what_is_left_out_is_untouched(sections):
    assert fit_to_time(sections, 180).shortened == 0
    assert fit_to_time(sections, 180).describe() == "The agenda already fits: 2h50"
    tuned = [s.model_copy(deep=True) for s in sections]
    tuned[1].included = False
    dropped = minutes_of([tuned[1].model_copy(update={"included": True})])
    fit = fit_to_time(tuned, 100)
    assert planned_minutes(fit.sections) == 100
    assert {str(a.id): a.minutes for a in fit.sections[1].activities} == dropped


def test_an_agenda_that_cannot_be_fitted_is_refused_with_what_to_do(sections):
    with pytest.raises(FitError, match=r"cannot be fitted to 10 min: its \d+ activities need at least 40 min.*Leave some out"):
        fit_to_time(sections, 10)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=40, max_value=400))
def test_whatever_the_time_the_plan_fits_it_and_keeps_the_floors(sections, available):
    fit = fit_to_time(sections, available)
    assert planned_minutes(fit.sections) == min(170, available)
    assert all(a.minutes >= max(1, len(a.stages)) for s in fit.sections for a in s.activities)


async def test_f_in_the_setup_form_fits_the_agenda_to_the_time(tmp_path):
    from apphelp import make_app

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        form = await open_form(pilot)
        form.query_one("#available", Input).value = "2h"
        form.query_one(AgendaEditor).focus()
        await pilot.pause()
        total = form.query_one("#agenda-total")
        assert "50 min OVER" in str(total.render())
        await pilot.press("f")
        await wait_until(pilot, lambda: "Planned 2h00 · of 2h00 available: exactly right" in str(total.render()), "the agenda fitted to 2 hours")
        assert planned_minutes(form.sections) == 120
