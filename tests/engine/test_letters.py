"""The documents sent to the préfecture or the court state only facts the person gave.

For every template, with and without an attempts log and done dates: no date of the plan's schedule
appears in a letter unless the person gave that very date; e-mails are cited only when marked sent;
unknown facts are visible blanks; the court application names the right tribunal.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import re

import pytest

from planner.api import run
from planner.messages import date as french_date
from scripts.rules import load_rules

TODAY = dt.date(2026, 11, 29)
FRENCH_DATE = re.compile(r"\b(1er|\d{1,2}) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
                         r"novembre|décembre) (\d{4})\b")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


@functools.cache
def bundle() -> dict:
    return load_rules()


def d(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@functools.cache
def cited_dates() -> set:
    """Dates written in the rules' own sentences (legal citations: « arrêté du 1er août 2023 »)."""
    texts = [str(t) for t in bundle()["templates"].values()] + [str(p["letter"]) for p in bundle()["procedures"].values()]
    return set().union(*(dates_in(t) for t in texts))


def dates_in(text: str) -> set:
    out = set()
    for day, month, year in FRENCH_DATE.findall(text):
        out.add(dt.date(int(year), MONTHS.index(month) + 1, 1 if day == "1er" else int(day)).isoformat())
    return out


ATTEMPTS = [{"date": d(-21 + 3 * i), "time": "09:00" if i % 2 else "18:30"} for i in range(6)]
SITUATIONS = {
    "renouvellement": [{"expiration": d(75), "anef": True}, {"expiration": d(40), "anef": False},
                       {"expiration": d(-10), "anef": False},
                       {"expiration": d(40), "anef": False, "captures_conservees": False, "debut_tentatives": d(-60)}],
    "admission-exceptionnelle": [{"date_entree": "2018-09-01"}, {"canal": "formulaire", "date_formulaire": d(-40)}],
}
DONE = [{}, {"courriel-1": d(-10)}, {"courriel-1": d(-12), "courriel-2": d(-5), "lettre-recommandee": d(-2)}]
CASES = [(proc, answers, attempts, done)
         for proc, situations in SITUATIONS.items()
         for answers, attempts, done in itertools.product(situations, (None, ATTEMPTS), DONE)]


def _letters(proc, answers, attempts, done):
    if proc == "admission-exceptionnelle":  # the written steps come once an association has seen the situation
        done = {"conseil": d(-70), **done}
    request = {"command": "letters", "procedure": proc, "answers": {"today": TODAY.isoformat(), **answers},
               "done": done}
    if attempts is not None:
        request["attempts"] = attempts
    plan_request = {**request, "command": "plan"}
    return run(bundle(), request), run(bundle(), plan_request)


@pytest.mark.parametrize("proc,answers,attempts,done", CASES)
def test_no_scheduled_date_is_written_as_a_fact(proc, answers, attempts, done):
    letters, plan = _letters(proc, answers, attempts, done)
    assert "errors" not in letters, letters
    given = set(plan["dates"].values()) | set(done.values()) | {a["date"] for a in attempts or []}
    scheduled = {s["date"] for s in plan["steps"] if s["kind"] == "follows" and s["status"] != "done"}
    for name, doc in letters["letters"].items():
        if name == "annexe-tentatives":
            continue
        text = "\n".join(doc.get(f, "") for f in ("heading", "sender", "recipient", "place_date", "subject", "body"))
        written = dates_in(text) - cited_dates()
        assert written <= given, (name, written - given)
        assert not (written & (scheduled - given)), name
        assert "[" in text or done  # something is always left to fill in by hand (signature, date, address)


@pytest.mark.parametrize("done", DONE)
def test_emails_are_cited_only_when_marked_sent(done):
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False}, ATTEMPTS, done)
    letter = letters["letters"]["lettre-recommandee"]["body"]
    for step in ("courriel-1", "courriel-2"):
        if step in done:
            assert french_date(done[step]) in letter
    if not done:
        assert "courriel" not in letter.lower()


def test_first_attempt_from_the_log_else_a_blank():
    with_log, _ = _letters("renouvellement", {"expiration": d(40), "anef": False}, ATTEMPTS, {})
    assert f"Depuis le {french_date(ATTEMPTS[0]['date'])}" in with_log["letters"]["lettre-recommandee"]["body"]
    assert "6 tentatives, sur 6 jours différents" in with_log["letters"]["lettre-recommandee"]["body"]
    without, _ = _letters("renouvellement", {"expiration": d(40), "anef": False}, None, {})
    body = without["letters"]["lettre-recommandee"]["body"]
    assert "Depuis le [date de votre première tentative]" in body and "tentatives, sur" not in body


