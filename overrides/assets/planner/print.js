// Printing: the checklist (the steps with their dates and a box to tick, in the page's language) and the
// case file (registered letter, evidence annex, court application with its list of exhibits, in that
// order, each on its own A4 sheet with its place and date line, in French, left to right, whatever the
// page's direction). Only the print area prints: never the form, never the page around it.

import { h, say, word } from "./dom.js";
import { annexPerson, annexTable, fieldNodes, frenchNodes } from "./letters.js";
import { GROUPS, range, when } from "./results.js";

let area = null;

/** Print `node` alone; `lang`/`dir` are the printed sheets' own (French documents stay French, LTR). */
export function printNode(node, kind, lang, dir) {
  if (!area) {
    area = h("div", { class: "gp-print-area" });
    document.body.append(area);
  }
  area.replaceChildren(node);
  area.lang = lang;
  area.dir = dir;
  area.dataset.printed = kind;
  document.body.classList.add("gp-printing");
  const done = () => { document.body.classList.remove("gp-printing"); window.removeEventListener("afterprint", done); };
  window.addEventListener("afterprint", done);
  try { window.print(); } catch { /* printing unavailable: the area stays for the browser's own print */ }
}

export function clearPrint() { if (area) area.replaceChildren(); }

/** The checklist: what to do and when, in the reader's language, boxes to tick by hand. */
export function printChecklist(plan, r, lang, dir) {
  const items = [];
  for (const status of GROUPS) {
    for (const s of plan.steps.filter((x) => x.status === status)) {
      items.push(h("li", { class: `gp-check gp-status-${s.status}` },
        h("span", { class: "gp-box", "aria-hidden": "true", text: s.status === "done" ? "✓" : "" }),
        h("span", { class: "gp-check-text" }, say(r, "strong", s.title), h("br"),
          h("span", { class: "gp-check-when" }, word(r, "span", `status_${s.status}`), " — ", when(r, s)))));
    }
  }
  const fw = plan.filing_window;
  const sheet = h("article", { class: "gp-sheet gp-checklist" },
    h("h1", {}, word(r, "span", "checklist_title"), " — ", say(r, "span", plan.title)),
    word(r, "p", "computed_on", {}, { date: { date: plan.today } }),
    word(r, "p", "rules_checked", {}, { date: { date: plan.rules_checked } }),
    plan.warnings.length ? h("ul", { class: "gp-check-warnings" }, plan.warnings.map((w) => say(r, "li", w.text))) : null,
    fw ? h("p", {}, say(r, "strong", fw.label), " ", range(r, fw.start, fw.end)) : null,
    h("ul", { class: "gp-check-list" }, items));
  printNode(sheet, "checklist", lang, dir);
}

/** One field of a French document on its sheet, what the person typed isolated (letters.js). */
function field(doc, name, cls) {
  const nodes = fieldNodes(doc, name);
  return nodes ? h("div", { class: cls }, nodes) : null;
}

function letterSheet(doc) {
  return h("article", { class: "gp-sheet gp-letter" },
    field(doc, "heading", "gp-letter-heading"), field(doc, "sender", "gp-letter-sender"),
    field(doc, "recipient", "gp-letter-recipient"), field(doc, "place_date", "gp-letter-date"),
    field(doc, "subject", "gp-letter-subject"), field(doc, "body", "gp-letter-body"));
}

function annexSheet(annex) {
  return h("article", { class: "gp-sheet gp-annex" }, h("h1", { text: annex.heading }),
    annexPerson(annex), annexTable(annex), h("p", {}, frenchNodes([annex.summary])),
    annex.place_date ? h("div", { class: "gp-letter-date" }, frenchNodes([annex.place_date])) : null);
}

/** The case file for the court: letter, annex, requête (with its bordereau), one sheet each. */
export function printCaseFile(letters) {
  const sheets = [];
  if (letters["lettre-recommandee"]) sheets.push(letterSheet(letters["lettre-recommandee"]));
  if (letters["annexe-tentatives"]) sheets.push(annexSheet(letters["annexe-tentatives"]));
  if (letters["requete-refere"]) sheets.push(letterSheet(letters["requete-refere"]));
  printNode(h("div", { class: "gp-case-file" }, sheets), "case-file", "fr", "ltr");
}
