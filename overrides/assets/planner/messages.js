// Messages in the page's language: the JavaScript twin of planner.messages.Renderer.
//
// A message is {msgid, params, text} (plural ones add plural and n): msgid is looked up in the catalog
// (messages.json, and the widget's own words from manifest.json), plural forms are picked with
// Intl.PluralRules mapped at build time to the catalog's form index (no eval: the CSP forbids it), and
// each parameter is written the language's way: dates with Intl.DateTimeFormat, money and numbers with
// Intl.NumberFormat (the language's digits), durations through the catalog's "{n} jours" plurals, a
// fact not given as [label], a nested message translated in turn; so are a rule text's typed literals
// ({date:2024-05-29}, {euros:180}, {jours:120}). A placeholder without a value stays as it is; a
// translation that cannot be read falls back to the French, never to a crash. No DOM at import: Node
// runs it in the tests.

const PLACEHOLDER = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;
// a rule text writes a fixed date, amount or duration as a typed literal (planner.messages.LITERAL)
const LITERAL = /\{(date|euros|heures|jours|semaines|mois|ans):([0-9-]+)\}/g;
const LITERAL_UNITS = { heures: "hours", jours: "days", semaines: "weeks", mois: "months", ans: "years" };
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

class BadTemplate extends Error {}

function literalParam(kind, value) {
  if (kind === "date") return { date: value };
  if (kind === "euros") return { money: parseInt(value, 10) };
  return { duration: { [LITERAL_UNITS[kind]]: parseInt(value, 10) } };
}

/** A stretch of template between literals, as Python's str.format_map reads it: a named placeholder
 * without a value stays as it is; a positional one, a conversion or a lone brace is an error. */
function fields(text, params, parts) {
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === "{{" || m[0] === "}}") { parts.push(m[0][0]); continue; }
    const name = m[1];
    if (name === undefined || name === "" || /^\d+$/.test(name) || /[.[!:]/.test(name)) throw new BadTemplate(text);
    parts.push(Object.prototype.hasOwnProperty.call(params, name) ? { name, param: params[name] } : m[0]);
  }
  if (last < text.length) parts.push(text.slice(last));
}

/** The template as text and parameters (planner.messages.Renderer.fill). */
function parse(template, params) {
  const parts = [];
  let last = 0;
  for (const m of template.matchAll(LITERAL)) {
    fields(template.slice(last, m.index), params, parts);
    parts.push({ name: null, param: literalParam(m[1], m[2]) });
    last = m.index + m[0].length;
  }
  fields(template.slice(last), params, parts);
  return parts;
}

function utc(iso) {
  const m = ISO.exec(String(iso));
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
}

/** A date the way Babel's CLDR pattern writes it ("d MMMM y"), for a language the browser's Intl lacks. */
function cldrDate(cldr, t) {
  const d = new Date(t);
  const parts = { d: String(d.getUTCDate()), dd: String(d.getUTCDate()).padStart(2, "0"), MMMM: cldr.months[d.getUTCMonth()],
    y: String(d.getUTCFullYear()), yyyy: String(d.getUTCFullYear()), EEEE: cldr.weekdays[(d.getUTCDay() + 6) % 7] };
  return cldr.pattern.replace(/'([^']*)'|d{1,2}|M{4}|y{1,4}|E{4}/g, (m, quoted) => quoted !== undefined ? quoted : parts[m] ?? m);
}

/** The formats of `locale` (Intl, Gregorian calendar and Latin digits: the dates of the letters and of the
 * law, as the pages write them), or of
 * `cldr` (manifest.cldr, from Babel, as the pages write them) when the browser does not know the locale. */
