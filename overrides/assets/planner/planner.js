// Guichet planner widget: plain JS, no framework, no bundler. Loaded as a module on pages that
// have <div id="planner" data-procedure="..."> (data-procedure empty: the person chooses).
// Builds the form from manifest.json (small, per language), starts the Pyodide worker on first
// interaction, and renders the plan. Everything the person typed is rendered with textContent.
// Nothing typed is put in a URL or sent anywhere; storage only when "keep my answers" is ticked.

import { fetchChecked, loadManifest, pageTrust, refuseInFrame } from "./trust.js";

const MANIFEST_URL = new URL("manifest.json", import.meta.url).href;
const WORKER_URL = new URL("worker.js", import.meta.url).href;
const STORE_KEY = "guichet-planner-v1";
const MAX_IMPORT_BYTES = 256 * 1024;
const MAX_ATTEMPTS = 2000;

// ------------------------------------------------------------------ small helpers
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}
const fmt = (s, params) => String(s).replace(/\{(\w+)\}/g, (m, k) => (params && k in params ? String(params[k]) : m));
function todayISO() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
function humanBytes(n) { return n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.round(n / 1e3)} KB`; }
function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

// ------------------------------------------------------------------ storage (opt-in only)
const store = {
  load() {
    try { const v = JSON.parse(localStorage.getItem(STORE_KEY) || "null"); return v && typeof v === "object" ? v : null; }
    catch { return null; }
  },
  save(state) {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch { /* full or disabled */ }
  },
  clear() { try { localStorage.removeItem(STORE_KEY); } catch { /* ignore */ } },
};

// ------------------------------------------------------------------ worker client
class Engine {
  constructor(onProgress) { this.onProgress = onProgress; this.worker = null; this.seq = 0; this.pending = new Map(); this.started = null; }
  start() {
    if (this.started) return this.started;
    this.started = new Promise((resolve, reject) => {
      if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
        reject(Object.assign(new Error("no WebAssembly"), { kind: "wasm" })); return;
      }
      try {
        this.worker = new Worker(WORKER_URL, { type: "module" });
      } catch (e) { reject(Object.assign(new Error(String(e)), { kind: "wasm" })); return; }
      this.worker.onmessage = (ev) => {
        const m = ev.data || {};
        if (m.op === "progress") { this.onProgress(m.done, m.total); return; }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m); else p.reject(Object.assign(new Error(m.error), { kind: m.kind }));
      };
      this.worker.onerror = (ev) => {
        const err = Object.assign(new Error(ev.message || "worker error"), { kind: "download" });
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        reject(err);
      };
      // window.__guichetEngine: {version, restored} (restored: started from the memory snapshot), for benchmarks and tests
      this.call({ op: "init", manifest: MANIFEST_URL, ...pageTrust() }).then((m) => { window.__guichetEngine = m.info; resolve(m); }, reject);
    });
    this.started.catch(() => { if (this.worker) this.worker.terminate(); this.worker = null; this.started = null; });
    return this.started;
  }
  call(msg) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => { this.pending.set(id, { resolve, reject }); this.worker.postMessage({ ...msg, id }); });
  }
  async run(request) { await this.start(); const m = await this.call({ op: "run", request }); window.__guichetEngineMs = m.ms; return m.result; }
  async ics(events, name) { await this.start(); return (await this.call({ op: "ics", events, name })).text; }
}

// ------------------------------------------------------------------ the widget
class Planner {
  constructor(mount, manifest) {
    this.mount = mount;
    this.m = manifest;
    this.t = manifest.ui;
    this.messages = null; // msgid -> translation, loaded with the engine
    this.lang = manifest.lang;
    this.fixedProcedure = mount.dataset.procedure || "";
    this.attempts = [];
    this.fields = new Map(); // question id -> {q, get, set, errorEl, inputs}
    this.engine = new Engine((d, t) => this.showProgress(d, t));
    this.uid = "gp" + Math.random().toString(36).slice(2, 8);
    this.lastPlan = null;
    const saved = store.load();
    this.keep = !!(saved && saved.keep);
    this.render();
    if (saved && saved.keep) this.restore(saved);
  }

  tr(s) { return (this.messages && s && this.messages[s]) || s; }

  // ---------------------------------------------------------------- form
  render() {
    const t = this.t;
    const root = h("section", { class: "gp", lang: this.lang, dir: this.m.dir, "aria-labelledby": `${this.uid}-title` });
    root.append(h("h2", { id: `${this.uid}-title`, text: t.title }), h("p", { class: "gp-intro", text: t.intro }));
    this.form = h("form", { class: "gp-form", novalidate: true });
    const procIds = Object.keys(this.m.procedures);
    if (!this.fixedProcedure || !this.m.procedures[this.fixedProcedure]) {
      this.procSelect = h("select", { id: `${this.uid}-proc`, name: "procedure" },
        procIds.map((id) => h("option", { value: id, text: this.m.procedures[id].title })));
      this.form.append(h("div", { class: "gp-field" }, h("label", { for: `${this.uid}-proc`, text: t.procedure }), this.procSelect));
      this.procSelect.addEventListener("change", () => this.renderQuestions());
    }
    this.questionsBox = h("div", { class: "gp-questions" });
    this.form.append(this.questionsBox);
    this.keepBox = h("input", { type: "checkbox", id: `${this.uid}-keep`, "aria-describedby": `${this.uid}-keep-help` });
    this.keepBox.checked = this.keep;
    this.keepBox.addEventListener("change", () => { this.keep = this.keepBox.checked; if (this.keep) this.persist(); else store.clear(); });
    this.form.append(
      h("div", { class: "gp-keep" }, this.keepBox, h("label", { for: `${this.uid}-keep`, text: t.keep }),
        h("p", { class: "gp-help", id: `${this.uid}-keep-help`, text: t.keep_help })),
      h("div", { class: "gp-actions" },
        h("button", { type: "submit", class: "md-button md-button--primary gp-submit", text: t.submit }),
        h("button", { type: "button", class: "md-button gp-forget", text: t.forget, onclick: () => this.forget() })),
    );
    this.status = h("div", { class: "gp-status", role: "status", "aria-live": "polite" });
    this.progress = h("progress", { class: "gp-progress", max: 1, hidden: true, "aria-label": t.loading });
    this.formError = h("p", { class: "gp-form-error", role: "alert", hidden: true });
    this.form.append(this.progress, this.status, this.formError);
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.compute(); });
    const wake = () => this.prefetch();
    this.form.addEventListener("focusin", wake, { once: true });
    this.form.addEventListener("input", wake, { once: true });
    this.form.addEventListener("pointerdown", wake, { once: true });
    this.results = h("div", { class: "gp-results", "aria-live": "polite" });
    this.evidenceBox = h("div", { class: "gp-evidence" });
    root.append(this.form, this.results, this.evidenceBox);
    this.printArea = h("div", { class: "gp-print-area", "aria-hidden": "true" });
    document.body.append(this.printArea);
    this.mount.append(root);
    this.renderQuestions();
    this.renderEvidence();
  }

  procedure() { return this.fixedProcedure && this.m.procedures[this.fixedProcedure] ? this.fixedProcedure : this.procSelect.value; }

  renderQuestions() {
    const keepValues = this.answers(true);
    this.questionsBox.replaceChildren();
    this.fields.clear();
    const proc = this.m.procedures[this.procedure()];
    for (const g of proc.groups) {
      const fs = h("fieldset", { class: "gp-group" }, h("legend", { text: g.title }));
      for (const q of g.questions) fs.append(this.field(q));
      this.questionsBox.append(fs);
    }
    for (const [k, v] of Object.entries(keepValues)) if (this.fields.has(k)) this.fields.get(k).set(v);
  }

  field(q) {
    const t = this.t;
    const id = `${this.uid}-q-${q.id}`;
    const helpId = q.help ? `${id}-help` : null;
    const errId = `${id}-err`;
    const errorEl = h("p", { class: "gp-error", id: errId, hidden: true });
    const help = q.help ? h("p", { class: "gp-help", id: helpId, text: q.help }) : null;
    const describedby = [helpId].filter(Boolean).join(" ");
    const label = q.label + (q.required ? " *" : "");
    let box, get, set, inputs;
    if (q.type === "boolean" || (q.type === "choice" && q.choices && q.choices.length <= 6)) {
      const opts = q.type === "boolean" ? [{ value: true, label: t.yes }, { value: false, label: t.no }] : q.choices;
      inputs = opts.map((o, i) => h("input", { type: "radio", name: id, id: `${id}-${i}`, value: JSON.stringify(o.value) }));
      box = h("fieldset", { class: "gp-field gp-radios", id, "aria-describedby": describedby || null },
        h("legend", { text: label }),
        opts.map((o, i) => h("div", { class: "gp-radio" }, inputs[i], h("label", { for: `${id}-${i}`, text: o.label }))),
        help, errorEl);
      get = () => { const c = inputs.find((x) => x.checked); return c ? JSON.parse(c.value) : undefined; };
      set = (v) => { for (const x of inputs) x.checked = x.value === JSON.stringify(v); };
    } else {
      let input;
      const common = { id, name: q.id, "aria-describedby": describedby || null, required: q.required || null };
      if (q.type === "choice" || q.type === "departement") {
        const opts = q.type === "departement"
          ? (this.m.departements || []).map((d) => ({ value: d.code, label: `${d.code} – ${d.name}` }))
          : q.choices || [];
        input = h("select", common, h("option", { value: "", text: t.choose }),
          opts.map((o) => h("option", { value: JSON.stringify(o.value), text: o.label })));
        get = () => (input.value === "" ? undefined : JSON.parse(input.value));
        set = (v) => { input.value = v === undefined ? "" : JSON.stringify(v); };
      } else {
        const attrs = { ...common, autocomplete: "off" };
        if (q.type === "date") Object.assign(attrs, { type: "date" });
        else if (q.type === "amount") Object.assign(attrs, { type: "text", inputmode: "decimal" });
        else if (q.type === "integer") Object.assign(attrs, { type: "number", inputmode: "numeric", step: 1, min: q.min, max: q.max });
        else Object.assign(attrs, { type: "text", maxlength: q.max_length || 500, spellcheck: "false" });
        input = h("input", attrs);
        get = () => {
          const raw = input.value.trim();
          if (raw === "") return undefined;
          if (q.type === "amount") {
            const n = raw.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
            return /^-?\d+(\.\d+)?$/.test(n) ? Number(n) : raw;
          }
          if (q.type === "integer") return /^-?\d+$/.test(raw) ? Number(raw) : raw;
          return raw;
        };
        set = (v) => { input.value = v === undefined || v === null ? "" : String(v); };
      }
      inputs = [input];
      box = h("div", { class: "gp-field" }, h("label", { for: id, text: label }), input, help, errorEl);
    }
    if (q.untranslated) box.append(h("p", { class: "gp-untranslated", lang: "fr", text: t.not_translated }));
    this.fields.set(q.id, { q, get, set, errorEl, inputs, describedby, box });
    box.addEventListener("change", () => { if (this.keep) this.persist(); });
    return box;
  }

  answers(all) {
    const out = {};
    for (const [id, f] of this.fields) {
      const v = f.get();
      if (v !== undefined) out[id] = v;
    }
    if (all) return out;
    return out;
  }

  clearErrors() {
    this.formError.hidden = true;
    for (const f of this.fields.values()) {
      f.errorEl.hidden = true; f.errorEl.textContent = "";
      for (const i of f.inputs) { i.removeAttribute("aria-invalid"); i.setAttribute("aria-describedby", f.describedby || ""); if (!f.describedby) i.removeAttribute("aria-describedby"); }
    }
  }

  showErrors(errors) {
    let first = null;
    const general = [];
    for (const e of errors) {
      const text = this.errorText(e);
      const f = e.field && this.fields.get(e.field);
      if (!f) { general.push(text); continue; }
      f.errorEl.textContent = text; f.errorEl.hidden = false;
      for (const i of f.inputs) {
        i.setAttribute("aria-invalid", "true");
        i.setAttribute("aria-describedby", [f.describedby, f.errorEl.id].filter(Boolean).join(" "));
      }
      first = first || f.inputs[0];
    }
    this.formError.textContent = [this.t.fix_errors, ...general].join(" ");
    this.formError.hidden = false;
    if (first) first.focus();
  }

  errorText(e) {
    if (e.msgid && this.messages && this.messages[e.msgid]) return fmt(this.messages[e.msgid], e.params);
    return e.text || e.message || fmt(e.msgid || "", e.params);
  }

  // ---------------------------------------------------------------- engine
  prefetch() {
    if (this.engine.started) return this.engine.started.catch(() => {});
    this.progress.hidden = false;
    this.progress.removeAttribute("value");
    this.status.textContent = this.t.loading;
    const p = Promise.all([this.engine.start(), this.loadMessages()]).then(() => {
      this.progress.hidden = true;
      this.status.textContent = this.t.ready;
      this.loadFailed = null;
    }, (e) => this.showLoadError(e));
    // ready or failed: Material's script may start now (assets/guichet/lazy-material.js)
    p.then(() => this.mount.dispatchEvent(new CustomEvent("guichet:engine", { bubbles: true })));
    return p;
  }

  async loadMessages() {
    if (this.messages || !this.m.messages || this.lang === "fr") { this.messages = this.messages || {}; return; }
    try {
      const url = new URL(this.m.messages.url, MANIFEST_URL).href;
      const { bytes } = await fetchChecked(url, (this.m.integrity || {})[this.m.messages.url]);
      this.messages = JSON.parse(new TextDecoder().decode(bytes));
    } catch { this.messages = {}; } // French, the engine's own text
  }

  showProgress(done, total) {
    if (!total) return;
    this.progress.hidden = false;
    this.progress.max = total;
    this.progress.value = Math.min(done, total);
    this.status.textContent = `${this.t.loading} ${fmt(this.t.loading_bytes, { done: humanBytes(done), total: humanBytes(total) })}`;
  }

  showLoadError(e) {
    this.progress.hidden = true;
    const t = this.t;
    const msg = e && e.kind === "wasm" ? t.error_wasm : t.error_download;
    const fallback = this.mount.dataset.fallback || (document.getElementById("checklist") ? "#checklist" : null);
    this.status.replaceChildren(h("span", { class: "gp-load-error", text: msg }), " ",
      fallback ? h("a", { href: fallback, text: t.see_checklist }) : null, " ",
      h("button", { type: "button", class: "md-button", text: t.retry, onclick: () => { this.status.textContent = ""; this.prefetch(); } }));
    this.loadFailed = e;
  }

  request(command, extra) {
    const attempts = this.sortedAttempts().map(({ date, time, prefecture }) => (prefecture ? { date, time, prefecture } : { date, time }));
    return { command, procedure: this.procedure(), answers: { today: todayISO(), ...this.answers() }, attempts, ...(extra || {}) };
  }

  async compute() {
    this.clearErrors();
    const missing = [];
    for (const f of this.fields.values()) if (f.q.required && f.get() === undefined) missing.push({ field: f.q.id, message: this.t.required });
    if (missing.length) { this.showErrors(missing); return; }
    if (this.keep) this.persist();
    this.status.textContent = this.t.computing;
    const t0 = performance.now();
    try {
      await this.prefetch();
      if (this.loadFailed) return;
      const plan = await this.engine.run(this.request("plan"));
      if (plan.errors && plan.errors.length) { this.status.textContent = ""; this.showErrors(plan.errors); return; }
      let letters = null;
      try { letters = await this.engine.run(this.request("letters")); } catch { letters = null; }
      this.lastPlan = plan;
      this.renderResults(plan, letters && !letters.errors ? letters : null);
      this.status.textContent = "";
      window.__guichetPlanMs = performance.now() - t0;
      this.mount.dispatchEvent(new CustomEvent("guichet:plan", { bubbles: true, detail: { ms: window.__guichetPlanMs } }));
      await this.refreshEvidence();
    } catch (e) {
      if (e && (e.kind === "wasm" || e.kind === "download")) this.showLoadError(e);
      else { this.status.textContent = ""; this.formError.textContent = String(e && e.message || e); this.formError.hidden = false; }
    }
  }

  // ---------------------------------------------------------------- results
  renderResults(plan, letters) {
    const t = this.t;
    const out = [];
    const steps = plan.steps || (plan.plan && plan.plan.steps) || [];
    out.push(h("h3", { text: t.plan, tabindex: "-1", class: "gp-plan-title" }));
    const windows = [];
    for (const key of ["filing_window", "evidence_period"]) {
      const w = plan[key];
      if (w && w.start) windows.push(h("li", {}, h("strong", { text: this.tr(w.label) || key }), " : ", this.dateRange(w.start, w.end)));
    }
    if (windows.length) out.push(h("ul", { class: "gp-windows" }, windows));
    for (const w of plan.warnings || []) out.push(h("p", { class: "gp-warning", role: "note", text: this.msg(w) }));
    if (plan.today) out.push(h("p", { class: "gp-help" }, this.t.today_is || "", h("time", { datetime: plan.today, text: this.fmtDate(plan.today) })));
    const ol = h("ol", { class: "gp-steps" });
    for (const s of steps) ol.append(this.stepItem(s));
    out.push(ol);
    const missing = plan.missing_evidence || [];
    if (missing.length) out.push(h("section", { class: "gp-missing" }, h("h4", { text: t.missing_evidence }), h("ul", {}, missing.map((m) => h("li", { text: this.msg(m) })))));
    const aid = plan.aid || plan.aide_juridictionnelle;
    if (aid) out.push(this.aidBox(aid));
    const trib = plan.tribunal;
    if (trib) out.push(this.tribunalBox(trib));
    if (letters) out.push(this.lettersBox(letters));
    out.push(h("p", {}, h("button", { type: "button", class: "md-button gp-ics", text: t.ics, onclick: () => this.downloadIcs(steps) })));
    if (plan.rules_version || this.m.rules_version) out.push(h("p", { class: "gp-version", text: `${t.rules_version} : ${plan.rules_version || this.m.rules_version}` }));
    this.results.replaceChildren(...out);
    const title = this.results.querySelector(".gp-plan-title");
    if (title) title.focus({ preventScroll: false });
  }

  msg(o) {
    if (o === null || o === undefined) return "";
    if (typeof o === "string") return this.tr(o);
    if (o.msgid) return this.messages && this.messages[o.msgid] ? fmt(this.messages[o.msgid], o.params) : (o.text || o.message || fmt(o.msgid, o.params));
    return o.text || o.message || o.title || "";
  }

  explain(w) {
    if (!w || typeof w !== "object" || w.msgid || w.text) return this.msg(w);
    const v = w.value;
    const value = v && typeof v === "object" ? Object.entries(v).map(([k, n]) => `${n} ${k}`).join(" ") : String(v ?? "");
    const parts = [`${this.tr(w.description || w.rule || "")} : ${value}${w.unit && typeof v !== "object" ? " " + this.tr(w.unit) : ""}`];
    if (w.since) parts.push(`(${this.fmtDate(w.since)})`);
    if (w.reference) parts.push(`— ${w.reference}`);
    if (w.confidence && w.confidence !== "verified") parts.push(`[${w.confidence}]`);
    if (w.note) parts.push(`— ${this.tr(w.note)}`);
    return parts.join(" ");
  }

  fmtDate(iso) {
    if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return String(iso || "");
    const [y, m, d] = iso.split("-").map(Number);
    try { return new Intl.DateTimeFormat(this.lang, { dateStyle: "long", timeZone: "UTC" }).format(Date.UTC(y, m - 1, d)); }
    catch { return iso; }
  }

  dateRange(a, b) {
    const span = h("span", {});
    span.append(h("time", { datetime: a, text: this.fmtDate(a) }));
    if (b && b !== a) span.append(" → ", h("time", { datetime: b, text: this.fmtDate(b) }));
    return span;
  }

  stepDates(s) {
    const start = s.date || s.start || (s.when && (s.when.date || s.when.start)) || null;
    const end = s.end || (s.when && s.when.end) || null;
    return { start, end };
  }

  stepItem(s) {
    const t = this.t;
    const status = s.status || "later";
    const { start, end } = this.stepDates(s);
    const li = h("li", { class: `gp-step gp-${status}`, "data-step": s.id || null });
    li.append(h("span", { class: `gp-badge gp-badge-${status}`, text: t[`status_${status}`] || status }), " ",
      start ? this.dateRange(start, end) : null);
    li.append(h("h4", { text: this.msg(s.title_msg || s.title) }));
    if (s.description) li.append(h("p", { text: this.msg(s.description) }));
    for (const f of s.flags || []) li.append(h("p", { class: "gp-note", text: this.msg(f) }));
    for (const f of s.figures || []) li.append(h("p", { class: "gp-figure" }, `${this.msg(f.label)} : `, h("strong", { text: f.text || String(f.value) })));
    const why = s.why || s.explanation;
    if (why && (!Array.isArray(why) || why.length)) {
      const lines = Array.isArray(why) ? why : [why];
      li.append(h("details", { class: "gp-why" }, h("summary", { text: t.why }),
        h("ul", {}, lines.map((w) => h("li", { text: this.explain(w) })))));
    }
    const refs = s.references || [];
    if (refs.length) li.append(h("p", { class: "gp-refs" }, `${t.reference} : `, refs.map((r, i) => [i ? " ; " : "", this.refNode(r)])));
    return li;
  }

  refNode(r) {
    const text = typeof r === "string" ? r : r.text;
    const url = typeof r === "object" && r.url && /^https:\/\//.test(r.url) ? r.url : null;
    const node = url ? h("a", { href: url, rel: "noopener noreferrer", text, lang: "fr" }) : h("span", { lang: "fr", text });
    if (r && r.verified) return h("span", {}, node, ` (${this.t.verified} ${this.fmtDate(r.verified)})`);
    return node;
  }

  aidBox(aid) {
    const t = this.t;
    const rate = aid.rate ?? aid.taux;
    const box = h("section", { class: "gp-aid", "aria-label": t.aid }, h("h3", { text: t.aid }));
    if (aid.errors) { box.append(h("p", { text: aid.errors.map((e) => this.errorText(e)).join(" ") })); return box; }
    if (rate !== undefined) box.append(h("p", { class: "gp-verdict" }, h("strong", { text: rate ? `${rate} %` : t.aid_none }), aid.verdict ? ` — ${this.msg(aid.verdict)}` : ""));
    const exp = aid.explanation || aid.why || [];
    const lines = Array.isArray(exp) ? exp : [exp];
    if (lines.length) box.append(h("ul", {}, lines.map((e) => h("li", { text: this.msg(e) }))));
    if (aid.date) box.append(h("p", { class: "gp-help", text: `${this.t.aid_date || ""}${this.fmtDate(aid.date)}` }));
    return box;
  }

  tribunalBox(trib) {
    const t = this.t;
    const name = trib.tribunal_administratif || trib.name || trib.tribunal || "";
    const box = h("section", { class: "gp-tribunal" }, h("h3", { text: t.tribunal }), h("p", { lang: "fr", text: name }));
    if (trib.status && trib.status !== "verified") box.append(h("p", { class: "gp-note", text: `(${trib.status})` }));
    return box;
  }

  lettersBox(letters) {
    const t = this.t;
    const box = h("section", { class: "gp-letters" }, h("h3", { text: t.letters }), h("p", { class: "gp-help", text: t.letters_note }));
    const list = letters.letters || letters;
    for (const [key, l] of Object.entries(list)) {
      if (!l || typeof l !== "object" || !(l.body || l.text)) continue;
      const body = l.body || l.text;
      const subject = l.subject || l.object || "";
      const fr = h("div", { class: "gp-letter-fr", lang: "fr" });
      if (subject) fr.append(h("p", { class: "gp-subject", text: subject }));
      fr.append(h("pre", { class: "gp-letter-text", text: body }));
      const pair = h("div", { class: "gp-letter-pair" }, fr);
      const translated = l.translation || (this.messages && l.msgid && this.messages[l.msgid] ? fmt(this.messages[l.msgid], l.params) : null);
      if (this.lang !== "fr" && translated) {
        pair.append(h("div", { class: "gp-letter-tr", lang: this.lang }, h("p", { class: "gp-help", text: t.translation }), h("pre", { class: "gp-letter-text", text: translated })));
      }
      const copyBtn = h("button", { type: "button", class: "md-button", text: t.copy });
      copyBtn.addEventListener("click", async () => {
        try { await navigator.clipboard.writeText((subject ? subject + "\n\n" : "") + body); copyBtn.textContent = t.copied; }
        catch { const r = document.createRange(); r.selectNodeContents(fr); const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); }
      });
      const actions = h("p", { class: "gp-letter-actions" }, copyBtn, " ");
      if (key.startsWith("courriel") || l.kind === "email" || l.mailto) {
        const href = l.mailto && /^mailto:/.test(l.mailto) ? l.mailto : `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
        actions.append(h("a", { class: "md-button", href, text: t.mailto }), " ");
      }
      actions.append(h("button", { type: "button", class: "md-button gp-print-letter", text: t.print_letter, onclick: () => this.printLetter(l) }));
      box.append(h("h4", { text: this.msg(l.title) || key }), pair, actions);
    }
    return box;
  }

  // ---------------------------------------------------------------- print
  printNode(node, cls) {
    this.printArea.replaceChildren(node);
    document.body.classList.add("gp-printing", cls);
    const done = () => { document.body.classList.remove("gp-printing", cls); window.removeEventListener("afterprint", done); };
    window.addEventListener("afterprint", done);
    try { window.print(); } catch { /* ignore */ }
    this.printArea.dataset.printed = cls;
  }

  printLetter(l) {
    const a = this.answers();
    const sender = [[a.prenom, a.nom].filter(Boolean).join(" "), a.adresse, a.numero_etranger ? `N° étranger : ${a.numero_etranger}` : "", a.telephone, a.courriel].filter(Boolean);
    const dep = (this.m.departements || []).find((d) => d.code === a.departement);
    const recipient = l.recipient || (dep ? `Préfecture ${dep.prefecture ? "de " + dep.prefecture : "du département " + dep.name}\nService des étrangers` : "Préfecture\nService des étrangers");
    const senderLines = l.sender ? String(l.sender).split("\n") : sender;
    const placeDate = l.place_date || `le ${new Intl.DateTimeFormat("fr", { dateStyle: "long" }).format(new Date())}`;
    const letter = h("article", { class: "gp-letter", lang: "fr" },
      h("div", { class: "gp-letter-sender" }, senderLines.map((s) => h("div", { text: s }))),
      h("div", { class: "gp-letter-recipient" }, String(recipient).split("\n").map((s) => h("div", { text: s }))),
      h("p", { class: "gp-letter-date", text: placeDate }),
      l.mode ? h("p", { class: "gp-letter-mode", text: l.mode }) : null,
      (l.subject || l.object) ? h("p", { class: "gp-letter-subject" }, h("strong", { text: /^Objet/.test(l.subject || l.object) ? l.subject || l.object : `Objet : ${l.subject || l.object}` })) : null,
      h("div", { class: "gp-letter-body", text: l.body || l.text }));
    this.printNode(letter, "gp-print-letter");
  }

  printLog() {
    const t = this.t;
    const rows = this.sortedAttempts().map((a, i) => h("tr", {}, h("td", { text: String(i + 1) }), h("td", { text: this.fmtDate(a.date) }), h("td", { text: a.time }), h("td", { text: a.prefecture || "" }), h("td", { text: a.note || "" })));
    const a = this.answers();
    const annex = h("article", { class: "gp-annex", lang: this.lang },
      h("h1", { text: `${t.evidence}` }),
      h("p", { text: [[a.prenom, a.nom].filter(Boolean).join(" "), a.numero_etranger].filter(Boolean).join(" — ") }),
      this.evidenceSummary ? this.evidenceSummary.cloneNode(true) : null,
      h("table", {}, h("thead", {}, h("tr", {}, ["#", t.attempt_date, t.attempt_time, t.attempt_prefecture, t.attempt_note].map((c) => h("th", { text: c })))), h("tbody", {}, rows)));
    this.printNode(annex, "gp-print-log");
  }

  // ---------------------------------------------------------------- calendar
  async downloadIcs(steps) {
    const events = [];
    const proc = this.procedure();
    const seen = new Set();
    for (const s of steps) {
      const { start, end } = this.stepDates(s);
      if (!start) continue;
      let uid = `${proc}-${s.id || events.length}-${start}@guichet`;
      while (seen.has(uid)) uid = "x" + uid;
      seen.add(uid);
      const why = s.why || s.explanation;
      const desc = [this.msg(s.description), ...(Array.isArray(why) ? why : why ? [why] : []).map((w) => this.msg(w)),
        ...(s.references || []).map((r) => (typeof r === "string" ? r : r.text))].filter(Boolean).join("\n");
      const ev = { uid, summary: this.msg(s.title), description: desc };
      if (end && end !== start) { ev.start = start; ev.end = end; } else ev.date = start;
      events.push(ev);
    }
    try {
      const text = await this.engine.ics(events, this.m.procedures[proc].title);
      download(`guichet-${proc}.ics`, "text/calendar;charset=utf-8", text);
    } catch (e) { this.formError.textContent = String(e.message || e); this.formError.hidden = false; }
  }

  // ---------------------------------------------------------------- evidence log
  renderEvidence() {
    const t = this.t;
    const id = (k) => `${this.uid}-ev-${k}`;
    this.evDate = h("input", { type: "date", id: id("date"), value: todayISO(), required: true });
    this.evTime = h("input", { type: "time", id: id("time"), required: true });
    this.evPref = h("input", { type: "text", id: id("pref"), maxlength: 120, autocomplete: "off" });
    this.evNote = h("input", { type: "text", id: id("note"), maxlength: 500, autocomplete: "off" });
    this.evError = h("p", { class: "gp-error", id: id("err"), role: "alert", hidden: true });
    const add = h("form", { class: "gp-ev-add", novalidate: true },
      h("div", { class: "gp-ev-row" },
        h("div", { class: "gp-field" }, h("label", { for: id("date"), text: t.attempt_date }), this.evDate),
        h("div", { class: "gp-field" }, h("label", { for: id("time"), text: t.attempt_time }), this.evTime),
        h("div", { class: "gp-field" }, h("label", { for: id("pref"), text: t.attempt_prefecture }), this.evPref),
        h("div", { class: "gp-field" }, h("label", { for: id("note"), text: t.attempt_note }), this.evNote)),
      this.evError,
      h("button", { type: "submit", class: "md-button", text: t.add_attempt }));
    add.addEventListener("submit", (e) => { e.preventDefault(); this.addAttempt(); });
    add.addEventListener("focusin", () => this.prefetch(), { once: true });
    this.evList = h("ol", { class: "gp-ev-list" });
    this.evSummary = h("div", { class: "gp-ev-summary", "aria-live": "polite" });
    this.evFile = h("input", { type: "file", accept: "application/json,.json", id: id("file"), class: "gp-visually-hidden" });
    this.evFile.addEventListener("change", () => this.importLog());
    this.evMsg = h("p", { class: "gp-ev-msg", role: "status" });
    const tools = h("p", { class: "gp-ev-tools" },
      h("button", { type: "button", class: "md-button gp-export", text: t.export, onclick: () => this.exportLog() }), " ",
      h("label", { for: id("file"), class: "md-button gp-import", text: t.import, tabindex: "0",
        onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); this.evFile.click(); } } }), this.evFile, " ",
      h("button", { type: "button", class: "md-button gp-print-log", text: t.print_log, onclick: () => this.printLog() }));
    this.evidenceBox.replaceChildren(h("h3", { text: t.evidence }), h("p", { class: "gp-help", text: t.evidence_help }),
      add, this.evSummary, this.evList, tools, this.evMsg);
    this.drawAttempts();
  }

  sortedAttempts() { return [...this.attempts].sort((a, b) => (a.date + a.time).localeCompare(b.date + b.time)); }

  addAttempt() {
    const date = this.evDate.value, time = this.evTime.value;
    const err = validAttempt({ date, time, prefecture: this.evPref.value, note: this.evNote.value });
    if (typeof err === "string") { this.evError.textContent = err; this.evError.hidden = false; (date ? this.evTime : this.evDate).focus(); return; }
    this.evError.hidden = true;
    if (this.attempts.length >= MAX_ATTEMPTS) return;
    this.attempts.push(err);
    this.evNote.value = "";
    this.afterLogChange();
  }

  afterLogChange() {
    this.drawAttempts();
    if (this.keep) this.persist();
    this.refreshEvidence();
  }

  drawAttempts() {
    const t = this.t;
    this.evList.replaceChildren(...this.sortedAttempts().map((a) => {
      const rm = h("button", { type: "button", class: "gp-remove", text: t.remove, "aria-label": `${t.remove} ${a.date} ${a.time}` });
      rm.addEventListener("click", () => { this.attempts = this.attempts.filter((x) => x !== a); this.afterLogChange(); });
      return h("li", {}, h("time", { datetime: a.date, text: this.fmtDate(a.date) }), ` ${a.time} `, a.prefecture ? h("span", { text: `— ${a.prefecture}` }) : null,
        a.note ? h("span", { class: "gp-help", text: ` (${a.note})` }) : null, " ", rm);
    }));
  }

  async refreshEvidence() {
    const t = this.t;
    const n = this.attempts.length;
    const summary = h("div", {}, h("p", { class: "gp-ev-count" }, `${t.attempts} : `, h("strong", { "data-count": "attempts", text: String(n) })));
    this.evSummary.replaceChildren(summary);
    this.evidenceSummary = summary;
    if (!n || !this.engine.started) return;
    try {
      await this.engine.start();
      const res = await this.engine.run(this.request("evidence"));
      if (res.errors) { summary.append(h("p", { class: "gp-error", text: res.errors.map((e) => this.errorText(e)).join(" ") })); return; }
      summary.append(
        h("p", {}, `${t.distinct_days} : `, h("strong", { "data-count": "days", text: String(res.distinct_days ?? "") }),
          ` · ${t.distinct_weeks} : `, h("strong", { "data-count": "weeks", text: String(res.distinct_weeks ?? "") })),
        h("p", { class: res.sufficient ? "gp-ok" : "gp-warning", text: res.sufficient ? t.sufficient : t.insufficient }));
      const missing = res.missing || res.reasons || [];
      if (missing.length) summary.append(h("ul", { class: "gp-missing" }, missing.map((m) => h("li", { text: this.msg(m) }))));
    } catch { /* engine unavailable: the count stays */ }
  }

  exportLog() {
    const data = { format: "guichet-evidence-log", version: 1, exported: new Date().toISOString(), attempts: this.sortedAttempts() };
    download(`guichet-journal-${todayISO()}.json`, "application/json", JSON.stringify(data, null, 2));
  }

  async importLog() {
    const t = this.t;
    const file = this.evFile.files && this.evFile.files[0];
    this.evFile.value = "";
    if (!file) return;
    let attempts;
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new Error(`> ${MAX_IMPORT_BYTES / 1024} KB`);
      attempts = parseLog(await file.text());
    } catch (e) {
      this.evMsg.className = "gp-ev-msg gp-error";
      this.evMsg.textContent = fmt(t.import_refused, { reason: e.message || String(e) });
      return;
    }
    this.attempts = attempts;
    this.evMsg.className = "gp-ev-msg";
    this.evMsg.textContent = fmt(t.imported, { n: attempts.length });
    this.afterLogChange();
  }

  // ---------------------------------------------------------------- persistence
  persist() {
    if (!this.keep) return;
    store.save({ keep: true, procedure: this.procedure(), answers: this.answers(), attempts: this.attempts });
  }

  restore(saved) {
    if (saved.procedure && this.procSelect && this.m.procedures[saved.procedure]) { this.procSelect.value = saved.procedure; this.renderQuestions(); }
    for (const [k, v] of Object.entries(saved.answers || {})) if (this.fields.has(k)) this.fields.get(k).set(v);
    try { this.attempts = parseLog(JSON.stringify({ format: "guichet-evidence-log", version: 1, attempts: saved.attempts || [] })); } catch { this.attempts = []; }
    this.drawAttempts();
    this.refreshEvidence();
  }

  forget() {
    store.clear();
    this.keep = false;
    this.keepBox.checked = false;
    for (const f of this.fields.values()) f.set(undefined);
    this.attempts = [];
    this.lastPlan = null;
    this.results.replaceChildren();
    this.printArea.replaceChildren();
    this.evPref.value = ""; this.evNote.value = ""; this.evTime.value = ""; this.evDate.value = todayISO();
    this.evMsg.textContent = ""; this.evError.hidden = true; this.evError.textContent = "";
    this.clearErrors();
    this.drawAttempts();
    this.refreshEvidence();
    this.status.textContent = this.t.forgotten;
  }
}

