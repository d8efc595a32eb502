"""Legal-aid (aide juridictionnelle) eligibility on the day of the request.

Since 1 January 2021 the household's revenu fiscal de référence is compared with yearly ceilings, each
raised per extra household member, and savings and real estate with their own ceilings (décret
2020-1717). Before that, monthly resources were compared with monthly ceilings raised per dependant.
The residence condition is the one in force that day: habitual and regular until 28 May 2024,
habitual only from 29 May 2024 (QPC 2024-1091/1092/1093).
"""
from __future__ import annotations

from . import dates
from .messages import NP_, N_, date_param, money_param, msg, plural, text
from .params import last_change, value_at

RATES = (100, 55, 25)
P = "aide_juridictionnelle."
STALE_SCALE = {"months": 13}  # a scale is replaced every January: older than this, a newer one likely exists
# every parameter of the current (annual RFR) scale, for the pages' tables and their confidence marks
RFR_SCALE = ("plafond_rfr_100", "plafond_rfr_55", "plafond_rfr_25", "majoration_personnes_2_3",
             "majoration_personnes_4_plus", "plafond_patrimoine_mobilier", "plafond_patrimoine_immobilier",
             "majoration_immobilier_personnes_2_3", "majoration_immobilier_personnes_4_plus")


def _uplift(n: int, first: float, further: float) -> float:
    """Extra ceiling for a household of ``n``: members 2 and 3 add ``first``, each later one ``further``."""
    return min(max(n - 1, 0), 2) * first + max(n - 3, 0) * further


def _note(items, msgid, explanation=None, **params):
    item = msg(msgid, **params)
    if explanation:
        item["source"] = explanation
    items.append(item)


def _residence(rules, get, answers, day, items) -> bool:
    exemption = answers.get("exemption")
    if exemption and exemption != "aucune":
        label = next(e["text"] for e in rules["aid"]["exemptions"] if e["id"] == exemption)
        _note(items, N_("Aucune condition de résidence ne s'applique : {case}."), case=text(label))
        return True
    condition, source = get("condition_residence")
    residence = answers.get("residence", "regular")
    if residence == "none":
        _note(items, N_("La résidence habituelle en France est exigée des étrangers hors Union européenne."), source)
        return False
    if residence == "irregular" and condition == "habituelle_et_reguliere":
        _note(items, N_("Le {date}, la loi exigeait une résidence habituelle et régulière : le séjour irrégulier excluait l'aide (jusqu'au {date:2024-05-28})."),
              source, date=date_param(day))
        return False
    if residence == "irregular":
        _note(items, N_("Depuis le {date:2024-05-29}, seule la résidence habituelle est exigée : le séjour irrégulier n'empêche pas l'aide."), source)
    else:
        _note(items, N_("Condition de résidence remplie (résidence habituelle en France)."), source)
    return True


def _rfr_system(get, answers, items):
    n = answers["foyer"]
    first, first_src = get("majoration_personnes_2_3")
    further, further_src = get("majoration_personnes_4_plus")
    uplift = _uplift(n, first, further)
    if n > 1:
        _note(items, N_("Foyer de {n} personnes : plafonds de revenu et d'épargne majorés de {uplift}."),
              first_src if n <= 3 else [first_src, further_src], n=n, uplift=money_param(uplift))
    ceilings, sources = {}, {}
    for rate in RATES:
        value, sources[rate] = get(f"plafond_rfr_{rate}")
        ceilings[str(rate)] = value + uplift
    savings_cap, savings_src = get("plafond_patrimoine_mobilier")
    savings_cap += uplift
    estate_cap, estate_src = get("plafond_patrimoine_immobilier")
    e1, _ = get("majoration_immobilier_personnes_2_3")
    e2, _ = get("majoration_immobilier_personnes_4_plus")
    estate_cap += _uplift(n, e1, e2)
    ceilings.update(patrimoine_mobilier=savings_cap, patrimoine_immobilier=estate_cap)

    savings, estate, rfr = answers.get("epargne", 0), answers.get("immobilier", 0), answers["rfr"]
    if savings > savings_cap:
        _note(items, N_("Épargne de {value} au-dessus du plafond de {cap} : pas d'aide."), savings_src,
              value=money_param(savings), cap=money_param(savings_cap))
        return 0, ceilings
    if estate > estate_cap:
        _note(items, N_("Patrimoine immobilier de {value} au-dessus du plafond de {cap} : pas d'aide."), estate_src,
              value=money_param(estate), cap=money_param(estate_cap))
        return 0, ceilings
    for rate in RATES:
        if rfr <= ceilings[str(rate)]:
            _note(items, N_("Revenu fiscal de référence de {value} : au plus {cap}, plafond de l'aide à {rate} %."),
                  sources[rate], value=money_param(rfr), cap=money_param(ceilings[str(rate)]), rate=rate)
            return rate, ceilings
    _note(items, N_("Revenu fiscal de référence de {value} au-dessus du plafond de l'aide à 25 % ({cap}) : pas d'aide."),
          sources[25], value=money_param(rfr), cap=money_param(ceilings["25"]))
    return 0, ceilings


