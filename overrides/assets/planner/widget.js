// The planner on one page: attaches to the form the build wrote, keeps what the person chose to keep
// (only on an origin the site has to itself), starts the engine on the first touch, and shows the plan
// and the letters. The engine, the plan's and the letters' modules load only then: a page view runs
// nothing but this and the form's own code. The erase button works whatever was stored.

import { download, h, put, say, todayISO, word } from "./dom.js";
import { EvidenceLog, mergeLogs, sameLog, syncLogs, validAttempt } from "./evidence.js";
import { FormView, limit } from "./form.js";
import { Renderer } from "./messages.js";
import { eraseEverywhere, kept, listen, sessionLog } from "./storage.js";
import { fetchChecked, pageTrust } from "./trust.js";

const checked = (attempts) => attempts.map(validAttempt).filter(Boolean);

export class Planner {
  /**
   * @param mount  <div id="planner" data-procedure="…"> with the form inside
   * @param manifest  manifest.json (the widget's words, plural rule, form model, engine files)
   * @param urls  {manifest, worker}
   */
  constructor(mount, manifest, urls) {
    this.mount = mount;
    this.m = manifest;
    this.urls = urls;
    this.lang = manifest.lang;
    this.dir = manifest.dir;
    this.r = new Renderer(manifest.lang, manifest);
    const root = mount.querySelector(".gp");
    this.q = (s) => root.querySelector(s);
    this.form = new FormView(this.q(".gp-form"), manifest.procedures, mount.dataset.procedure || "");
    this.status = this.q(".gp-status");
    this.progress = this.q(".gp-progress");
    this.formError = this.q(".gp-form-error");
    this.results = this.q(".gp-results");
    this.keepBox = this.q("#gp-keep");
    // Another site served from this origin (GitHub Pages: OWNER.github.io/other/) could read and rewrite
    // what localStorage keeps: answers are then not kept at all (issue H2).
    this.shared = !pageTrust().dedicated;
    if (this.shared) {
      this.q(".gp-keep").hidden = true;
      this.q(".gp-keep-shared").hidden = false;
    }
    this.log = new EvidenceLog(this.q(".gp-evidence"), this.r, () => this.logChanged());
    this.plan = null;
    this.letters = null;
    this.loading = null;
    this.keep = false;
    this.synced = []; // the log as last kept in localStorage, what persist() and other tabs merge from
    this.wire(); // first: whatever was stored, the erase button works
    this.restore();
    this.form.applyLimits(todayISO());
    mount.dataset.gpReady = "1"; // attached: tests and benchmarks wait for it
  }

  // ---------------------------------------------------------------- keeping
  /** The kept answers (if "keep" was ticked) and the log, this tab's and the kept one together. A kept
   * value that cannot be restored is removed. */
  restore() {
    let saved = null;
    if (this.shared) kept.clear(); // written before this origin was known to be shared: not to be trusted
    else {
      try {
        saved = kept.load();
        if (saved) {
          const pid = saved.procedure;
          if (pid && this.form.chooser && Object.prototype.hasOwnProperty.call(this.m.procedures, pid)) {
            this.form.chooser.value = pid;
            this.form.showProcedure();
          }
          this.form.restore(saved.answers);
        }
      } catch {
        kept.clear();
        saved = null;
        this.form.clear();
      }
    }
    this.keep = !!saved;
    this.keepBox.checked = this.keep;
    this.synced = saved ? checked(saved.attempts) : [];
    this.log.set(mergeLogs(checked(sessionLog.load() || []), this.synced).merged);
    this.saveLog();
  }

  /** This tab's log in sessionStorage; also the mark that this tab holds something (wire(): pageshow). */
  saveLog() {
    sessionLog.save(this.log.attempts);
    this.logSaved = true;
  }

  /** Keep the answers and the log, if asked to: the log merged with what other tabs kept meanwhile. */
  persist() {
    if (!this.keep) return;
    const stored = kept.load();
    const merged = syncLogs(this.log.attempts, stored ? checked(stored.attempts) : [], this.synced);
    this.synced = merged;
    kept.save({ procedure: this.form.procedure(), answers: this.form.values(), attempts: merged });
    if (!sameLog(merged, this.log.attempts)) this.adopt(merged);
  }

