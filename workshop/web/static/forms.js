// The ballots a phone fills in (rating, dots) and the results after the reveal.
"use strict";
(function () {
  function rating(ballot, draft, can, busy, P) {
    const { el, button } = P;
    const questions = ballot.questions || [];
    const answered = questions.filter((q) => draft.answers[q.id] !== undefined).length;
    const voted = ballot.mine && ballot.mine.status === "voted";
    const items = questions.map((q, index) => {
      const choices = [];
      for (let value = q.min; value <= q.max; value += 1) {
        const chosen = draft.answers[q.id] === value;
        choices.push(button(String(value), () => P.changeDraft((d) => { d.answers[q.id] = value; d.confirming = false; }), {
          className: "choice" + (chosen ? " chosen" : ""), "aria-pressed": chosen ? "true" : "false",
          "aria-label": value + (value === q.min && q.low_label ? " (" + q.low_label + ")" : value === q.max && q.high_label ? " (" + q.high_label + ")" : ""),
          "data-question": q.id, "data-value": value, "data-focus": "q:" + q.id + ":" + value,
        }));
      }
      return el("fieldset", { className: "question" }, [
        el("legend", { text: (index + 1) + ". " + q.prompt }),
        el("div", { className: "choices" }, choices),
        el("div", { className: "scale" }, [el("span", { text: q.low_label || "" }), el("span", { text: q.high_label || "" })]),
      ]);
    });
    const warn = note(ballot, draft, voted, P);
    const send = () => P.submit("rating", { answers: Object.assign({}, draft.answers) });
    // Some questions left blank: ask first, as the laptop does, naming them.
    const unanswered = questions.filter((q) => draft.answers[q.id] === undefined);
    const asking = draft.confirming && unanswered.length > 0 && answered > 0;
    const ask = asking ? el("div", { className: "ask", id: "partial-ask", role: "alert" }, [
      el("p", { text: "You have not answered:" }),
      el("ul", {}, unanswered.map((q) => el("li", { text: q.prompt }))),
      el("p", { text: "Send your ratings with " + (unanswered.length === 1 ? "that question" : "those questions") + " unanswered?" }),
      button("Send anyway", send, { className: "primary", id: "send-partial", disabled: busy, "data-focus": "send-partial" }),
      button("Go back", () => P.changeDraft((d) => { d.confirming = false; }), { id: "partial-back", "data-focus": "partial-back" }),
    ]) : null;
    return [el("div", { className: "panel ballot", id: "rating-form" }, items.concat([
      el("p", { className: "hint", id: "answered", text: answered + " of " + questions.length + " answered" }),
      warn,
      ask || button(voted ? "Change my ratings" : "Send my ratings", () => {
        if (unanswered.length) P.changeDraft((d) => { d.confirming = true; });
        else send();
      }, { className: "primary", id: "send-rating", disabled: busy || answered === 0, "data-focus": "send" }),
      can.includes("abstain") ? abstainButton(busy, P) : null,
    ]))];
  }

  function dots(ballot, draft, can, busy, P) {
    const { el, button } = P;
    const proposals = ballot.proposals || [];
    const budget = ballot.dots_per_person;
    const cap = ballot.max_per_item;
    const spent = proposals.reduce((sum, p) => sum + (draft.dots[p.id] || 0), 0);
    const left = budget - spent;
    const voted = ballot.mine && ballot.mine.status === "voted";
    if (!proposals.length) return [el("p", { className: "hint", text: "There are no proposals to vote on yet." })];
    const rows = proposals.map((p) => {
      const mine = draft.dots[p.id] || 0;
      return el("li", { className: "dot-row", "data-proposal": p.id }, [
        el("span", { className: "dot-text", text: p.text }),
        el("span", { className: "dot-controls" }, [
          button("−", () => P.changeDraft((d) => { d.dots[p.id] = mine - 1; if (!d.dots[p.id]) delete d.dots[p.id]; }), {
            className: "step minus", disabled: mine <= 0, "aria-label": "Take a dot from: " + p.text, "data-focus": "minus:" + p.id,
          }),
          el("output", { className: "dots", "aria-label": "You gave it " + P.plural(mine, "dot", "dots"), text: "●".repeat(mine) || "0" }),
          button("+", () => P.changeDraft((d) => { d.dots[p.id] = mine + 1; }), {
            className: "step plus", disabled: left <= 0 || mine >= cap, "aria-label": "Add a dot to: " + p.text, "data-focus": "plus:" + p.id,
          }),
        ]),
      ]);
    });
    const warn = note(ballot, draft, voted, P);
    return [el("div", { className: "panel ballot", id: "dots-form" }, [
      el("p", { className: "budget", id: "dots-left", text: P.plural(left, "dot", "dots") + " left of " + budget + " · at most " + cap + " on one proposal" }),
      el("ul", { className: "dot-list" }, rows),
      warn,
      button(voted ? "Change my dots" : "Send my dots", () => P.submit("dots", { dots: Object.assign({}, draft.dots) }), {
        className: "primary", id: "send-dots", disabled: busy || spent === 0 || left < 0, "data-focus": "send",
      }),
      can.includes("abstain") ? abstainButton(busy, P) : null,
    ])];
  }

  // What sending means in this round: once only (anonymous), or changeable until the reveal.
  function note(ballot, draft, voted, P) {
    if (!ballot.can_change_after_voting) {
      return voted ? null : P.el("p", { className: "hint", text: "You can send this once: an anonymous vote cannot be changed afterwards." });
    }
    if (voted && !draft.dirty) return P.el("p", { className: "hint done", id: "mine-recorded", text: "Your vote is recorded. You can change it until the results are shown." });
    return null;
  }

  function abstainButton(busy, P) {
    return P.button("Take no part in this round", () => P.submit("abstain", {}), { className: "link", id: "abstain", disabled: busy });
  }

  function results(found, P) {
    const { el } = P;
    const parts = [el("h2", { text: "Results" })];
    if (found.ranking) {
      parts.push(el("ol", { className: "ranking", id: "ranking" }, found.ranking.map((row) => el("li", {}, [
        el("span", { className: "rank", text: row.rank + "." }),
        el("span", { className: "rank-text", text: row.text }),
        el("span", { className: "rank-dots", text: P.plural(row.dots, "dot", "dots") }),
      ]))));
    }
    (found.questions || []).forEach((q) => {
      const most = Math.max(1, ...Object.values(q.distribution || {}));
      const bars = Object.entries(q.distribution || {}).map(([value, count]) => {
        const bar = el("span", { className: "bar" });
        bar.style.width = Math.round((100 * count) / most) + "%"; // CSSOM, allowed by the page's CSP
        return el("li", {}, [el("span", { className: "bar-value", text: value }), el("span", { className: "bar-track" }, [bar]),
          el("span", { className: "bar-count", text: String(count) })]);
      });
      parts.push(el("div", { className: "result-question" }, [
        el("h3", { text: q.prompt }),
        el("p", { className: "hint", text: "Median " + (q.median === null ? "–" : q.median) + " · " + P.plural(q.count, "answer", "answers")
          + (q.low_agreement ? " · views differ widely" : "") }),
        el("ul", { className: "bars" }, bars),
      ]));
    });
    return [el("div", { className: "panel results", id: "results" }, parts)];
  }

  window.WorkshopPhoneForms = { rating, dots };
  window.WorkshopPhoneResults = results;
})();
