// The form written at build time (scripts/web/form_html.py), attached to: its fields are read by name
// against the form model of the manifest (planner.form: sections, types, limits, the done steps). The
// widget checks only what spares a round trip (a required answer, a date out of its range); the engine
// checks everything. Amounts and numbers are sent exactly as typed: the engine reads "25 000" and
// refuses "25,000"; the browser never parses them.

import { shiftISO } from "./dom.js";

/** A limit of the model ({date: ISO} or {today: {unit: n}}) as a date, from the reader's today. */
export function limit(spec, today) {
  if (!spec || typeof spec !== "object") return null;
  if ("date" in spec) return spec.date;
  if ("today" in spec) return shiftISO(today, spec.today);
  return null;
}

export class FormView {
  /**
   * @param form  the .gp-form element
   * @param procedures  manifest.procedures ({id: {form: sections}})
   * @param fixed  the page's procedure, or "" (the home page: a selector)
   */
  constructor(form, procedures, fixed) {
    this.form = form;
    this.procedures = procedures;
    this.chooser = form.querySelector("select[name=procedure]");
    this.fixed = Object.prototype.hasOwnProperty.call(procedures, fixed) ? fixed : "";
    if (this.chooser) this.chooser.addEventListener("change", () => this.showProcedure());
  }

  procedure() { return this.fixed || (this.chooser ? this.chooser.value : Object.keys(this.procedures)[0]); }

  sections() { return this.procedures[this.procedure()].form; }

  /** The section elements of the current procedure. */
  sectionEls() {
    const pid = this.procedure();
    return [...this.form.querySelectorAll("[data-section]")].filter((el) => el.dataset.procedures.split(" ").includes(pid));
  }

  showProcedure() {
    const pid = this.procedure();
    for (const el of this.form.querySelectorAll("[data-section]")) el.hidden = !el.dataset.procedures.split(" ").includes(pid);
  }

  /** The element holding question `qid` (.gp-field or the radios' fieldset) in the current procedure. */
  field(qid) {
    for (const el of this.sectionEls()) {
      const f = [...el.querySelectorAll("[data-q]")].find((x) => x.dataset.q === qid);
      if (f) return f;
    }
    return null;
  }

  controls(qid) {
    const f = this.field(qid);
    return f ? [...f.querySelectorAll("input, select")] : [];
  }

  get(qid) {
    const controls = this.controls(qid);
    if (!controls.length) return undefined;
    if (controls[0].type === "radio") { const c = controls.find((x) => x.checked); return c ? c.value : undefined; }
    const v = controls[0].value.trim();
    return v === "" ? undefined : v;
  }

  set(qid, value) {
    const controls = this.controls(qid);
    if (!controls.length) return;
    const v = value === undefined || value === null ? "" : String(value);
    if (controls[0].type === "radio") for (const c of controls) c.checked = c.value === v;
    else controls[0].value = v;
  }

  /** Every answer of the current procedure, by question id ("done.<step>" included), as typed. */
  values() {
    const out = {};
    for (const s of this.sections()) for (const q of s.questions) {
      const v = this.get(q.id);
      if (v !== undefined) out[q.id] = v;
    }
    return out;
  }

  restore(values) {
    for (const [qid, v] of Object.entries(values || {})) this.set(qid, v);
    this.openFilled();
  }

  /** Every control back to its state in the page as built: every procedure's answers, the choice of
   * procedure and "keep" too. */
  clear() {
    this.form.reset();
    if (this.chooser) this.showProcedure();
  }

  /** The request's parts: {answers, done: {step: date}} (the model says which fields are done dates). */
  request() {
    const answers = {}, done = {};
    for (const s of this.sections()) for (const q of s.questions) {
      const v = this.get(q.id);
      if (v === undefined) continue;
      if (q.step) done[q.step] = v; else answers[q.id] = v;
    }
    return { answers, done };
  }

