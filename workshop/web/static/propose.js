// A propose step on the phone: the box (with its length said as the limit nears), a
// proposal left unsent when the room moved on offered again, and the merge step's list.
"use strict";
(function () {
  const UNSENT_KEY = "workshop-phone-unsent"; // localStorage: survives the page, the tab and the step
  const number = (n) => n.toLocaleString("en-GB");

  // -- an unsent proposal, kept when the room moves on -------------------------------
  function keepUnsent(text, title) {
    if (!String(text || "").trim()) return;
    try { localStorage.setItem(UNSENT_KEY, JSON.stringify({ text, title: title || "" })); } catch (e) { /* storage off: nothing kept */ }
  }
  function unsent() {
    try {
      const kept = JSON.parse(localStorage.getItem(UNSENT_KEY) || "null");
      return kept && typeof kept.text === "string" && kept.text.trim() ? kept : null;
    } catch (e) { return null; }
  }
  function forgetUnsent() {
    try { localStorage.removeItem(UNSENT_KEY); } catch (e) { /* nothing to forget */ }
  }

  // -- the length of a text box, said before the limit is a surprise -------------------
  // Nothing is ever cut: past the limit the counter says by how much, and sending waits.
  function counted(box, limit, id, onchange) {
    const line = document.createElement("p");
    line.id = id;
    line.className = "counter";
    line.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", id);
    function update() {
      const used = box.value.length;
      const over = used > limit;
      line.hidden = used < limit * 0.8;
      line.className = "counter" + (used >= limit ? " at-limit" : "");
      line.textContent = number(used) + " of " + number(limit) + " characters"
        + (over ? ": " + number(used - limit) + " too many, shorten it to send" : used === limit ? ": the limit" : "");
      box.setAttribute("aria-invalid", over ? "true" : "false");
      if (onchange) onchange(over);
    }
    box.addEventListener("input", update);
    update();
    return line;
  }

  function render(state, activity, draft, P) {
    const { el, fill } = P;
    if (activity.merging) { merging(activity, P); return; }
    const can = (activity.can || []).includes("propose");
    const limit = (state.limits && state.limits.proposal) || 1000;
    const offer = can && !draft.text ? unsent() : null;
    fill("form", can ? "propose:" + activity.id + ":" + (offer ? offer.text : "") : "propose-closed", () => {
      if (!can) return [el("p", { className: "hint", text: "Proposals are closed on phones just now." })];
      const box = el("textarea", { id: "propose-text", rows: 3, "data-focus": "propose", oninput: () => { draft.text = box.value; P.keep(); } });
      box.value = draft.text || "";
      const send = el("button", { type: "submit", className: "primary", id: "propose-send", text: "Add my proposal" });
      const counter = counted(box, limit, "propose-count", (over) => { send.disabled = over; });
      const form = el("form", { className: "panel propose", id: "propose-form", onsubmit: (event) => {
        event.preventDefault();
        const text = box.value.trim();
        if (text && text.length <= limit) P.submit("propose", { text });
      } }, [el("label", { for: "propose-text", text: "Your proposal" }), box, counter, send]);
      if (!offer) return [form];
      const use = () => { forgetUnsent(); P.changeDraft((d) => { d.text = offer.text; }); };
      const drop = () => { forgetUnsent(); P.changeDraft(() => {}); };
      return [el("div", { className: "panel unsent", id: "unsent", role: "status" }, [
        el("p", { text: "You started a proposal that was not sent" + (offer.title ? " (in “" + offer.title + "”)" : "") + ":" }),
        el("blockquote", { id: "unsent-text", text: offer.text }),
        el("div", { className: "pair" }, [
          P.button("Use it", use, { className: "primary", id: "unsent-use" }),
          P.button("Discard it", drop, { id: "unsent-drop" }),
        ]),
      ]), form];
    });
    const mineIds = new Set(activity.my_proposals || []);
    const all = activity.proposals || [];
    fill("list", "list:" + JSON.stringify([all, activity.my_proposals]), () => [el("div", { className: "panel" }, [
      el("h2", { text: "Your proposals" }),
      mineIds.size ? el("ul", { className: "proposals", id: "my-proposals" }, all.filter((p) => mineIds.has(p.id)).map((p) => el("li", { text: p.text })))
        : el("p", { className: "hint", text: "None yet." }),
      el("p", { className: "hint", text: P.plural(all.length, "proposal", "proposals") + " from the room so far." }),
    ])]);
  }

  // The merge step: the facilitator merges duplicates on the laptop; phones read the list.
  function merging(activity, P) {
    const { el, fill } = P;
    const all = activity.proposals || [];
    fill("form", "merging", () => [el("p", { className: "hint", id: "merge-note",
      text: "The facilitator is merging proposals that say the same thing. Nothing to send: read the list, and say in the room which ones mean the same." })]);
    fill("list", "merge:" + JSON.stringify(all), () => [el("div", { className: "panel" }, [
      el("h2", { text: "The proposals (" + all.length + ")" }),
      all.length ? el("ol", { className: "proposals", id: "merge-list" }, all.map((p) => el("li", {}, [
        document.createTextNode(p.text),
        (p.merged_texts || []).length ? el("span", { className: "merged", text: " (also: " + p.merged_texts.join("; ") + ")" }) : null,
      ]))) : el("p", { className: "hint", text: "No proposals yet." }),
    ])]);
  }

  window.WorkshopPhonePropose = { render, counted, keepUnsent, forgetUnsent };
})();
