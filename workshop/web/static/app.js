// The phone page: join, then follow the facilitator's current activity and vote.
// Vanilla JS, no build step. Every text from the server goes in with textContent.
"use strict";
(function () {
  const found = /^(.*?\/j\/[^/]+\/)/.exec(location.pathname);
  const base = found ? found[1] : null;
  const storeKey = "workshop-phone:" + (base || "");
  const app = document.getElementById("app");
  const slotNames = ["notice", "who", "join", "activity", "clock", "mode", "form", "status", "list", "count", "results"];
  const slots = {};
  const POST_SECONDS = 20; // longer than the laptop waits for its disk before answering 503
  let state = null;
  let draft = null; // {activity, answers, dots, text, dirty}: what this phone has chosen, not yet sent
  let status = null; // {activity, kind, state: sending|recorded|failed|refused, message}
  let pending = null; // the submission in flight or to resend: {kind, activity, body}
  let joinError = "";
  let fetchedAt = 0; // performance.now() when the state arrived: the countdown ticks on from it
  let following = null; // follow.js's follower, from start() until the end

  // -- small helpers --------------------------------------------------------------
  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (value === undefined || value === null || value === false) return;
      if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "className" || key === "disabled" || key === "type" || key === "value") node[key] = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    (children || []).forEach((child) => { if (child) node.append(child); });
    return node;
  }
  const button = (label, onclick, extra) => el("button", Object.assign({ type: "button", text: label, onclick }, extra || {}));
  const plural = (count, one, many) => count + " " + (count === 1 ? one : many);

  function newRequestId() {
    // crypto.randomUUID needs a secure context; the room's network is plain http.
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function persist() {
    try { sessionStorage.setItem(storeKey, JSON.stringify({ draft, pending })); } catch (e) { /* private mode: memory only */ }
  }
  function restore() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(storeKey) || "{}");
      draft = saved.draft || null;
      pending = saved.pending || null;
    } catch (e) { draft = null; pending = null; }
  }

  // A slot is rebuilt only when what it shows changed, so a half-typed proposal keeps
  // its focus while other phones' votes change the counts.
  function fill(name, key, build) {
    const slot = slots[name];
    if (slot.key === key) return false;
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : null;
    slot.key = key;
    slot.node.replaceChildren(...(key === "" ? [] : build()));
    slot.node.hidden = key === "";
    if (focused) {
      const again = slot.node.querySelector('[data-focus="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
    return true;
  }

  // -- talking to the laptop ------------------------------------------------------
  const timed = window.WorkshopFollow.timed;

  async function post(path, body) {
    const response = await fetch("api/" + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      signal: timed(POST_SECONDS),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { status: response.status, ok: response.ok, data };
  }

  function fetchState() { return following ? following.fetchState() : Promise.resolve(); }

  function setConnection(text, ok) {
    const node = document.getElementById("connection");
    node.textContent = text;
    node.className = "connection " + (ok ? "ok" : "bad");
  }

  function follow() {
    following = window.WorkshopFollow.follow({
      connection: setConnection,
      state(data) { state = data; fetchedAt = performance.now(); render(); },
      // The address is no longer served (404), or joining has stopped (503, with its reason).
      stopped(status, data) {
        if (status === 404) showEnded("stopped", "");
        else if (status === 503) showEnded("stopped", data.error || "");
        else return false;
        return true;
      },
      ended: (word) => showEnded(word === "closed" ? "closed" : "stopped", ""),
      tick,
      tickMs: 500,
    });
  }

  // The countdown ticks here between states; view.js draws its place once per activity.
  function tick() {
    const node = document.getElementById("countdown");
    const clock = state && state.activity && state.activity.clock;
    if (!node || !clock) return;
    const now = window.WorkshopCountdown.reading(clock, fetchedAt);
    node.textContent = now.text;
    node.className = "countdown " + now.phase;
    node.dataset.phase = now.phase;
    document.getElementById("clock-note").textContent = now.note;
  }

  // -- submissions ---------------------------------------------------------------
  function submit(kind, fields) {
    if (status && status.state === "sending") return; // a double tap is one submission
    const activity = state.activity.id;
    pending = { kind, activity, body: Object.assign({ activity_id: activity, request_id: newRequestId() }, fields) };
    persist();
    send();
  }

  async function send() {
    if (!pending) return;
    const sent = pending;
    status = { activity: sent.activity, kind: sent.kind, state: "sending", message: "" };
    render();
    let answer;
    try {
      answer = await post(sent.kind, sent.body); // a resend keeps its request_id: it counts once
    } catch (e) {
      status = { activity: sent.activity, kind: sent.kind, state: "failed", message: "No connection to the facilitator's laptop." };
      render();
      return;
    }
    if (answer.ok && answer.data.recorded === true) {
      status = { activity: sent.activity, kind: sent.kind, state: "recorded", message: "" };
      pending = null;
      if (draft && draft.activity === sent.activity) {
        draft.dirty = false;
        draft.confirming = false;
        if (sent.kind === "propose") draft.text = "";
      }
      clearProposeBox(sent);
    } else if (answer.status >= 500) {
      status = { activity: sent.activity, kind: sent.kind, state: "failed", message: answer.data.error || "The laptop could not save it." };
    } else {
      // The rules said no: show the server's reason; a new try is a new submission.
      status = { activity: sent.activity, kind: sent.kind, state: "refused", message: answer.data.error || "The laptop refused it." };
      pending = null;
    }
    persist();
    render();
    fetchState();
  }

  function clearProposeBox(sent) {
    const box = document.getElementById("propose-text");
    if (sent.kind === "propose" && box && box.value.trim() === String(sent.body.text).trim()) box.value = "";
  }

  async function join(participantId) {
    joinError = "";
    try {
      const answer = await post("join", { participant_id: participantId });
      if (!answer.ok) joinError = answer.data.error || "Could not take that name.";
    } catch (e) { joinError = "No connection to the facilitator's laptop. Try again."; }
    fetchState();
    render();
  }

  async function askLate(name) {
    joinError = "";
    try {
      const answer = await post("late", { name });
      if (!answer.ok) joinError = answer.data.error || "Could not ask to join.";
    } catch (e) { joinError = "No connection to the facilitator's laptop. Try again."; }
    fetchState();
    render();
  }

  async function leave() {
    try { await post("leave", {}); } catch (e) { /* the state fetch shows the connection */ }
    draft = null; pending = null; status = null; persist();
    fetchState();
  }

  // -- the draft: what this phone has chosen for the current activity ----------------
  function currentDraft() {
    const activity = state.activity;
    if (!draft || draft.activity !== activity.id) {
      // The room moved on with a proposal typed here but not sent: keep it to offer again.
      if (draft && draft.text) window.WorkshopPhonePropose.keepUnsent(draft.text, draft.title);
      draft = { activity: activity.id, title: activity.title, answers: {}, dots: {}, text: "", dirty: false };
      if (status && status.activity !== activity.id) status = null;
      if (pending && pending.activity !== activity.id) pending = null;
    }
    const mine = activity.ballot && activity.ballot.mine;
    if (!draft.dirty && mine) { // named rounds show what I cast; anonymous ones never do
      if (mine.answers) draft.answers = Object.assign({}, mine.answers);
      if (mine.dots) draft.dots = Object.assign({}, mine.dots);
    }
    return draft;
  }
  function changeDraft(change) { change(draft); draft.dirty = true; if (status && status.state !== "sending") status = null; persist(); render(); }

  window.WorkshopPhone = { el, button, plural, fill, submit, send, join, askLate, leave, changeDraft, currentDraft, keep: persist, tick };
  window.WorkshopPhoneState = () => ({ state, draft, status, pending, joinError });

  // The end of following: "closed" (the laptop closed the session: thank the room) or
  // "stopped" (joining stopped; `reason` is the server's sentence). No more reconnecting.
  function showEnded(kind, reason) {
    state = null;
    if (following) following.end();
    if (kind === "closed") {
      setConnection("Session ended", false);
      fill("notice", "ended:closed", () => [el("div", { className: "panel", id: "ended" }, [
        el("h1", { text: "The session has ended" }),
        el("p", { text: "Thank you for taking part. You can close this page." }),
      ])]);
    } else {
      setConnection("Joining has stopped", false);
      fill("notice", "ended:" + reason, () => [el("div", { className: "panel warn", id: "ended" }, [
        el("h1", { text: "Joining has stopped" }),
        reason ? el("p", { text: reason }) : null,
        el("p", { text: "This join address is no longer open. If the facilitator starts joining again, scan the QR code again." }),
        button("Try again", () => location.reload(), { id: "try-again" }),
      ])]);
    }
    slotNames.filter((name) => name !== "notice").forEach((name) => fill(name, "", () => []));
  }

  function render() {
    if (!state) return;
    window.WorkshopPhoneView.render(state);
  }

  function start() {
    document.getElementById("loading").remove();
    slotNames.forEach((name) => {
      const node = el("section", { className: "slot slot-" + name, id: "slot-" + name });
      node.hidden = true;
      app.append(node);
      slots[name] = { node, key: null };
    });
    if (!base) {
      fill("notice", "nobase", () => [el("p", { className: "panel warn", text: "This address is incomplete. Scan the QR code on the screen again." })]);
      setConnection("Not connected", false);
      return;
    }
    restore();
    follow();
    fetchState().then(() => { if (pending && state && state.me) send(); }); // a reload resends with the same request_id
  }
  document.addEventListener("DOMContentLoaded", start);
})();