  /** The question id of a done step's date field. */
  doneField(step) {
    for (const s of this.sections()) for (const q of s.questions) if (q.step === step) return q.id;
    return null;
  }

  setDone(step, iso) {
    const qid = this.doneField(step);
    if (!qid) return;
    this.set(qid, iso);
    this.openFilled();
  }

  /** Each date input's range, from the reader's today. */
  applyLimits(today) {
    for (const s of this.sections()) for (const q of s.questions) {
      if (q.type !== "date") continue;
      const [input] = this.controls(q.id);
      if (!input) continue;
      const low = limit(q.min, today), high = limit(q.max, today);
      if (low) input.min = low; else input.removeAttribute("min");
      if (high) input.max = high; else input.removeAttribute("max");
    }
  }

  /** Collapsed sections with an answer (or an error) inside are opened. */
  openFilled() {
    for (const el of this.sectionEls()) {
      if (el.tagName !== "DETAILS") continue;
      if ([...el.querySelectorAll("[data-q]")].some((f) => this.get(f.dataset.q) !== undefined)) el.open = true;
    }
  }

  /** What the browser can tell at once: {field, message} errors (messages of the widget's words). */
  check(r, today) {
    const errors = [];
    for (const s of this.sections()) {
      for (const q of s.questions) {
        const v = this.get(q.id);
        if (v === undefined) {
          if (q.required && !s.optional) errors.push({ field: q.id, message: r.ui("required") });
          continue;
        }
        if (q.type !== "date") continue;
        const low = limit(q.min, today), high = limit(q.max, today);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) errors.push({ field: q.id, message: r.ui("date_invalid") });
        else if ((low && v < low) || (high && v > high)) {
          errors.push({ field: q.id, message: r.ui("date_range", { min: { date: low || v }, max: { date: high || v } }) });
        }
      }
    }
    return errors;
  }

  clearErrors(sectionIds = null) {
    for (const el of this.sectionEls()) {
      if (sectionIds && !sectionIds.includes(el.dataset.section)) continue;
      for (const f of el.querySelectorAll("[data-q]")) this.mark(f, null);
      const status = el.querySelector(".gp-section-status");
      if (status) status.replaceChildren();
    }
  }

  /** Show `message` (DOM nodes or null to clear) under a field, tied to its controls for screen readers. */
  mark(f, nodes) {
    const err = f.querySelector(".gp-error");
    err.replaceChildren(...(nodes ? [nodes] : []));
    err.hidden = !nodes;
    const help = f.querySelector(".gp-help");
    const targets = f.tagName === "FIELDSET" ? [f] : [...f.querySelectorAll("input, select")];
    for (const c of targets) {
      const ids = [help && help.id, nodes && err.id].filter(Boolean).join(" ");
      if (ids) c.setAttribute("aria-describedby", ids); else c.removeAttribute("aria-describedby");
      if (nodes) c.setAttribute("aria-invalid", "true"); else c.removeAttribute("aria-invalid");
    }
  }

  /**
   * Errors beside their fields; returns the messages of errors with no field on this page.
   * @param errors  engine errors ({field, msgid, params}) or the widget's ({field, message})
   * @param render  message -> DOM nodes
   */
  showErrors(errors, render) {
    const general = [];
    const byField = new Map();
    for (const e of errors) {
      const message = e.message || e;
      const f = e.field ? this.field(e.field) : null;
      if (!f) general.push(message);
      else byField.set(f, [...(byField.get(f) || []), message]);
    }
    let first = null;
    for (const [f, messages] of byField) { // a field may have two (a wrong amount, so a missing one)
      const nodes = document.createDocumentFragment();
      messages.forEach((m, i) => nodes.append(i ? " " : "", render(m)));
      this.mark(f, nodes);
      const details = f.closest("details");
      if (details) details.open = true;
      first = first || f.querySelector("input, select");
    }
    return { general, first };
  }
}