@pytest.mark.parametrize("name", ["courriel", "lettre-recommandee"])
def test_one_attempt_is_counted_in_the_singular(name):
    one, _ = _letters("renouvellement", {"expiration": d(40), "anef": False}, ATTEMPTS[:1], {})
    assert "J'ai noté 1 tentative, sur 1 jour différent," in one["letters"][name]["body"]


def test_anef_letters_ask_for_the_substitution_not_for_slots():
    letters, _ = _letters("renouvellement", {"expiration": d(75), "anef": True}, None, {})
    for name in ("courriel", "lettre-recommandee", "requete-refere"):
        text = letters["letters"][name]["body"]
        assert "solution de substitution" in text and "créneau" not in text, name
    assert "attestation de prolongation d'instruction" in letters["letters"]["lettre-recommandee"]["body"]


def test_registered_letter_asks_a_reply_in_a_stated_time_and_cites_the_law():
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False}, ATTEMPTS, {})
    body = letters["letters"]["lettre-recommandee"]["body"]
    assert "dans un délai de 8 jours" in body and "récépissé" in body
    assert "R.431-5" in body and "436288" in body and "L.521-3" in body
    letter = letters["letters"]["lettre-recommandee"]
    assert "[adresse postale de la préfecture" in letter["recipient"] and "[date d'envoi]" in letter["place_date"]


def test_city_comes_from_the_address_else_a_blank():
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False, "adresse": "3 rue Jean Jaurès, 93100 Montreuil"}, None, {})
    assert letters["letters"]["lettre-recommandee"]["place_date"].startswith("Montreuil, le ")
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False}, None, {})
    assert letters["letters"]["lettre-recommandee"]["place_date"].startswith("[ville], le ")


def test_regularisation_subject_has_no_alien_number_blank():
    letters, _ = _letters("admission-exceptionnelle", {"nom": "Diallo", "prenom": "Awa"}, None, {})
    assert "numéro d'étranger" not in letters["letters"]["courriel"]["subject"]
    assert "et non en ligne" not in letters["letters"]["lettre-recommandee"]["body"]


def test_online_form_route_changes_the_letter():
    letters, _ = _letters("admission-exceptionnelle", {"canal": "formulaire", "date_formulaire": d(-40)}, None, {})
    body = letters["letters"]["lettre-recommandee"]["body"]
    assert "formulaire en ligne" in body and french_date(d(-40)) in body and "créneau" not in body


@pytest.mark.parametrize("departement,tribunal,prefet", [
    ("69", "tribunal administratif de Lyon", "préfet du Rhône"),
    ("93", "tribunal administratif de Montreuil", "préfet de la Seine-Saint-Denis"),
    ("75", "tribunal administratif de Paris", "préfet de police"),
    ("971", "tribunal administratif de la Guadeloupe", "préfet de la Guadeloupe"),
    ("92", "tribunal administratif de Cergy-Pontoise", "préfet des Hauts-de-Seine")])
def test_court_application_names_the_tribunal_and_the_prefet(departement, tribunal, prefet):
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False, "departement": departement}, None, {})
    requete = letters["letters"]["requete-refere"]
    assert tribunal in requete["recipient"] and f"{tribunal} (" not in requete["recipient"] + requete["body"]
    assert f"CONTRE :\n\nLe {prefet}." in requete["body"]
    assert f"À l'attention du {prefet}" in letters["letters"]["lettre-recommandee"]["recipient"]


def test_court_application_lists_facts_in_order_with_their_exhibits():
    done = {"courriel-1": d(-12), "courriel-2": d(-5), "lettre-recommandee": d(-2), "aide-juridictionnelle": d(-1)}
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False, "accuse_reception": d(-1)}, ATTEMPTS, done)
    body = letters["letters"]["requete-refere"]["body"]
    order = [body.index(french_date(day)) for day in (d(-12), d(-5), d(-2))]
    assert order == sorted(order)
    pieces = body[body.index("BORDEREAU DES PIÈCES"):]
    assert pieces.count("Pièce n°") == 8  # title, screenshots, annex, 2 e-mails, letter proof, receipt, legal aid
    assert "avis de réception" in pieces and "demande d'aide juridictionnelle" in pieces
    assert "L.761-1" in body and "453391" in body and "aide juridictionnelle" in body
    assert letters["letters"]["requete-refere"]["instructions"]