export function intlFormats(locale, cldr) {
  const known = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 || !cldr;
  const french = /^fr\b/.test(locale);
  const latn = { timeZone: "UTC", calendar: "gregory", numberingSystem: "latn" };  // as the pages write them
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "long", ...latn });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: "long", ...latn });
  const time = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", ...latn });
  const number = new Intl.NumberFormat(known ? locale : "en", { maximumFractionDigits: 2, numberingSystem: "latn" });
  const local = (text) => known ? text : text.replace(/[.,]/g, (c) => (c === "," ? cldr.group : cldr.decimal));
  const money = (n) => known ? new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", numberingSystem: "latn",
    minimumFractionDigits: Number.isInteger(n) ? 0 : 2, maximumFractionDigits: 2 }).format(n) : `${local(number.format(n))} €`;
  return {
    date: (iso) => {
      const t = utc(iso);
      if (t === null) return String(iso);
      const text = known ? day.format(t) : cldrDate(cldr, t);
      return french && new Date(t).getUTCDate() === 1 ? text.replace(/^1(?=\s)/, "1er") : text;  // « 1er mai », as the letters
    },
    weekday: (iso) => { const t = utc(iso); return t === null ? "" : known ? weekday.format(t) : cldr.weekdays[(new Date(t).getUTCDay() + 6) % 7]; },
    time: (hhmm) => {
      const [hh, mm] = String(hhmm).split(":").map(Number);
      if (!Number.isFinite(hh) || !Number.isFinite(mm)) return String(hhmm);
      return known ? time.format(Date.UTC(2000, 0, 1, hh, mm)) : `${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`;
    },
    number: (n) => local(number.format(n)),
    money,
    plural: new Intl.PluralRules(locale),
  };
}

export class Renderer {
  /**
   * @param lang  the page's language
   * @param manifest  {catalog: {messages, plurals}, plural: {categories, exceptions}, units, ui, locale}
   * @param formats  date/number/money/plural formatters (tests pass their own; default Intl)
   */
  constructor(lang, manifest, formats) {
    this.lang = lang;
    this.messages = { ...(manifest.catalog && manifest.catalog.messages) };
    this.plurals = { ...(manifest.catalog && manifest.catalog.plurals) };
    this.pluralMap = manifest.plural || { categories: {}, exceptions: {} };
    this.units = manifest.units || {};
    this.uiWords = manifest.ui || {};
    this.f = formats || intlFormats(manifest.locale || lang, manifest.cldr);
  }

  /** Add a catalog (messages.json, loaded with the engine). */
  add(catalog) {
    Object.assign(this.messages, catalog.messages || {});
    Object.assign(this.plurals, catalog.plurals || {});
  }

  get french() { return this.lang === "fr"; }

  /** The renderer a message not yet translated is shown with, as a whole: French words take French
   * dates and numbers (« le 20 novembre 2026. », never « 20 листопада 2026 р.. »). */
  get fr() {
    if (this.french) return this;
    this.frTwin = this.frTwin || new Renderer("fr", { units: this.units, ui: this.uiWords, locale: "fr" });
    return this.frTwin;
  }

  gettext(msgid) {
    return this.french ? msgid : (Object.prototype.hasOwnProperty.call(this.messages, msgid) ? this.messages[msgid] : msgid);
  }

  pluralIndex(n) {
    const exact = this.pluralMap.exceptions[String(n)];
    if (exact !== undefined) return exact;
    const cat = this.f.plural.select(n);
    const idx = this.pluralMap.categories[cat];
    return idx !== undefined ? idx : (this.pluralMap.categories.other ?? 0);
  }

  ngettext(singular, plural, n) {
    const french = n === 0 || n === 1 ? singular : plural;
    if (this.french) return french;
    const forms = Object.prototype.hasOwnProperty.call(this.plurals, singular) ? this.plurals[singular] : null;
    return forms && forms.length ? forms[Math.min(this.pluralIndex(n), forms.length - 1)] : french;
  }

  /** Is this message, and every message inside it, translated (or the page French)? */
  translated(m) {
    if (this.french || m === null || typeof m !== "object") return true;
    if (m.msgid !== undefined) {
      const own = "plural" in m ? Object.prototype.hasOwnProperty.call(this.plurals, m.msgid)
        : Object.prototype.hasOwnProperty.call(this.messages, m.msgid) || !/\p{L}/u.test(m.msgid.replace(PLACEHOLDER, ""));
      return own && Object.values(m.params || {}).every((p) => this.translated(p));
    }
    if ("blank" in m) return this.translated(m.blank);
    if ("duration" in m) {
      const [unit] = Object.keys(m.duration);
      return Object.prototype.hasOwnProperty.call(this.plurals, (this.units[unit] || [])[0]);
    }
    return true;
  }

