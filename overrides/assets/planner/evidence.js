// The evidence log: the attempts to get an appointment, as the person notes them. It is the source of the
// annex sent to the préfecture and the court (date, weekday, time, préfecture, note), so it is never lost
// by accident: kept in sessionStorage whatever "keep my answers" says, an import adds to it (duplicates
// counted, what it added one click away from being taken out again), an empty or bad file changes nothing.
// Two notes of the same day and time are one attempt when their préfectures are the same words (case and
// spaces aside) or one of them gives none: planner/evidence.py counts them the same way.

import { download, h, langOf, put, say, todayISO, word } from "./dom.js";

export const MAX_IMPORT_BYTES = 256 * 1024;
export const MAX_ATTEMPTS = 2000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const ATTEMPT_KEYS = new Set(["date", "time", "prefecture", "note"]);
const LOG_KEYS = new Set(["format", "version", "exported", "attempts"]);

/** A refused file: `code` names the reason among the widget's words (log_*), `params` fill it. */
export class LogError extends Error {
  constructor(code, params = {}) { super(code); this.code = code; this.params = params; }
}

function validDate(s) {
  if (typeof s !== "string" || !DATE_RE.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return y >= 2000 && y <= 2100 && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

function cleanText(s, max) {
  if (s === undefined || s === null) return "";
  if (typeof s !== "string") return null;
  // control characters become spaces; bidirectional marks, overrides and isolates (the Arabic letter mark
  // too) would reorder or hide what the annex prints: removed, as planner/answers.py removes them and lone
  // surrogates (half a character). The
  // cut counts characters, never leaving half of one (an emoji's).
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .trim();
  return Array.from(clean).slice(0, max).join("");
}

/** One attempt checked: {date, time, prefecture?, note?}, or null. */
export function validAttempt(a) {
  if (!a || typeof a !== "object" || Array.isArray(a)) return null;
  if (Object.keys(a).some((k) => !ATTEMPT_KEYS.has(k))) return null; // also "__proto__", "constructor"
  if (!validDate(a.date) || typeof a.time !== "string" || !TIME_RE.test(a.time)) return null;
  const time = a.time;
  const prefecture = cleanText(a.prefecture, 120), note = cleanText(a.note, 500);
  if (prefecture === null || note === null) return null;
  const out = { date: a.date, time };
  if (prefecture) out.prefecture = prefecture;
  if (note) out.note = note;
  return out;
}

/** The attempts of an exported log (or a bare list), every one checked, none after `today` (as when
 * typed: the engine refuses a plan with one); throws LogError. */
export function parseLog(text, today = todayISO()) {
  if (typeof text !== "string" || text.length > MAX_IMPORT_BYTES) throw new LogError("log_too_large", { kb: MAX_IMPORT_BYTES / 1024 });
  let data;
  try { data = JSON.parse(text); } catch { throw new LogError("log_not_json"); }
  if (!Array.isArray(data)) {
    if (!data || typeof data !== "object") throw new LogError("log_not_json");
    if (data.format !== undefined && data.format !== "guichet-evidence-log") throw new LogError("log_format");
    if (Object.keys(data).some((k) => !LOG_KEYS.has(k))) throw new LogError("log_format");
    if (data.version !== undefined && data.version !== 1) throw new LogError("log_version");
    if (data.exported !== undefined && typeof data.exported !== "string") throw new LogError("log_format");
  }
  const list = Array.isArray(data) ? data : data.attempts;
  if (!Array.isArray(list)) throw new LogError("log_no_list");
  if (list.length > MAX_ATTEMPTS) throw new LogError("log_too_many", { max: MAX_ATTEMPTS });
  return list.map((a, i) => {
    const v = validAttempt(a);
    if (!v) throw new LogError("log_entry", { n: i + 1 });
    if (v.date > today) throw new LogError("log_future", { n: i + 1 });
    return v;
  });
}

const byTime = (a, b) => (a.date + a.time).localeCompare(b.date + b.time);
const place = (a) => (a.prefecture || "").trim().split(/\s+/).join(" ").toLowerCase();

/** The same attempt noted twice: same day and time, the same préfecture (case and spaces aside) or none. */
export function sameAttempt(a, b) {
  if (a.date !== b.date || a.time !== b.time) return false;
  const p = place(a), q = place(b);
  return !p || !q || p === q;
}

/** The same note, word for word (what an undo or a removal takes out). */
const identical = (a, b) => a.date === b.date && a.time === b.time && (a.prefecture || "") === (b.prefecture || "")
  && (a.note || "") === (b.note || "");

/** `current` plus `incoming` without duplicates (sameAttempt): {merged, added (the attempts added), duplicates}. */
export function mergeLogs(current, incoming) {
  const merged = [...current], added = [];
  for (const a of incoming) if (!merged.some((b) => sameAttempt(a, b))) { merged.push(a); added.push(a); }
  merged.sort(byTime);
  return { merged, added, duplicates: incoming.length - added.length };
}

/** Two tabs' logs made one: what either added since `base` (the log both last agreed on, as stored) is
 * kept, what either removed since then is taken out. */
export function syncLogs(mine, theirs, base) {
  const removedBy = (list) => (a) => base.some((b) => identical(a, b)) && !list.some((b) => identical(a, b));
  const removedByThem = removedBy(theirs), removedByMe = removedBy(mine);
  return mergeLogs(mine.filter((a) => !removedByThem(a)), theirs.filter((a) => !removedByMe(a))).merged;
}

/** Two logs holding the same notes in the same order. */
export function sameLog(a, b) {
  return a.length === b.length && a.every((x, i) => identical(x, b[i]));
}

/** "<label> : <n>" in the language's words, the number in an element the tests and the page can find. */
function count(r, label, key, n) {
  const m = r.ui("figure", { label: r.ui(label), value: "" });
  const strong = h("strong", { "data-count": key, text: r.f.number(n) });
  const { lang, dir } = langOf(r, r.ui(label)); // the words are the label's
  return h("p", { lang, dir }, r.nodes(m, { value: strong }));
}

/** The log's part of the page (written at build time): the add form, the table, export and import. */
export class EvidenceLog {
  /**
   * @param box  the .gp-evidence section
   * @param r  the Renderer (the widget's words, dates, numbers)
   * @param onChange  called with the attempts after every change
   */
  constructor(box, r, onChange) {
    this.box = box;
    this.r = r;
    this.onChange = onChange;
    this.attempts = [];
    this.q = (s) => box.querySelector(s);
    this.date = this.q("#gp-ev-date");
    this.time = this.q("#gp-ev-time");
    this.pref = this.q("#gp-ev-pref");
    this.note = this.q("#gp-ev-note");
    this.error = this.q("#gp-ev-err");
    this.table = this.q(".gp-ev-table");
    this.msg = this.q(".gp-ev-msg");
    this.file = this.q("#gp-ev-file");
    this.date.value = todayISO();
    this.date.max = todayISO();
    this.q(".gp-ev-add").addEventListener("submit", (e) => { e.preventDefault(); this.add(); });
    this.q(".gp-export").addEventListener("click", () => this.export());
    const importLabel = this.q(".gp-import");
    importLabel.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); this.file.click(); } });
    this.file.addEventListener("change", () => this.importFile());
  }

  set(attempts) {
    this.attempts = [...attempts].sort(byTime);
    this.draw();
  }

  changed() {
    this.draw();
    this.onChange(this.attempts);
  }

  add() {
    const r = this.r;
    const date = this.date.value, time = this.time.value;
    let problem = !date ? "attempt_no_date" : !time ? "attempt_no_time" : date > todayISO() ? "attempt_future" : null;
    const attempt = problem ? null : validAttempt({ date, time, prefecture: this.pref.value, note: this.note.value });
    if (!problem && !attempt) problem = "attempt_no_date";
    if (problem) {
      put(this.error, r, r.ui(problem));
      this.error.hidden = false;
      (problem === "attempt_no_time" ? this.time : this.date).focus();
      return;
    }
    this.error.hidden = true;
    if (this.attempts.length >= MAX_ATTEMPTS) return;
    const { merged, duplicates } = mergeLogs(this.attempts, [attempt]);
    if (duplicates) { this.say([word(r, "span", "import_duplicates", { class: "gp-duplicates" }, {}, duplicates)]); return; }
    if (!this.msg.querySelector(".gp-undo")) this.say([]); // an import's undo stays offered
    this.attempts = merged;
    this.note.value = "";
    this.changed();
  }

  /** Empty, its own fields too (after "erase everything"). */
  clear() {
    this.q(".gp-ev-add").reset();
    this.date.value = todayISO();
    this.error.hidden = true;
    this.set([]);
    this.showAssessment(null);
    this.say([]);
  }

  remove(attempt) {
    this.attempts = this.attempts.filter((x) => x !== attempt);
    this.changed();
  }

  draw() {
    const r = this.r;
    const body = this.table.tBodies[0];
    body.replaceChildren(...this.attempts.map((a) => {
      const label = r.t("remove_attempt", { date: { date: a.date }, time: r.f.time(a.time) });
      return h("tr", {},
        h("td", {}, h("time", { datetime: a.date, text: r.f.date(a.date) })),
        h("td", { text: r.f.weekday(a.date) }),
        h("td", {}, h("time", { datetime: a.time, text: r.f.time(a.time) })),
        h("td", { dir: "auto", text: a.prefecture || "" }),
        h("td", { dir: "auto", text: a.note || "" }),
        h("td", {}, word(r, "button", "remove", { type: "button", class: "gp-remove", "aria-label": label,
          onclick: () => this.remove(a) })));
    }));
    this.table.hidden = !this.attempts.length;
    const count = this.q("[data-count=attempts]");
    count.textContent = r.f.number(this.attempts.length);
  }

  /** The engine's assessment (three levels, never "sufficient"): counts, verdict, what is missing. */
  showAssessment(res) {
    const r = this.r;
    const box = this.q(".gp-ev-verdict");
    if (!res || res.errors || !this.attempts.length) { box.replaceChildren(); return; }
    box.replaceChildren(
      count(r, "distinct_days", "days", res.distinct_days), count(r, "distinct_weeks", "weeks", res.distinct_weeks),
      say(r, "p", res.verdict, { class: `gp-level gp-level-${res.level}`, "data-level": res.level }),
      res.missing.length ? h("ul", { class: "gp-missing" }, res.missing.map((m) => say(r, "li", m))) : null);
  }

  export() {
    const data = { format: "guichet-evidence-log", version: 1, exported: new Date().toISOString(), attempts: this.attempts };
    download(`guichet-journal-${todayISO()}.json`, "application/json", JSON.stringify(data, null, 2));
  }

  say(nodes, error = false) {
    this.msg.className = `gp-ev-msg${error ? " gp-error" : ""}`;
    this.msg.replaceChildren(...nodes);
  }

  async importFile() {
    const r = this.r;
    const file = this.file.files && this.file.files[0];
    this.file.value = "";
    if (!file) return;
    let incoming;
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new LogError("log_too_large", { kb: MAX_IMPORT_BYTES / 1024 });
      incoming = parseLog(await file.text());
      if (mergeLogs(this.attempts, incoming).merged.length > MAX_ATTEMPTS) throw new LogError("log_too_many", { max: MAX_ATTEMPTS });
    } catch (e) {
      const reason = e instanceof LogError ? r.ui(e.code, e.params) : r.ui("log_not_json");
      this.say([say(r, "span", r.ui("import_refused", { reason }))], true);
      return;
    }
    if (!incoming.length) { this.say([word(r, "span", "import_empty")]); return; }
    const { merged, added, duplicates } = mergeLogs(this.attempts, incoming);
    const dup = duplicates ? word(r, "span", "import_duplicates", { class: "gp-duplicates" }, {}, duplicates) : "";
    if (!added.length) { this.say([dup]); return; } // all there already: nothing to add, nothing to undo
    this.attempts = merged;
    this.changed();
    const undo = word(r, "button", "import_undo", { type: "button", class: "md-button gp-undo" });
    undo.addEventListener("click", () => { // only what this import added: attempts noted since then stay
      this.attempts = this.attempts.filter((a) => !added.some((b) => identical(a, b)));
      this.changed();
      this.say([word(r, "span", "import_undone")]);
    });
    this.say([word(r, "span", "imported", {}, {}, added.length), " ", dup, " ", undo]);
  }
}