  /** Another tab kept a new value: its log and this tab's made one, kept again if this tab adds to it. */
  merge(state) {
    if (!this.keep) return;
    const theirs = checked(state.attempts);
    const merged = syncLogs(this.log.attempts, theirs, this.synced);
    this.synced = merged;
    if (!sameLog(merged, theirs)) kept.save({ ...state, attempts: merged });
    if (!sameLog(merged, this.log.attempts)) this.adopt(merged);
  }

  /** Show and keep in this tab a log changed by a merge. */
  adopt(attempts) {
    this.log.set(attempts);
    this.saveLog();
    if (this.plan) this.compute({ quiet: true });
    else this.assessLog();
  }

  logChanged() {
    this.saveLog();
    this.persist();
    if (this.plan) this.compute({ quiet: true });
    else this.assessLog();
  }

  async assessLog() {
    if (!this.engine || !this.engine.started || !this.log.attempts.length) { this.log.showAssessment(null); return; }
    try {
      const res = await this.engine.run({ command: "evidence", procedure: this.form.procedure(), answers: { today: todayISO() },
        attempts: this.log.attempts });
      this.log.showAssessment(res);
    } catch { /* engine unavailable: the count stays */ }
  }

  wire() {
    const form = this.form.form;
    form.addEventListener("submit", (e) => { e.preventDefault(); this.compute(); });
    form.addEventListener("change", () => { if (!this.logSaved) this.saveLog(); this.persist(); });
    for (const type of ["focusin", "input", "pointerdown"]) {
      this.mount.addEventListener(type, () => this.prefetch(), { once: true, passive: true });
    }
    if (this.form.chooser) {
      this.form.chooser.addEventListener("change", () => {
        this.form.applyLimits(todayISO());
        this.plan = null;
        this.letters = null;
        this.showResults([]);
      });
    }
    this.keepBox.addEventListener("change", () => {
      this.keep = this.keepBox.checked && !this.shared;
      this.synced = [];
      if (this.keep) this.persist(); else kept.clear();
    });
    const forget = this.q(".gp-forget"), confirm = this.q(".gp-confirm");
    const ask = (open) => { confirm.hidden = !open; forget.setAttribute("aria-expanded", String(open)); };
    forget.addEventListener("click", () => { ask(confirm.hidden); if (!confirm.hidden) this.q(".gp-forget-no").focus(); });
    this.q(".gp-forget-no").addEventListener("click", () => { ask(false); forget.focus(); });
    this.q(".gp-forget-yes").addEventListener("click", () => {
      ask(false);
      eraseEverywhere();
      this.wipe("forgotten");
      forget.focus();
    });
    listen({
      onErase: () => { sessionLog.clear(); this.wipe("forgotten_elsewhere"); },
      onStopKeeping: () => {
        if (!this.keep) return;
        this.keep = false;
        this.keepBox.checked = false;
        this.synced = [];
        put(this.q(".gp-erase-status"), this.r, this.r.ui("keep_stopped"));
      },
      onKept: (state) => this.merge(state),
    });
    // Back to this page from the browser's back-forward cache, as it was: if this tab's log is gone
    // meanwhile, everything was erased from this tab (on another page: the privacy page's button).
    window.addEventListener("pageshow", (e) => {
      if (e.persisted && this.logSaved && sessionLog.load() === null) this.wipe("forgotten");
    });
  }

  /** Forget everything this tab shows and holds (the storage is already cleared), every field of both
   * forms (every procedure's, on the home page) included; a computation under way is not shown. */
  wipe(reason) {
    this.latest = (this.latest || 0) + 1;
    this.logSaved = false;
    this.keep = false;
    this.synced = [];
    this.form.clear(); // "keep" unticked too
    this.form.applyLimits(todayISO());
    this.form.clearErrors();
    this.log.clear();
    this.plan = null;
    this.letters = null;
    this.showResults([]);
    if (this.printing) this.printing.clearPrint();
    this.formError.hidden = true;
    this.status.textContent = "";
    const status = this.q(".gp-erase-status");
    status.removeAttribute("lang");
    status.removeAttribute("dir");
    status.replaceChildren(word(this.r, "span", reason), h("br"), word(this.r, "span", "forgotten_files"));
  }