def test_first_request_must_show_urgency_with_facts():
    letters, _ = _letters("admission-exceptionnelle", {}, None, {})
    assert "l'urgence doit être établie par des circonstances particulières" in letters["letters"]["requete-refere"]["body"]
    assert "[Expliquez ici" in letters["letters"]["requete-refere"]["body"]


def test_evidence_annex_is_french_numbered_and_gives_no_verdict():
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False, "nom": "Benali", "prenom": "Mehdi"}, ATTEMPTS, {})
    annex = letters["letters"]["annexe-tentatives"]
    assert [r["n"] for r in annex["rows"]] == list(range(1, 7))
    assert annex["rows"][0]["day"].startswith(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))
    assert annex["summary"]["text"].startswith("Tentatives : 6, du ") and "Jours différents : 6." in annex["summary"]["text"]
    words = str(annex).lower()
    assert "mince" not in words and "suffisant" not in words and "solide" not in words


def test_every_paragraph_is_a_message_for_the_translation_beside():
    letters, _ = _letters("renouvellement", {"expiration": d(40), "anef": False}, ATTEMPTS, {"courriel-1": d(-10)})
    for name, doc in letters["letters"].items():
        if name == "annexe-tentatives":
            continue
        assert "\n\n".join(b["text"] for b in doc["blocks"] if b["field"] == "body") == doc["body"]
        assert all(b["msgid"] for b in doc["blocks"])


def _blanks(node):
    """Every blank in a message tree, as its label."""
    if isinstance(node, dict):
        if "blank" in node:
            yield node["blank"]["text"]
        for value in node.values():
            yield from _blanks(value)
    elif isinstance(node, list):
        for value in node:
            yield from _blanks(value)


@pytest.mark.parametrize("proc,answers,attempts,done", CASES)
def test_every_blank_says_what_to_write_in_words(proc, answers, attempts, done):
    """A blank is printed as [its label]: a label is words for the person, never a variable's name."""
    letters, _ = _letters(proc, answers, attempts, done)
    labels = set(_blanks(letters))
    assert labels and not [label for label in labels if re.fullmatch(r"[a-z0-9_]+", label) and "_" in label], labels


@pytest.mark.parametrize("civilite,ne", [("madame", "née"), ("monsieur", "né"), (None, "né(e)")])
def test_agreement_is_a_message_each_language_translates(civilite, ne):
    """« née / né / né(e) » is French: the translation beside the letter must be able to say it its way."""
    answers = {"expiration": d(40), "anef": False, "nom": "X", "prenom": "Y", "date_naissance": "1990-01-01",
               **({"civilite": civilite} if civilite else {})}
    letters, _ = _letters("renouvellement", answers, None, {})
    block = next(b for b in letters["letters"]["courriel"]["blocks"] if "date_naissance" in b.get("params", {}))
    assert block["params"]["ne"]["msgid"] == ne and block["params"]["ne"]["text"] == ne


@pytest.mark.parametrize("proc,answers,attempts,done", CASES)
def test_each_block_is_a_whole_line_or_paragraph(proc, answers, attempts, done):
    """The translation beside the letter shows one block per line: none may be a stray piece of a
    sentence (a lone « ) » after the subject)."""
    letters, _ = _letters(proc, answers, attempts, done)
    for name, doc in letters["letters"].items():
        for block in doc.get("blocks", []):
            assert re.search(r"\w", block["text"]) and not re.match(r"[,;.)]", block["text"].strip()), (name, block["text"])


def test_expired_title_pleads_no_employer_nobody_named():
    """The court application never invents a job: the employer is a bracket the person keeps or deletes."""
    letters, _ = _letters("renouvellement", {"expiration": d(-10), "anef": False}, None, {})
    body = letters["letters"]["requete-refere"]["body"]
    assert "ni travailler. [Si vous travaillez : mon employeur" in body


