// The plan on screen, in the page's language only: warnings first, the filing window, the steps grouped
// by status (done, overdue, now, later) with their dates, explanations, sources and references, and a
// way to record a step as done; then the evidence verdict, the tribunal, legal aid, the day computed
// for and the rules' check date, the calendar file.
// Only an overdue legal deadline looks alarming: a late step still useful is flagged, not red.

import { h, say, word } from "./dom.js";

export const GROUPS = ["done", "overdue", "now", "later"];
const LEVELS = ["danger", "warning", "info"];

/** A date range worded "from … to …", each date isolated: it reads right in both directions. */
export function range(r, start, end) {
  return say(r, "span", r.ui("range", { start: { date: start }, end: { date: end } }));
}

function confidence(r, confidence, verified) {
  if (confidence === "unverified" || !verified) return word(r, "span", "conf_unverified", { class: "gp-conf gp-conf-unverified" });
  return word(r, "span", confidence === "derived" ? "conf_derived" : "conf_verified", { class: "gp-conf" }, { date: { date: verified } });
}

/** A legal citation stays French (never translated); what it says is translated. */
function reference(r, ref) {
  const cite = ref.url && /^https:\/\//.test(ref.url)
    ? h("a", { href: ref.url, rel: "noopener noreferrer", lang: "fr", dir: "ltr", text: ref.text })
    : h("span", { lang: "fr", dir: "ltr", text: ref.text });
  const notes = [ref.about, ref.note].filter(Boolean).map((t) => [" ", say(r, "span", { msgid: t, params: {} }, { class: "gp-ref-note" })]);
  return h("li", { class: "gp-ref" }, h("bdi", {}, cite), " — ", confidence(r, ref.confidence, ref.verified), notes);
}

function references(r, refs) {
  return refs && refs.length ? [word(r, "p", "references", { class: "gp-sub" }), h("ul", { class: "gp-refs" }, refs.map((x) => reference(r, x)))] : [];
}

/** A dated parameter used for a date or a verdict: what it is, its value, since when, its source. */
function source(r, s) {
  const line = r.ui("source_line", { description: s.description, value: s.shown, since: { date: s.since } });
  return h("li", {}, say(r, "span", line), " — ", h("bdi", { lang: "fr", dir: "ltr", text: s.reference }), " — ",
    confidence(r, s.confidence, s.verified), s.note ? [" ", say(r, "span", s.note)] : null);
}

function figures(r, list) {
  return (list || []).map((f) => {
    const value = f.value === null || f.value === undefined ? { msgid: f.msgid, params: f.params || {} } : f.shown;
    return say(r, "p", r.ui("figure", { label: f.label, value }), { class: "gp-figure" });
  });
}

function details(r, key, body) {
  const parts = body.flat().filter(Boolean);
  return parts.length ? h("details", { class: "gp-why" }, word(r, "summary", key), parts) : null;
}

function warning(r, w) {
  const level = LEVELS.includes(w.level) ? w.level : "info";
  return h("li", { class: `gp-warning gp-level-${level}`, "data-warning": w.id },
    word(r, "strong", `level_${level}`, { class: "gp-level-label" }), " ", say(r, "span", w.text),
    figures(r, w.figures), details(r, "references", [references(r, w.references)]));
}

/** When a step is (done, due, planned), in words. */
export function when(r, s) {
  if (s.status === "done") return word(r, "span", "done_on", {}, { date: { date: s.done_on || s.date } });
  if (s.kind === "by" || s.status === "overdue") return word(r, "span", "deadline", {}, { date: { date: s.date } });
  if (s.start && s.end) return range(r, s.start, s.end);
  return r.nodes({ msgid: "{date}", params: { date: { date: s.date } } });
}

/** Record a step as done today or on a chosen day (fills its done date in the form and recomputes). */
function marker(r, s, ctx) {
  if (!s.can_mark_done) return null;
  if (s.status === "done") {
    return h("p", { class: "gp-mark" }, word(r, "button", "unmark", { type: "button", class: "md-button gp-unmark",
      onclick: () => ctx.onMarkDone(s.id, undefined) }));
  }
  const id = `gp-mark-${s.id}`;
  const input = h("input", { type: "date", id, max: ctx.today, min: ctx.doneMin(s.id) });
  return h("div", { class: "gp-mark" },
    word(r, "button", "mark_today", { type: "button", class: "md-button gp-mark-today", onclick: () => ctx.onMarkDone(s.id, ctx.today) }),
    h("details", { class: "gp-mark-other" }, word(r, "summary", "mark_other"),
      word(r, "label", "mark_date", { for: id }), input,
      word(r, "button", "mark_save", { type: "button", class: "md-button gp-mark-save",
        onclick: () => { if (input.value) ctx.onMarkDone(s.id, input.value); else input.focus(); } })));
}

function step(r, s, ctx) {
  const flags = (s.flags || []).map((f) => say(r, "p", f, { class: `gp-flag gp-flag-${f.reason === "late" ? "late" : "note"}` }));
  return h("li", { class: `gp-step gp-status-${s.status}${s.late ? " gp-late" : ""}`, "data-step": s.id, "data-status": s.status },
    h("p", { class: "gp-step-when" }, word(r, "span", `status_${s.status}`, { class: `gp-badge gp-badge-${s.status}` }), " ", when(r, s)),
    say(r, "h5", s.title, { class: "gp-step-title" }),
    say(r, "p", s.description),
    flags, figures(r, s.figures),
    details(r, "why", [
      (s.why || []).length ? h("ul", {}, s.why.map((m) => say(r, "li", m))) : null,
      (s.explanation || []).length ? [word(r, "p", "sources", { class: "gp-sub" }), h("ul", {}, s.explanation.map((x) => source(r, x)))] : null,
      references(r, s.references)]),
    marker(r, s, ctx));
}