// ------------------------------------------------------------------ evidence-log validation
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
function validDate(s) {
  if (typeof s !== "string" || !DATE_RE.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return y >= 2000 && y <= 2100 && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
function cleanText(s, max) {
  if (s === undefined || s === null) return "";
  if (typeof s !== "string") throw new Error("text expected");
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, max);
}
const ATTEMPT_KEYS = new Set(["date", "time", "prefecture", "note"]);
const LOG_KEYS = new Set(["format", "version", "exported", "attempts"]);
function unexpectedKey(o, allowed) { return Object.keys(o).find((k) => !allowed.has(k)); }
function validAttempt(a) {
  if (!a || typeof a !== "object" || Array.isArray(a)) return "attempt: object expected";
  const extra = unexpectedKey(a, ATTEMPT_KEYS); // also refuses "__proto__", "constructor"
  if (extra !== undefined) return `unexpected field "${extra.slice(0, 40)}"`;
  if (!validDate(a.date)) return "date: YYYY-MM-DD";
  if (typeof a.time !== "string" || !TIME_RE.test(a.time)) return "time: HH:MM";
  const time = a.time;
  let prefecture, note;
  try { prefecture = cleanText(a.prefecture, 120); note = cleanText(a.note, 500); } catch (e) { return e.message; }
  const out = { date: a.date, time };
  if (prefecture) out.prefecture = prefecture;
  if (note) out.note = note;
  return out;
}
export function parseLog(text) {
  if (typeof text !== "string" || text.length > MAX_IMPORT_BYTES) throw new Error("too large");
  let data;
  try { data = JSON.parse(text); } catch { throw new Error("not valid JSON"); }
  const list = Array.isArray(data) ? data : data && typeof data === "object" ? data.attempts : null;
  if (!Array.isArray(data) && data && data.format !== undefined && data.format !== "guichet-evidence-log") throw new Error("unknown format");
  if (!Array.isArray(data) && data && typeof data === "object") {
    const extra = unexpectedKey(data, LOG_KEYS);
    if (extra !== undefined) throw new Error(`unexpected field "${extra.slice(0, 40)}"`);
    if (data.version !== undefined && data.version !== 1) throw new Error("unknown version");
    if (data.exported !== undefined && typeof data.exported !== "string") throw new Error("exported: text expected");
  }
  if (!Array.isArray(list)) throw new Error("no list of attempts");
  if (list.length > MAX_ATTEMPTS) throw new Error(`more than ${MAX_ATTEMPTS} attempts`);
  const out = [];
  const seen = new Set();
  list.forEach((a, i) => {
    const v = validAttempt(a);
    if (typeof v === "string") throw new Error(`#${i + 1}: ${v}`);
    const key = `${v.date} ${v.time} ${v.prefecture || ""}`;
    if (!seen.has(key)) { seen.add(key); out.push(v); }
  });
  return out;
}

// ------------------------------------------------------------------ start
async function start() {
  const mounts = [...document.querySelectorAll("#planner, [data-guichet-planner]")].filter((m) => !m.dataset.gpMounted);
  if (!mounts.length || refuseInFrame(mounts)) return;
  let manifest;
  try {
    manifest = await loadManifest(MANIFEST_URL, pageTrust().integrity);
  } catch (e) {
    for (const m of mounts) m.append(h("p", { class: "gp-load-error", role: "alert", text: "⚠ " + String(e.message || e) }));
    return;
  }
  for (const m of mounts) {
    m.dataset.gpMounted = "1";
    m.__planner = new Planner(m, manifest);
  }
}

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(() => start());
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
