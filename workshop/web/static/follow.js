// Following the laptop's session, for the phone page and the room's screen alike: one
// state request at a time (one asked for while another is in flight runs once after it),
// the server's events when the browser has them, polling every second while the stream
// is down and every ten seconds anyway, and an end after which nothing reconnects.
"use strict";
(function () {
  const STATE_SECONDS = 8;

  // A request the laptop never answers must not hang the page: give up, say so, retry.
  function timed(seconds) {
    const control = new AbortController();
    setTimeout(() => control.abort(), seconds * 1000);
    return control.signal;
  }

  // page: {connection(text, ok), state(data), stopped(status, data) -> true when the
  // answer ends following, ended(word), tick, tickMs}
  function follow(page) {
    let lastVersion = 0;
    let live = false;
    let lastFetch = 0;
    let fetching = false;
    let fetchAgain = false;
    let over = false;
    let events = null;
    const timers = [];

    async function fetchState() {
      if (over) return;
      if (fetching) { fetchAgain = true; return; }
      fetching = true;
      lastFetch = Date.now();
      try {
        const response = await fetch("api/state", { credentials: "same-origin", cache: "no-store", signal: timed(STATE_SECONDS) });
        let data = {};
        try { data = await response.json(); } catch (e) { data = {}; }
        if (over || (page.stopped && page.stopped(response.status, data))) return;
        if (!response.ok) throw new Error(data.error || "status " + response.status);
        if (data.version < lastVersion) { location.reload(); return; } // the server restarted
        lastVersion = data.version;
        page.connection(live ? "Live" : "Connected", true);
        page.state(data);
      } catch (e) {
        if (!over) page.connection("Not connected to the facilitator's laptop. Trying again…", false);
      } finally {
        fetching = false;
        if (fetchAgain) { fetchAgain = false; fetchState(); }
      }
    }

    function end() {
      over = true;
      if (events) events.close();
      timers.forEach(clearInterval);
    }

    if (window.EventSource) {
      events = new EventSource("api/events");
      // On (re)connecting, fetch at once: the session may have moved while the stream was down.
      events.addEventListener("open", () => { live = true; page.connection("Live", true); fetchState(); });
      events.addEventListener("version", (event) => {
        live = true;
        if (Number(event.data) !== lastVersion) fetchState();
      });
      // The stream's last word ("closed": the session closed on the laptop; "stopped":
      // this page's serving stopped), after which the page stops reconnecting (API.md).
      events.addEventListener("ended", (event) => page.ended(event.data));
      events.addEventListener("error", () => { if (!over) { live = false; page.connection("Reconnecting…", false); } });
    }
    // The schedule's "behind" grows with the overrun without any event: poll now and then.
    timers.push(setInterval(() => { if (!live || Date.now() - lastFetch > 10000) fetchState(); }, 1000));
    timers.push(setInterval(page.tick, page.tickMs));
    return { fetchState, end };
  }

  window.WorkshopFollow = { follow, timed };
})();
