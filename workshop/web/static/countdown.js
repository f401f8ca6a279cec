// The countdown the phone page and the room's screen both draw. The state says how much
// was left when it was built; the page counts on by itself between states, on its own
// monotonic clock, so a second's tick needs no request. Vanilla JS, no build step.
"use strict";
window.WorkshopCountdown = (function () {
  function mmss(seconds) {
    const whole = Math.floor(seconds);
    const h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), s = whole % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h ? h + ":" + pad(m) + ":" + pad(s) : pad(m) + ":" + pad(s);
  }

  // `clock`: the state's {running, limit_seconds, remaining_seconds, stage?}; `since`: the
  // performance.now() at which that state arrived. Returns what to draw now.
  function reading(clock, since) {
    const passed = clock.running ? (performance.now() - since) / 1000 : 0;
    const remaining = clock.remaining_seconds - passed;
    const elapsed = clock.limit_seconds - remaining;
    // The console's rule: amber from 80% of the time box, red from 100%, then the overrun.
    const phase = remaining <= 0 ? "over" : (5 * elapsed >= 4 * clock.limit_seconds ? "warning" : "normal");
    const note = phase === "over" ? "Over time" : (phase === "warning" ? "Nearly time" : "");
    const said = clock.running ? note : (note ? note + " · paused" : "Paused");
    // With stages (1-2-4-All) the countdown is the stage's, and the note says which.
    const stage = clock.stage ? clock.stage.label + (clock.stage.prompt ? ": " + clock.stage.prompt : "") : "";
    return {
      text: remaining <= 0 ? "+" + mmss(-remaining) : mmss(Math.ceil(remaining)),
      phase,
      note: stage ? (said ? stage + " · " + said : stage) : said,
    };
  }

  return { mmss, reading };
})();