@pytest.mark.parametrize("days,ended", [(40, False), (0, False), (-1, True)])
def test_off_anef_letter_states_the_laws_end_and_advises_the_eve(days, ended):
    """The letter and the plan name the same last day (the expiry, R.431-5); the eve is advice, never
    said to be the law's end, and a title expiring today is not yet late."""
    letters, plan = _letters("renouvellement", {"expiration": d(days), "anef": False}, None, {})
    body = letters["letters"]["lettre-recommandee"]["body"]
    assert ("a pris fin le " + french_date(plan["periods"]["fenetre_depot"]["end"])) in body if ended else "a pris fin" not in body
    if days > 0:
        assert f"le {french_date(d(days))} ; je dois donc la déposer au plus tard la veille, le {french_date(d(days - 1))}" in body


NO_OBSTACLE = "La mesure demandée ne fait obstacle à aucune décision administrative"


@pytest.mark.parametrize("oqtf", ["oui", "inconnu"])
def test_a_declared_oqtf_leaves_the_obstacle_paragraph_to_a_lawyer(oqtf):
    """Someone who said they may be under an OQTF or a refusal cannot tell the judge that nothing stands in
    the way (L.521-3): the paragraph is a bracket to write with counsel, and the référé step says so."""
    letters, plan = _letters("admission-exceptionnelle", {"oqtf": oqtf}, ATTEMPTS, {})
    body = letters["letters"]["requete-refere"]["body"]
    assert NO_OBSTACLE not in body and "contestation sérieuse" not in body
    assert "[À rédiger avec votre avocat ou votre association : vous avez indiqué avoir reçu, ou peut-être reçu, une OQTF" in body
    refere = next(s for s in plan["steps"] if s["id"] == "refere-mesures-utiles")
    assert [f["text"] for f in refere["flags"] if f["reason"] == "rule"] == [
        "Ne déposez ce référé que si votre avocat ou votre association l'a validé."]


@pytest.mark.parametrize("proc,answers", [("admission-exceptionnelle", {"oqtf": "non"}), ("admission-exceptionnelle", {}),
                                          ("renouvellement", {"expiration": d(40), "anef": False})])
def test_without_a_declared_oqtf_the_obstacle_paragraph_stays(proc, answers):
    """The condition on « oqtf » does not hold where the question was not answered or is not asked."""
    letters, plan = _letters(proc, answers, None, {})
    assert NO_OBSTACLE in letters["letters"]["requete-refere"]["body"]
    refere = next(s for s in plan["steps"] if s["id"] == "refere-mesures-utiles")
    assert not [f for f in refere["flags"] if f["reason"] == "rule"]


def test_regularisation_letter_never_asks_the_short_reply():
    """No law sets a deadline for a regularisation request: even when its written steps are drawn in, the
    letter asks the usual reply (letter.reply_delay), where a renewal short of time asks a faster one."""
    letters, plan = _letters("admission-exceptionnelle", {"debut_tentatives": d(-137)}, None, {})
    assert plan["schedule"]["drawn_in"]
    assert "dans un délai de 8 jours à compter de la réception" in letters["letters"]["lettre-recommandee"]["body"]
    letters, plan = _letters("renouvellement", {"expiration": d(12), "anef": False}, None, {})
    assert plan["schedule"]["drawn_in"]
    assert "dans un délai de 5 jours à compter de la réception" in letters["letters"]["lettre-recommandee"]["body"]


ALGERIAN = ("demande de certificat de résidence, au titre du pouvoir général de régularisation du préfet (je suis de "
            "nationalité algérienne ; mon séjour relève de l'accord franco-algérien du 27 décembre 1968)")


@pytest.mark.parametrize("nationalite", ["algérienne", "Algérien", "ALGERIE"])
def test_an_algerian_asks_for_a_certificat_de_residence(nationalite):
    """An Algerian's stay is governed by the 1968 accord, not by L.435-1: no document asks for an « admission
    exceptionnelle au séjour »."""
    letters, _ = _letters("admission-exceptionnelle", {"nationalite": nationalite, "date_entree": "2018-09-01"}, ATTEMPTS, {})
    for name in ("courriel", "lettre-recommandee", "requete-refere"):
        doc = letters["letters"][name]
        words = " ".join(doc.get(f, "") for f in ("subject", "body"))
        assert ALGERIAN in doc["body"] and "admission exceptionnelle" not in words, name
        assert "certificat de résidence" in words.split(ALGERIAN)[1], name  # the request or the measure too


def test_other_nationalities_keep_the_admission_exceptionnelle():
    letters, _ = _letters("admission-exceptionnelle", {"nationalite": "nigérienne"}, None, {})
    body = letters["letters"]["requete-refere"]["body"]
    assert "certificat de résidence" not in body and "demande d'admission exceptionnelle au séjour" in body