  // ---------------------------------------------------------------- the engine
  /** The engine, the plan's modules and the catalog, once; null on failure (retry allowed). */
  load() {
    if (!this.loading) {
      this.loading = (async () => {
        const [engine, results, letters, printing] = await Promise.all([
          import("./engine.js"), import("./results.js"), import("./letters.js"), import("./print.js")]);
        this.engine = this.engine || new engine.Engine(this.urls.worker, this.urls.manifest, (d, t) => this.progressed(d, t));
        Object.assign(this, { views: { results, letters }, printing });
        await Promise.all([this.engine.start(), this.loadMessages()]);
      })();
      this.loading.catch(() => { this.loading = null; });
    }
    return this.loading;
  }

  /** The catalog for the engine's messages, checked against the manifest (trust.js). */
  async loadMessages() {
    if (this.lang === "fr" || this.messagesLoaded) return;
    const url = new URL(this.m.messages.url, this.urls.manifest).href;
    const { bytes } = await fetchChecked(url, (this.m.integrity || {})[this.m.messages.url]);
    this.r.add(JSON.parse(new TextDecoder().decode(bytes)));
    this.messagesLoaded = true;
  }

  /** Start loading on the first touch, showing progress; nothing to do once loaded. */
  prefetch() {
    if (this.ready) return Promise.resolve();
    if (this.prefetching) return this.prefetching;
    this.progress.hidden = false;
    this.progress.removeAttribute("value");
    put(this.status, this.r, this.r.ui("loading"));
    this.prefetching = this.load().then(() => {
      this.ready = true;
      this.progress.hidden = true;
      put(this.status, this.r, this.r.ui("ready"));
      this.loadFailed = null;
    }, (e) => this.showLoadError(e)).then(() => {
      this.prefetching = null;
      // ready or failed: Material's script may start now (assets/guichet/lazy-material.js)
      this.mount.dispatchEvent(new CustomEvent("guichet:engine", { bubbles: true }));
    });
    return this.prefetching;
  }

  progressed(done, total) {
    if (!total) return;
    this.progress.hidden = false;
    this.progress.max = total;
    this.progress.value = Math.min(done, total);
    const mb = (n) => this.r.ui("megabytes", { n: Math.round(n / 1e5) / 10 });
    put(this.status, this.r, this.r.ui("loading_bytes", { done: mb(done), total: mb(total) }));
  }

  showLoadError(e) {
    this.loadFailed = e || true;
    this.progress.hidden = true;
    const fallback = this.mount.dataset.fallback || null;
    const r = this.r;
    const key = { wasm: "error_wasm", integrity: "error_integrity" }[e && e.kind] || "error_download";
    this.status.replaceChildren(word(r, "span", key, { class: "gp-load-error" }), " ",
      fallback ? word(r, "a", "see_checklist", { href: fallback }) : null, " ",
      word(r, "button", "retry", { type: "button", class: "md-button", onclick: () => { this.status.textContent = ""; this.prefetch(); } }));
  }

  // ---------------------------------------------------------------- computing
  request(command, today) {
    const { answers, done } = this.form.request();
    const out = { command, procedure: this.form.procedure(), answers: { today, ...answers }, done };
    if (this.log.attempts.length) out.attempts = this.log.attempts; // none noted: the engine says what to do
    return out;
  }

  showErrors(errors) {
    const { general, first } = this.form.showErrors(errors, (m) => say(this.r, "span", m));
    this.formError.replaceChildren(word(this.r, "span", "fix_errors"), ...general.map((m) => [" ", say(this.r, "span", m)]).flat());
    this.formError.hidden = false;
    if (first) first.focus();
  }

  showResults(nodes) { this.results.replaceChildren(...nodes); }