function aidBox(r, aid, ctx) {
  const box = h("section", { class: "gp-aid", "aria-labelledby": "gp-aid-title" }, word(r, "h4", "aid", { id: "gp-aid-title" }));
  if (!aid) box.append(word(r, "p", "aid_invite", { class: "gp-help" }));
  else if (aid.errors) {
    box.dataset.state = "missing";
    box.append(word(r, "p", "aid_missing"), h("ul", { class: "gp-aid-missing" }, aid.missing.map((q) => h("li", { text: ctx.label(q) }))));
  } else {
    box.dataset.state = "verdict";
    box.dataset.rate = String(aid.rate);
    box.append(say(r, "p", aid.verdict, { class: "gp-verdict" }),
      aid.warning ? say(r, "p", aid.warning, { class: "gp-flag gp-flag-late" }) : null,
      (aid.explanation || []).length ? h("ul", {}, aid.explanation.map((m) => say(r, "li", m))) : null,
      details(r, "sources", [(aid.parameters || []).length ? h("ul", {}, aid.parameters.map((x) => source(r, x))) : null]));
  }
  return box;
}

function tribunalBox(r, t) {
  return h("section", { class: "gp-tribunal" }, word(r, "h4", "tribunal"),
    h("p", {}, h("strong", { lang: "fr", dir: "ltr", text: t.tribunal_administratif }),
      t.status !== "verified" ? [" — ", confidence(r, "unverified")] : null),
    word(r, "p", "tribunal_for", {}, { departement: t.departement, code: t.code }),
    details(r, "references", [references(r, t.references)]));
}

function evidenceBox(r, plan) {
  const ev = plan.evidence;
  return h("section", { class: "gp-evidence-verdict" }, word(r, "h4", "evidence_verdict"),
    ev ? say(r, "p", ev.verdict, { class: `gp-level gp-level-${ev.level}`, "data-level": ev.level }) : null,
    ev && ev.reasons.length ? h("ul", {}, ev.reasons.map((m) => say(r, "li", m))) : null,
    plan.missing_evidence.length ? [word(r, "p", "missing_evidence", { class: "gp-sub" }),
      h("ul", { class: "gp-missing" }, plan.missing_evidence.map((m) => say(r, "li", m)))] : null);
}

/**
 * The plan as a DOM tree.
 * @param ctx  {r, today, label(qid), doneMin(step), onMarkDone(step, iso|undefined), onIcs(), onPrintChecklist()}
 */
export function renderPlan(plan, ctx) {
  const r = ctx.r;
  const out = [word(r, "h3", "plan", { class: "gp-plan-title", tabindex: "-1" })];
  if (plan.warnings.length) out.push(h("ul", { class: "gp-warnings" }, plan.warnings.map((w) => warning(r, w))));
  const fw = plan.filing_window;
  if (fw) {
    out.push(h("section", { class: `gp-window${fw.legal ? " gp-window-legal" : ""}` }, say(r, "h4", fw.label),
      h("p", { class: "gp-window-dates" }, range(r, fw.start, fw.end)),
      (fw.flags || []).map((f) => say(r, "p", f, { class: "gp-flag gp-flag-note" })),
      details(r, "why", [(fw.explanation || []).length ? h("ul", {}, fw.explanation.map((x) => source(r, x))) : null,
        references(r, fw.references)])));
  }
  for (const status of GROUPS) {
    const steps = plan.steps.filter((s) => s.status === status);
    if (!steps.length) continue;
    out.push(h("section", { class: `gp-steps-group gp-group-${status}`, "data-group": status },
      word(r, "h4", `group_${status}`), h("ol", { class: "gp-steps" }, steps.map((s) => step(r, s, ctx)))));
  }
  out.push(evidenceBox(r, plan));
  if (plan.tribunal) out.push(tribunalBox(r, plan.tribunal));
  out.push(aidBox(r, plan.aid, ctx));
  out.push(word(r, "p", "computed_on", { class: "gp-help" }, { date: { date: plan.today } }),
    word(r, "p", "rules_checked", { class: "gp-help" }, { date: { date: plan.rules_checked } }));
  out.push(h("p", { class: "gp-plan-actions" },
    word(r, "button", "ics", { type: "button", class: "md-button gp-ics", onclick: () => ctx.onIcs(), "aria-describedby": "gp-ics-help" }), " ",
    word(r, "button", "print_checklist", { type: "button", class: "md-button gp-print-checklist", onclick: () => ctx.onPrintChecklist() })),
  word(r, "p", "ics_help", { class: "gp-help", id: "gp-ics-help" }));
  return out;
}

/** Reminders for the calendar: the steps still ahead, never a day already gone. One UID per procedure
 * and step, whatever its date: a file downloaded after a change updates the reminders it gave before
 * (planner/ics.py gives each file a higher SEQUENCE) instead of adding new ones beside them. */
export function icsEvents(plan, r) {
  return plan.steps.filter((s) => s.status !== "done" && s.date > plan.today).map((s) => ({
    uid: `${plan.procedure}-${s.id}@guichet`,
    date: s.date,
    summary: r.text(s.title),
    description: [r.text(s.description), ...(s.why || []).map((m) => r.text(m)), ...(s.references || []).map((x) => x.text)].join("\n"),
  }));
}