BRACKET = ("[Si vous n'avez pas gardé de captures d'écran de ces premières tentatives, écrivez-le : « Je n'ai pas "
           "conservé de captures d'écran de ces premières tentatives ; depuis le (date), je garde une capture d'écran "
           "datée de chaque tentative. »]")
PIECE = "captures d'écran datées de mes tentatives de prise de rendez-vous"


def test_regularisation_screenshots_not_said_are_a_visible_bracket():
    """Attempts since a day the person gave, the screenshot question left blank, no log from that day: no
    document claims screenshots since then, and the exhibit's date is left to the person."""
    letters, _ = _letters("admission-exceptionnelle", {"debut_tentatives": d(-120)}, None, {})
    for name in ("courriel", "lettre-recommandee", "requete-refere"):
        body = letters["letters"][name]["body"]
        assert f"Depuis le {french_date(d(-120))}, j'ai tenté à de nombreuses reprises" in body and BRACKET in body, name
        assert "j'essaie sans succès" not in body, name
    body = letters["letters"]["requete-refere"]["body"]
    assert f"Pièce n° 2 : {PIECE} [, depuis le (date de la première capture)]." in body
    # nothing known at all: the first day is a blank, and still no screenshot is claimed
    letters, _ = _letters("admission-exceptionnelle", {}, None, {})
    assert BRACKET in letters["letters"]["requete-refere"]["body"]
    # the log starts later than the first attempt: what the log shows, and the earlier ones left to say
    letters, _ = _letters("admission-exceptionnelle", {"debut_tentatives": d(-120)}, ATTEMPTS, {})
    body = letters["letters"]["requete-refere"]["body"]
    assert f"Du {french_date(ATTEMPTS[0]['date'])} au" in body
    assert f"[Si vous n'avez pas gardé de captures d'écran des tentatives d'avant le {french_date(ATTEMPTS[0]['date'])}" in body


def test_regularisation_screenshots_said_or_logged_from_the_start():
    letters, _ = _letters("admission-exceptionnelle", {"debut_tentatives": d(-120), "captures_conservees": False}, ATTEMPTS, {})
    body = letters["letters"]["requete-refere"]["body"]
    assert "je n'ai pas conservé de captures d'écran de ces premières tentatives" in body and "[Si vous" not in body
    assert f"Pièce n° 2 : {PIECE}, depuis le {french_date(ATTEMPTS[0]['date'])}." in body
    for answers in ({"debut_tentatives": d(-120), "captures_conservees": True}, {}):  # said kept, or the log is the start
        letters, _ = _letters("admission-exceptionnelle", answers, ATTEMPTS, {})
        body = letters["letters"]["requete-refere"]["body"]
        assert "[Si vous n'avez pas gardé" not in body and "(date" not in body, answers
        assert f"Pièce n° 2 : {PIECE}." in body, answers


def test_regularisation_and_renewal_say_screenshots_in_the_same_words():
    """One French text for the translators wherever the two procedures say the same thing."""
    def said(node):
        return {node} if isinstance(node, str) else {c.get("then", c.get("else")) for c in node["cases"]}
    aes, renewal = (bundle()["procedures"][p]["letter"] for p in ("admission-exceptionnelle", "renouvellement"))
    assert said(aes["attempts_fact"]) <= said(renewal["attempts_fact"])
    assert len(said(aes["attempts_piece"]) - said(renewal["attempts_piece"])) == 1  # the online form's receipt


@pytest.mark.parametrize("proc", sorted(SITUATIONS))
def test_model_letters_of_the_pages_have_worded_blanks(proc):
    """The pages' model letters (every variant, no answer given) print [words], never a variable's name."""
    from planner import letters as model_letters
    for variant in model_letters.variants(bundle()["procedures"][proc]):
        doc = model_letters.model(bundle(), proc, TODAY, variant)
        labels = set(_blanks(doc))
        assert not [label for label in labels if re.fullmatch(r"[a-z0-9_]+", label) and "_" in label], (variant, labels)