def _monthly_system(get, answers, items):
    monthly = answers["rfr"] / 12
    _note(items, N_("Avant 2021, on comptait les ressources mensuelles moyennes de l'année précédente : estimées ici à RFR / 12 = {value}."),
          value=money_param(round(monthly, 2)))
    dependants = answers["foyer"] - 1
    _note(items, N_("Personnes à charge estimées aux autres membres du foyer : {n}."), n=dependants)
    first, first_src = get("ancienne_majoration_personnes_a_charge_1_2")
    further, _ = get("ancienne_majoration_personnes_a_charge_3_plus")
    uplift = min(dependants, 2) * first + max(dependants - 2, 0) * further
    ceilings, sources = {}, {}
    for rate in RATES:
        value, sources[rate] = get(f"ancien_plafond_mensuel_{rate}")
        ceilings[str(rate)] = value + uplift
    if dependants:
        items.append(dict(plural(*NP_("{n} personne à charge : plafonds mensuels majorés de {uplift}.",
                                      "{n} personnes à charge : plafonds mensuels majorés de {uplift}."),
                                 dependants, uplift=money_param(uplift)), source=first_src))
    for rate in RATES:
        if monthly <= ceilings[str(rate)]:
            _note(items, N_("Ressources mensuelles de {value} : au plus {cap}, plafond de l'aide à {rate} %."),
                  sources[rate], value=money_param(round(monthly, 2)), cap=money_param(ceilings[str(rate)]), rate=rate)
            return rate, ceilings
    _note(items, N_("Ressources mensuelles de {value} au-dessus du plafond de l'aide à 25 % ({cap}) : pas d'aide."),
          sources[25], value=money_param(round(monthly, 2)), cap=money_param(ceilings["25"]))
    return 0, ceilings


def eligibility(rules: dict, answers: dict, day) -> dict:
    """Rate (100, 55, 25 or 0) on ``day``, the ceilings used and why, from cleaned answers."""
    items: list = []
    used: dict = {}

    def get(name):
        used[name] = value_at(rules, P + name, day, "date_demande")
        return used[name]

    system, system_src = get("base_ressources")
    scale = get("plafond_rfr_100" if system == "rfr" else "ancien_plafond_mensuel_100")[1]
    _note(items, N_("Pour une demande déposée le {date} : barème du {since}, sur le revenu fiscal de référence annuel.") if system == "rfr" else
          N_("Pour une demande déposée le {date} : barème du {since}, sur les ressources mensuelles."), system_src,
          date=date_param(day), since=date_param(scale["since"]))
    resident = _residence(rules, get, answers, day, items)
    rate, ceilings = (_rfr_system if system == "rfr" else _monthly_system)(get, answers, items)
    if not resident:
        rate = 0
    result = {"rate": rate, "date": day.isoformat(), "system": system, "residence_met": resident,
              "ceilings": ceilings, "explanation": items,
              "verdict": msg(N_("Aide juridictionnelle totale (100 %).")) if rate == 100 else
              msg(N_("Aide juridictionnelle partielle ({rate} %)."), rate=rate) if rate else
              msg(N_("Pas d'aide juridictionnelle selon le barème."))}
    result["parameters"] = [source for _, source in used.values()]
    if any(p["confidence"] != "verified" for p in result["parameters"]):
        result["explanation"].append(msg(N_("Certains montants de ce barème ne sont pas encore vérifiés dans le texte officiel.")))
    newest = dates.parse(last_change(rules, P + "plafond_rfr_100"))
    if system == "rfr" and dates.shift(newest, STALE_SCALE) < day:
        result["warning"] = msg(N_("Le barème de l'aide juridictionnelle change chaque année, en janvier : le plus récent "
                                   "que nous connaissons date du {since}. Le plafond réel le jour de votre demande peut "
                                   "être un peu plus élevé."), since=date_param(newest))
    if rate == 0:
        result["exceptional_route"] = rules["aid"]["exceptional"]
    return result
