// What the phone shows for a state from api/state; app.js owns talking to the laptop.
"use strict";
(function () {
  // Said plainly before the vote: who will see what (label, then the rest of the sentence).
  const MODE_SENTENCES = {
    anonymous: ["Anonymous:", "nobody, not even the facilitator, sees what you chose."],
    named: ["Named:", "your name is recorded with your answers."],
    passed: ["Named:", "your name is recorded with your answers."],
    hands: ["Show of hands:", "vote by raising your hand in the room, not on this phone."],
  };

  function render(state) {
    const P = window.WorkshopPhone;
    const { el, button, fill } = P;
    const title = state.session && state.session.title ? state.session.title : "Workshop";
    document.getElementById("session-title").textContent = title;
    document.title = title + " · vote from your phone"; // a property: never parsed as HTML
    fill("notice", "", () => []);
    if (!state.me) {
      ["who", "activity", "clock", "mode", "form", "status", "list", "count", "results"].forEach((name) => fill(name, "", () => []));
      renderJoin(state, P);
      return;
    }
    fill("join", "", () => []);
    fill("who", "who:" + state.me.name, () => [
      el("p", { className: "who" }, [document.createTextNode("You are "), el("strong", { text: state.me.name })]),
      button("Not you?", () => P.leave(), { className: "link", id: "leave", "aria-label": "Not you? Give back the name " + state.me.name }),
    ]);
    const activity = state.activity;
    if (!activity) {
      ["clock", "mode", "form", "status", "list", "count", "results"].forEach((name) => fill(name, "", () => []));
      fill("activity", "none", () => [el("div", { className: "panel" }, [
        el("h1", { text: "Waiting for the facilitator" }),
        el("p", { text: "The session is not running just now. This page follows the room by itself." }),
      ])]);
      return;
    }
    const draft = P.currentDraft();
    fill("activity", JSON.stringify([activity.id, activity.title, activity.prompt, activity.behaviour]), () => [
      el("div", { className: "panel activity" }, [
        activity.behaviour ? el("p", { className: "behaviour", text: activity.behaviour.name }) : null,
        el("h1", { id: "activity-title", text: activity.title }),
        activity.prompt ? el("p", { className: "prompt", id: "activity-prompt", text: plainText(activity.prompt) }) : null,
      ]),
    ]);
    // The current time box: its place is built once per activity; app.js ticks it.
    fill("clock", activity.clock ? "clock:" + activity.id : "", () => [
      el("p", { className: "time", id: "time" }, [
        el("span", { className: "time-label", text: "Time left" }),
        el("span", { className: "countdown normal", id: "countdown", role: "timer" }),
        el("span", { className: "clock-note", id: "clock-note" }),
      ]),
    ]);
    P.tick();
    const ballot = activity.ballot;
    fill("mode", ballot ? "mode:" + ballot.mode : "", () => [
      el("p", { className: "mode mode-" + (ballot.anonymous ? "anonymous" : "named"), id: "mode-note" },
        MODE_SENTENCES[ballot.mode]
          ? [el("strong", { text: MODE_SENTENCES[ballot.mode][0] }), document.createTextNode(" " + MODE_SENTENCES[ballot.mode][1])]
          : [document.createTextNode(ballot.mode_note || "")]),
    ]);
    renderForm(state, activity, draft, P);
    renderStatus(P, ballot);
    fill("count", ballot && !ballot.revealed ? "count:" + ballot.voted_count + "/" + ballot.eligible_count : "", () => [
      el("p", { className: "count", id: "voted-count", text: ballot.voted_count + " of " + ballot.eligible_count + " voted" }),
    ]);
    const results = ballot && ballot.revealed && ballot.results;
    fill("results", results ? "results:" + JSON.stringify(results) : "", () => window.WorkshopPhoneResults(results, P));
  }

  function renderJoin(state, P) {
    const { el, button, fill } = P;
    const late = state.late_request;
    const { joinError } = window.WorkshopPhoneState();
    fill("join", JSON.stringify([state.participants, late, joinError, state.kept_as]), () => {
      if (late && late.status === "pending") {
        return [el("div", { className: "panel", id: "late-waiting" }, [
          el("h1", { text: "Waiting for the facilitator" }),
          el("p", {}, [document.createTextNode("You asked to join as "), el("strong", { text: late.name }),
            document.createTextNode(". The facilitator will let you in from the laptop; this page moves on by itself.")]),
        ])];
      }
      // A phone that took part under a name and gave it back may take only that one again.
      const kept = state.kept_as;
      const names = el("ul", { className: "names", id: "names" }, state.participants.map((person) => el("li", {}, [
        button(person.name + (person.taken ? " (taken)" : ""), () => P.join(person.id), {
          className: "name", disabled: person.taken || (kept && kept.participant_id !== person.id),
          "data-participant": person.id, "data-focus": "join:" + person.id,
        }),
      ])));
      const box = el("input", { type: "text", id: "late-name", autocomplete: "name", "data-focus": "late" });
      const limit = (state.limits && state.limits.name) || 200;
      const askButton = el("button", { type: "submit", text: "Ask to join" });
      const counter = window.WorkshopPhonePropose.counted(box, limit, "late-count", (over) => { askButton.disabled = over; });
      const ask = el("form", { className: "late", id: "late-form", onsubmit: (event) => {
        event.preventDefault();
        if (box.value.trim()) P.askLate(box.value.trim());
      } }, [
        el("label", { for: "late-name", text: "Not on the list? Your name" }), box, counter, askButton,
      ]);
      return [el("div", { className: "panel" }, [
        el("h1", { text: "Who are you?" }),
        kept ? el("p", { id: "kept-as", text: "This phone has taken part as " + kept.name
          + ": tap that name to come back. To use another name, ask the facilitator." })
          : el("p", { text: "Tap your name. Once you vote or propose, this phone keeps it for the whole session." }),
        joinError ? el("p", { className: "error", role: "alert", id: "join-error", text: joinError }) : null,
        late && late.status === "refused" ? el("p", { className: "error", text: "The facilitator did not accept the request to join as " + late.name + "." }) : null,
        late && late.status === "expired" ? el("p", { className: "error", text: "The request to join as " + late.name + " waited too long. Ask again, or ask the facilitator." }) : null,
        names, kept ? null : ask,
      ])];
    });
  }

  function renderForm(state, activity, draft, P) {
    const { el, fill } = P;
    const ballot = activity.ballot;
    const can = activity.can || [];
    if (activity.kind === "propose") {
      window.WorkshopPhonePropose.render(state, activity, draft, P);
      return;
    }
    fill("list", "", () => []);
    if (!ballot) {
      fill("form", "nothing:" + activity.kind, () => [el("p", { className: "hint", text: "Nothing to do on your phone for this part. Follow the room." })]);
      return;
    }
    const mine = ballot.mine;
    const sending = window.WorkshopPhoneState().status;
    const busy = sending && sending.state === "sending";
    if (ballot.revealed) {
      fill("form", "", () => []);
      return;
    }
    const canVote = can.includes("rate") || can.includes("dots");
    if (!canVote) {
      const why = ballot.mode === "hands" ? "" : mine && mine.status === "abstained" ? "You are taking no part in this round."
        : mine && mine.status === "voted" ? (ballot.can_change_after_voting ? "Your vote is recorded." : "Your vote is recorded. An anonymous vote cannot be changed, so this is final.")
        : ballot.problem || "Voting is not open on phones just now.";
      fill("form", "closed:" + why, () => (why ? [el("p", { className: "hint" + (mine && mine.status ? " done" : ""), id: "closed-note", text: why })] : []));
      return;
    }
    const key = JSON.stringify([activity.id, ballot.questions, ballot.proposals, ballot.dots_per_person, ballot.max_per_item, draft.answers, draft.dots, draft.confirming, mine, can, busy]);
    const changed = fill("form", key, () => (activity.kind === "rate" ? window.WorkshopPhoneForms.rating(ballot, draft, can, busy, P) : window.WorkshopPhoneForms.dots(ballot, draft, can, busy, P)));
    const ask = changed && draft.confirming ? document.getElementById("partial-ask") : null;
    if (ask) ask.scrollIntoView({ block: "nearest" }); // the question must be seen whole, not below the fold
  }

  function renderStatus(P, ballot) {
    const { el, button, fill } = P;
    const { status } = window.WorkshopPhoneState();
    const settled = status && status.state === "recorded" && ballot && ballot.revealed; // the results say the rest
    if (!status || settled) { fill("status", "", () => []); return; }
    const changed = fill("status", JSON.stringify(status), () => {
      if (status.state === "sending") return [el("p", { className: "status sending", role: "status", text: "Sending…" })];
      if (status.state === "recorded") return [el("p", { className: "status ok", role: "status", id: "recorded", text: "✓ Recorded" })];
      const lines = [el("p", { className: "status bad", role: "alert", id: "not-recorded" }, [
        el("strong", { text: status.state === "failed" ? "✗ Not recorded, try again." : "✗ Not recorded." }),
        document.createTextNode(" "), el("span", { className: "reason", text: reason(status.message) }),
      ])];
      if (status.state === "failed") lines.push(button("Try again", () => P.send(), { className: "primary", id: "try-again" }));
      return lines;
    });
    // The answer to a tap must be seen, even when the form is taller than the phone.
    if (changed && status.state !== "sending") document.getElementById("slot-status").scrollIntoView({ block: "nearest" });
  }

  // A read's or break's text comes as Markdown source: drop the marks a phone would show
  // as clutter (emphasis, heading hashes); the words stay as they are, never as HTML.
  function plainText(markdown) {
    return String(markdown)
      .replace(/^#{1,6}\s+/gm, "")
      .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, "$2");
  }

  // The server's 503 sentence starts "Not recorded:", which the heading already says.
  function reason(message) {
    const rest = String(message || "").replace(/^Not recorded:\s*/, "");
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }

  window.WorkshopPhoneView = { render };
})();