@pytest.mark.parametrize("first,pleads", [(d(-30), "force majeure"), (None, "bracket"), (d(-3), "nothing")])
def test_force_majeure_only_for_attempts_inside_the_period(first, pleads):
    """Lawyer's third reading, C1: a letter never pleads an impossibility during the filing period that the
    person's own dates contradict (first attempt after it) or that they never stated (no first date)."""
    attempts = [{"date": first, "time": "09:00"}, {"date": d(-1), "time": "10:00"}] if first else None
    letters, _ = _letters("renouvellement", {"expiration": d(-10), "anef": False}, attempts, {})
    body = letters["letters"]["lettre-recommandee"]["body"]
    claim = "Cette impossibilité ne m'est pas imputable"
    if pleads == "force majeure":
        assert claim in body and "[Seulement si vous avez essayé" not in body
    elif pleads == "bracket":
        assert "[Seulement si vous avez essayé pendant cette période" in body and f"{claim} : elle relève" in body
        assert "sans que j'aie pu" not in body
    else:
        assert "force majeure" not in body and "Ma demande reste recevable" in body


def test_closed_anef_period_asks_no_attestation_and_states_no_past_deadline():
    """Lawyer's third reading, M1: once the ANEF period is over (title still valid), the requête neither
    speaks of its end as a deadline to come nor asks for the R.431-15-1 attestation, due only for a filing
    within the period."""
    letters, plan = _letters("renouvellement", {"expiration": d(30), "anef": True}, ATTEMPTS, {})
    assert plan["filing_window"]["end"] < TODAY.isoformat()
    for name in ("lettre-recommandee", "requete-refere"):
        text = letters["letters"][name]["body"]
        assert "R.431-15-1" not in text and "attestation de prolongation" not in text, name
        assert "m'impose de déposer ma demande au plus tard" not in text, name
    open_period, _ = _letters("renouvellement", {"expiration": d(75), "anef": True}, ATTEMPTS, {})
    assert "R.431-15-1" in open_period["letters"]["requete-refere"]["body"]


def test_title_expired_over_six_months_leaves_the_obstacle_paragraph_to_a_lawyer():
    """Lawyer's third reading, M2: exposed to an OQTF the renewal never asks about, the requête does not
    assert that the measure stands in the way of no decision."""
    letters, _ = _letters("renouvellement", {"expiration": d(-240), "anef": False}, ATTEMPTS, {"conseil": d(-2)})
    body = letters["letters"]["requete-refere"]["body"]
    assert "ne fait obstacle à aucune décision" not in body
    assert "[À rédiger avec votre avocat ou votre association : votre titre a expiré il y a plus de six mois" in body


@pytest.mark.parametrize("oqtf", ["oui", "inconnu", "non"])
def test_a_declared_oqtf_flags_every_document_sent_to_the_prefecture(oqtf):
    """Lawyer's third reading, m6: under a declared (or possible) OQTF, the e-mails and the letter carry the
    same caution as the référé, and the warning speaks of the lawyer's agreement once one has been seen."""
    _, plan = _letters("admission-exceptionnelle", {"date_entree": "2018-09-01", "oqtf": oqtf}, ATTEMPTS, {})
    steps = {s["id"]: s for s in plan["steps"]}
    for step in ("courriel-1", "courriel-2", "lettre-recommandee", "refere-mesures-utiles"):
        cautions = [f["text"] for f in steps[step]["flags"] if f["reason"] == "rule"]
        assert bool(cautions) is (oqtf != "non") and all("l'a validé" in c for c in cautions), step
    warning = {w["id"]: w for w in plan["warnings"]}.get("oqtf-declaree")
    assert (warning is None) is (oqtf == "non")
    if warning:
        assert "sans l'accord de votre avocat ou de votre association" in warning["text"]["text"]


@pytest.mark.parametrize("expiration,kept", [(d(40), "plain"), (d(-10), "bracket")])
def test_an_expired_title_keeps_the_no_obstacle_sentence_only_without_oqtf(expiration, kept):
    """Lawyer's fourth reading, N3: once a title has expired, the person may have received an OQTF or a
    refusal the renewal never asks about: the « ne fait obstacle à aucune décision » sentence is theirs to
    keep, in a bracket."""
    letters, _ = _letters("renouvellement", {"expiration": expiration, "anef": False}, ATTEMPTS, {})
    body = letters["letters"]["requete-refere"]["body"]
    bracket = "[Seulement si vous n'avez reçu ni OQTF ni refus de titre de séjour, écrivez : « La mesure demandée"
    assert (bracket in body) is (kept == "bracket")
    assert ("\nLa mesure demandée ne fait obstacle" in "\n" + body) is (kept == "plain")
