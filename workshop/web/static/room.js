// The room's screen: follows the facilitator's session on a projector. Read-only.
// Vanilla JS, no build step. Every text from the server goes in with textContent.
"use strict";
(function () {
  const RANKED_ON_SCREEN = 5;
  const $ = (id) => document.getElementById(id);
  let state = null;
  let following = null; // follow.js's follower
  // The countdown ticks here between events: the state says how much was left when it was
  // built; `fetchedAt` is when it arrived, on this page's own monotonic clock.
  let clock = null;
  let fetchedAt = 0;
  const drawn = {}; // part name -> the JSON it was last drawn from, so unchanged parts are left alone

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const plural = (count, one, many) => count + " " + (count === 1 ? one : many);

  // -- following the session --------------------------------------------------------
  function setConnection(text, ok) {
    const node = $("connection");
    node.textContent = text;
    node.className = "connection " + (ok ? "ok" : "bad");
  }

  function follow() {
    following = window.WorkshopFollow.follow({
      connection: setConnection,
      state(data) { state = data; fetchedAt = performance.now(); render(); },
      ended: showEnded,
      tick,
      tickMs: 250,
    });
  }

  // -- drawing -------------------------------------------------------------------------
  function part(name, value, draw) {
    const key = JSON.stringify(value === undefined ? null : value);
    if (drawn[name] === key) return;
    drawn[name] = key;
    draw();
  }

  function render() {
    $("loading").hidden = true;
    document.title = state.session.title + ": the room's screen";
    $("session-title").textContent = state.session.title;
    const activity = state.activity;
    $("hold").hidden = !state.hold;
    $("ended").hidden = state.hold || !state.ended;
    $("content").hidden = state.hold || !activity;
    $("clock").hidden = state.hold || !activity;
    part("join", state.joining, () => drawJoin(state.joining));
    if (!activity || state.hold) { clock = null; return; }
    clock = activity.clock;
    $("kind").textContent = activity.kind_label + (activity.behaviour ? " · " + activity.behaviour : "");
    $("activity-title").textContent = activity.title;
    $("schedule").textContent = state.schedule ? "Schedule: " + state.schedule : "";
    $("returns").hidden = !activity.returns_at;
    $("returns").textContent = activity.returns_at ? "Back at " + activity.returns_at : "";
    part("text", [activity.id, activity.blocks, activity.prompts], () => drawText(activity));
    part("body", [activity.id, activity.round, activity.proposals, activity.board, activity.decisions], () => drawBody(activity));
    fit();
    tick();
  }

  function drawJoin(joining) {
    const box = $("join");
    box.hidden = !joining;
    if (!joining) return;
    $("qr").src = joining.qr;
    $("qr").alt = "QR code to join from a phone: " + joining.url;
    $("join-host").textContent = joining.code_url;
    $("join-code").textContent = joining.code.slice(0, 3) + " " + joining.code.slice(3);
    $("join-code").setAttribute("aria-label", "code " + joining.code.split("").join(" "));
  }

  function drawText(activity) {
    const nodes = [];
    let list = null;
    activity.blocks.forEach((block) => {
      if (block.kind === "li") {
        if (!list) { list = el("ul", "reading-list"); nodes.push(list); }
        list.append(el("li", "", block.text));
        return;
      }
      list = null;
      nodes.push(el(block.kind === "h" ? "h2" : "p", block.kind === "h" ? "reading-heading" : "reading", block.text));
    });
    if (activity.prompts.length) {
      const prompts = el("ul", "prompts");
      activity.prompts.forEach((text) => prompts.append(el("li", "", text)));
      nodes.push(prompts);
    }
    $("text").replaceChildren(...nodes);
    $("text").classList.toggle("long", activity.kind === "read" || activity.kind === "break");
  }

  function drawBody(activity) {
    const nodes = [];
    if (activity.round) nodes.push(...drawRound(activity.round));
    if (activity.proposals) nodes.push(...drawProposals(activity.proposals));
    if (activity.board) nodes.push(drawBoard(activity.board, activity.kind));
    if (activity.decisions && activity.decisions.length) {
      // What the close recorded: who must agree, by when, the next review.
      const decided = el("ul", "prompts");
      decided.id = "decisions";
      activity.decisions.forEach((line) => decided.append(el("li", "", line)));
      nodes.push(decided);
    }
    $("body").replaceChildren(...nodes);
  }

  function drawRound(round) {
    const out = [];
    if (round.results) {
      out.push(round.results.kind === "rating" ? drawRatings(round.results) : drawRanking(round.results));
      out.push(el("p", "rule", round.results.rule));
      return out;
    }
    if (round.hands) {
      out.push(el("p", "count", "Show of hands: the facilitator counts the room."));
    } else {
      const count = el("p", "count", round.voted_count + " of " + round.eligible_count + " voted");
      count.id = "voted";
      out.push(count);
      if (round.abstained_count) out.push(el("p", "note", plural(round.abstained_count, "person", "people") + " abstained"));
      out.push(el("p", "note mode", round.anonymous
        ? "Anonymous: nobody, the facilitator included, sees who chose what."
        : round.mode_label));
      if (round.waiting_for && round.waiting_for.length) {
        const waiting = el("p", "waiting");
        waiting.id = "waiting";
        waiting.append(el("span", "label", "Still to vote: "), document.createTextNode(round.waiting_for.join(", ")));
        out.push(waiting);
      }
    }
    if (round.questions.length) {
      const list = el("ol", "questions");
      round.questions.forEach((q) => {
        const item = el("li", "", q.prompt);
        item.append(el("span", "scale", " " + q.min + " " + q.low_label + " … " + q.max + " " + q.high_label));
        list.append(item);
      });
      out.push(list);
    }
    if (round.ballot.length) {
      out.push(el("p", "note", plural(round.dots_per_person, "dot", "dots") + " each, at most " + round.max_per_item + " on one proposal."));
      const list = el("ul", "ballot");
      round.ballot.forEach((p) => list.append(el("li", "", p.text)));
      out.push(list);
    }
    return out;
  }

  function drawRatings(results) {
    const box = el("div", "ratings");
    box.id = "results";
    results.questions.forEach((q) => {
      const row = el("figure", "rating" + (q.low_agreement ? " low" : ""));
      const chart = el("img", "chart");
      chart.src = q.chart;
      chart.alt = q.chart_label;
      const caption = el("figcaption", "");
      caption.append(el("span", "rating-prompt", q.prompt));
      const figures = el("span", "figures",
        "Median " + q.median_text + " · spread " + (q.spread === null ? "–" : q.spread) + " · " + plural(q.count, "answer", "answers"));
      caption.append(figures);
      if (q.low_agreement) caption.append(el("span", "flag", "Low agreement"));
      row.append(caption, chart);
      box.append(row);
    });
    return box;
  }

  function drawRanking(results) {
    const table = el("table", "ranking");
    table.id = "results";
    const head = el("tr");
    ["Place", "Proposal", "Dots"].forEach((h) => { const th = el("th", "", h); th.scope = "col"; head.append(th); });
    table.append(el("thead"));
    table.tHead.append(head);
    const body = el("tbody");
    const most = Math.max(1, ...results.ranking.map((r) => r.dots));
    // A projector shows the top places that got dots (ties at the last one included); the
    // report lists them all.
    const shown = results.ranking.filter((r) => r.place <= RANKED_ON_SCREEN && r.dots > 0);
    shown.forEach((r) => {
      const row = el("tr", r.place === 1 ? "first" : "");
      row.append(el("td", "place", r.place_label), el("td", "proposal", r.text));
      const dots = el("td", "dots");
      const bar = el("span", "bar");
      bar.style.width = (r.dots / most) * 100 + "%"; // CSSOM: allowed by the page's CSP
      dots.append(el("span", "dot-count", r.dots), bar);
      row.append(dots);
      body.append(row);
    });
    table.append(body);
    const rest = results.ranking.length - shown.length;
    if (!rest) return table;
    const wrap = el("div", "");
    const anyDots = results.ranking.slice(shown.length).some((r) => r.dots > 0);
    wrap.append(table, el("p", "note", "and " + plural(rest, "more proposal", "more proposals") + (anyDots ? " with fewer dots" : " with no dots")));
    return wrap;
  }

  function drawProposals(proposals) {
    const heading = el("p", "count", plural(proposals.length, "proposal", "proposals"));
    const list = el("ul", "proposals");
    list.id = "proposals";
    proposals.forEach((p) => {
      const item = el("li", "", p.text);
      if (p.also.length) item.append(el("span", "also", "also worded: " + p.also.join("; ")));
      list.append(item);
    });
    return [heading, list];
  }

  function drawBoard(columns, kind) {
    const board = el("div", "board");
    board.id = "board";
    const lanes = el("div", "lanes");
    board.append(lanes);
    columns.forEach((column) => {
      if (column.horizon === "unplaced") {
        // As the report draws it: the time horizons side by side, the tray a band below.
        const tray = el("section", "tray");
        tray.append(el("h2", "lane-title", column.label + " (" + column.cards.length + ")"));
        const chips = el("ul", "chips");
        column.cards.forEach((c) => chips.append(el("li", "chip", c.text)));
        tray.append(chips);
        board.append(tray);
        return;
      }
      const lane = el("section", "lane");
      lane.append(el("h2", "lane-title", column.label));
      if (!column.cards.length) lane.append(el("p", "none", "None yet."));
      column.cards.forEach((c) => {
        const cardNode = el("div", "card" + (c.protected ? " protected" : ""));
        const title = el("p", "card-text", c.text);
        if (c.protected) title.append(el("span", "mark", "Protected"));
        cardNode.append(title);
        const meta = [];
        if (c.owner) meta.push("Owner: " + c.owner);
        if (c.review_date) meta.push("Review " + c.review_date);
        if (meta.length) cardNode.append(el("p", "card-meta", meta.join(" · ")));
        lane.append(cardNode);
      });
      lanes.append(lane);
    });
    if (kind === "close") {
      const wrap = el("div", "");
      wrap.append(el("p", "count", "Our priorities"), board);
      return wrap;
    }
    return board;
  }

  // A projector cannot scroll: when the activity's content is taller than the screen
  // (twenty proposals, a long reading), shrink it step by step until it fits, down to
  // a floor below which it would no longer be read from the back of the room.
  function fit() {
    const main = $("main");
    const content = $("content");
    let scale = 1;
    content.style.zoom = "";
    while (main.scrollHeight > main.clientHeight + 1 && scale > 0.55) {
      scale -= 0.05;
      content.style.zoom = String(scale); // CSSOM: allowed by the page's CSP
    }
  }
  window.addEventListener("resize", fit);

  // -- the countdown (drawn as the phone page draws it: countdown.js) -----------------------
  function tick() {
    if (!clock) return;
    const now = window.WorkshopCountdown.reading(clock, fetchedAt);
    const node = $("countdown");
    node.textContent = now.text;
    node.className = "countdown " + now.phase;
    node.dataset.phase = now.phase;
    $("clock-note").textContent = now.note;
  }

  // -- the end -------------------------------------------------------------------------
  // The server says why the stream ends ("closed": the session closed on the laptop;
  // "stopped": the facilitator stopped this screen): say so and stop reconnecting.
  function showEnded(reason) {
    following.end();
    clock = null;
    const closed = reason === "closed";
    $("ended-title").textContent = closed ? "The session has ended" : "The room's screen has stopped";
    $("ended-words").textContent = closed ? "Thank you." : "The facilitator has closed this screen on the laptop.";
    ["hold", "content", "clock", "join", "loading"].forEach((id) => { $(id).hidden = true; });
    $("ended").hidden = false;
    setConnection(closed ? "Session ended" : "Stopped", false);
  }

  follow();
  following.fetchState();
})();