  /** Compute the plan and the letters; `quiet`: a recomputation the person did not ask for (focus stays). */
  async compute({ quiet = false } = {}) {
    const today = todayISO();
    this.form.applyLimits(today);
    this.form.clearErrors();
    this.formError.hidden = true;
    const errors = this.form.check(this.r, today);
    if (errors.length) { if (!quiet) this.showErrors(errors); return; }
    this.persist();
    const t0 = performance.now();
    const mine = this.latest = (this.latest || 0) + 1; // an answer to an older request is not shown
    if (!quiet) put(this.status, this.r, this.r.ui("computing"));
    try {
      await this.prefetch();
      if (this.loadFailed || mine !== this.latest) return;
      if (!quiet) put(this.status, this.r, this.r.ui("computing"));
      const plan = await this.engine.run(this.request("plan", today));
      if (mine !== this.latest) return;
      if (plan.errors) { this.status.textContent = ""; this.showErrors(plan.errors); return; }
      const letters = await this.engine.run(this.request("letters", today));
      if (mine !== this.latest) return;
      this.plan = plan;
      this.letters = letters.letters || null;
      this.render(plan, quiet);
      this.status.textContent = "";
      window.__guichetPlanMs = performance.now() - t0;
      this.mount.dispatchEvent(new CustomEvent("guichet:plan", { bubbles: true, detail: { ms: window.__guichetPlanMs } }));
    } catch (e) {
      if (e && (e.kind === "wasm" || e.kind === "download")) this.showLoadError(e);
      else { this.status.textContent = ""; put(this.formError, this.r, this.r.ui("error_engine")); this.formError.hidden = false; }
    }
  }

  render(plan, quiet) {
    const { results, letters } = this.views;
    const today = plan.today;
    const ctx = {
      r: this.r, today,
      label: (qid) => this.label(qid),
      doneMin: (step) => {
        const qid = this.form.doneField(step);
        const q = this.form.sections().flatMap((s) => s.questions).find((x) => x.id === qid);
        return q ? limit(q.min, today) : null;
      },
      onMarkDone: (step, iso) => { this.form.setDone(step, iso); this.persist(); this.compute(); },
      onIcs: () => this.downloadIcs(),
      onPrintChecklist: () => this.printing.printChecklist(this.plan, this.r, this.lang, this.dir),
      onPrintCaseFile: () => this.printing.printCaseFile(this.letters),
    };
    const nodes = results.renderPlan(plan, ctx);
    if (this.letters) nodes.push(letters.renderLetters(this.letters, ctx));
    this.showResults(nodes);
    this.results.dataset.plan = String((+this.results.dataset.plan || 0) + 1); // how many plans shown
    this.log.showAssessment(plan.evidence);
    this.showAid(plan.aid);
    if (!quiet) this.q(".gp-plan-title").focus();
  }

  /** Legal aid never blocks the plan: what it lacks is shown beside its own fields. */
  showAid(aid) {
    const optional = this.form.sectionEls().filter((el) => "optional" in el.dataset);
    this.form.clearErrors(optional.map((el) => el.dataset.section));
    if (!aid || !aid.errors) return;
    this.form.showErrors(aid.errors, (m) => say(this.r, "span", m));
    for (const el of optional) {
      const status = el.querySelector(".gp-section-status");
      if (status) status.replaceChildren(word(this.r, "p", "aid_missing", { class: "gp-aid-missing-note" }),
        h("ul", {}, aid.missing.map((qid) => h("li", { text: this.label(qid) }))));
    }
  }

  /** A question's label as the page shows it (without the "required" mark). */
  label(qid) {
    const f = this.form.field(qid);
    const el = f && f.querySelector("label, legend");
    if (!el) return qid;
    const copy = el.cloneNode(true);
    for (const mark of copy.querySelectorAll(".gp-req")) mark.remove();
    return copy.textContent.trim();
  }

  async downloadIcs() {
    const events = this.views.results.icsEvents(this.plan, this.r);
    if (!events.length) { put(this.status, this.r, this.r.ui("ics_none")); return; }
    try {
      const text = await this.engine.ics(events, this.r.text(this.plan.title));
      download(`guichet-${this.plan.procedure}.ics`, "text/calendar;charset=utf-8", text);
    } catch {
      put(this.formError, this.r, this.r.ui("error_engine"));
      this.formError.hidden = false;
    }
  }
}