  // ---- the segments of a message, shared by its text and its nodes ----------------------------
  segments(m) {
    const template = "plural" in m ? this.ngettext(m.msgid, m.plural, m.n) : this.gettext(m.msgid);
    const params = m.params || {};
    try { return this.onePeriod(parse(template, params)); } catch {
      const french = "plural" in m && m.n !== 0 && m.n !== 1 ? m.plural : m.msgid;
      try { return this.onePeriod(parse(french, params)); } catch { return [m.text ?? m.msgid]; }
    }
  }

  /** A date the language writes with a final period (« 20 листопада 2026 р. ») ends the sentence with it:
   * never « р.. » (planner.messages.Renderer.message does the same). */
  onePeriod(parts) {
    return parts.map((s, i) => {
      const before = parts[i - 1];
      return typeof s === "string" && s.startsWith(".") && before && typeof before === "object"
        && before.param && typeof before.param === "object" && "date" in before.param
        && this.f.date(before.param.date).endsWith(".") ? s.slice(1) : s;
    });
  }

  /** A parameter as {kind, value}: kind "text" (typed or cited: isolated on screen), "date", or a message. */
  param(p) {
    if (p !== null && typeof p === "object") {
      if ("date" in p) return { kind: "date", iso: p.date, value: this.f.date(p.date) };
      if ("money" in p) return { kind: "plain", value: this.f.money(p.money) };
      if ("duration" in p) {
        const [[unit, n]] = Object.entries(p.duration);
        const [singular, plural] = this.units[unit];
        return { kind: "message", message: { msgid: singular, plural, n, params: { n } } };
      }
      if ("blank" in p) return { kind: "blank", message: p.blank };
      if ("msgid" in p) return { kind: "message", message: p };
    }
    if (typeof p === "boolean") return { kind: "message", message: { msgid: p ? "oui" : "non", params: {} } };
    if (typeof p === "number") return { kind: "plain", value: this.f.number(p) };
    return { kind: "text", value: String(p) };
  }

  /** The message as a string: what planner.messages.Renderer.message returns for the same catalog. */
  text(m) {
    return this.segments(m).map((s) => {
      if (typeof s === "string") return s;
      const p = this.param(s.param);
      if (p.kind === "message") return this.text(p.message);
      if (p.kind === "blank") return `[${this.text(p.message)}]`;
      return p.value;
    }).join("");
  }

  /** The message as DOM nodes: typed or cited text isolated (<bdi>), dates in <time>, blanks marked;
   * `slots` puts given nodes in place of some parameters (a count the page updates). */
  nodes(m, slots = {}) {
    const out = document.createDocumentFragment();
    for (const s of this.segments(m)) {
      if (typeof s === "string") { out.append(s); continue; }
      if (Object.prototype.hasOwnProperty.call(slots, s.name)) { out.append(slots[s.name]); continue; }
      const p = this.param(s.param);
      if (p.kind === "message") out.append(this.nodes(p.message));
      else if (p.kind === "blank") {
        const span = document.createElement("span");
        span.className = "gp-blank";
        span.append("[", this.nodes(p.message), "]");
        out.append(span);
      } else if (p.kind === "date") {
        const t = document.createElement("time");
        t.dateTime = p.iso;
        t.dir = "auto";
        t.textContent = p.value;
        out.append(t);
      } else if (p.kind === "text") {
        const b = document.createElement("bdi");
        b.textContent = p.value;
        out.append(b);
      } else out.append(p.value);
    }
    return out;
  }

  /** One of the widget's own words (manifest.ui) as a message; `n` picks the plural form. */
  ui(key, params = {}, n = undefined) {
    const fr = this.uiWords[key];
    if (Array.isArray(fr)) return { msgid: fr[0], plural: fr[1], n, params: { n, ...params } };
    return { msgid: fr, params };
  }

  /** Shorthands: the widget's words as text. */
  t(key, params, n) { return this.text(this.ui(key, params, n)); }
}
