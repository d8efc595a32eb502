"""The legal-aid ceilings by date of effect and household size, for the legal-aid page."""
from __future__ import annotations

from datetime import date

from planner.aid import P as AID, RFR_SCALE, eligibility

HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)


def _values(p: dict) -> list[dict]:
    return sorted(p.get("values") or [], key=lambda v: str(v.get("date")))


def aid_tables(bundle: dict) -> dict:
    """Legal-aid ceilings for each date of effect and household size, as the planner computes them
    (planner.aid.eligibility, so the page and the planner can never disagree).

    {"rfr": [{date, unverified, reference, rows: [{size, p100, p55, p25, mob, immo}]}] newest first,
     "monthly": [{date, reference, rows: [{dependants, old100, old55, old25}]}]} (the pre-2021 scale).
    """
    params = bundle.get("parameters") or {}
    out = {"rfr": [], "monthly": []}
    for v in _values(params.get(AID + "plafond_rfr_100", {})):
        if v.get("value") is None:
            continue
        day = date.fromisoformat(str(v["date"]))
        rows, used = [], []
        for n in HOUSEHOLD_SIZES:
            result = eligibility(bundle, {"foyer": n, "rfr": 0, "residence": "regular"}, day)
            c = result["ceilings"]
            rows.append({"size": n, "p100": c["100"], "p55": c["55"], "p25": c["25"],
                         "mob": c["patrimoine_mobilier"], "immo": c["patrimoine_immobilier"]})
            used += [p for p in result["parameters"] if p["rule"] in {AID + name for name in RFR_SCALE}]
        out["rfr"].append({"date": str(v["date"]), "reference": v.get("reference", ""), "rows": rows,
                           "unverified": any(p["confidence"] != "verified" for p in used)})
    for v in _values(params.get(AID + "ancien_plafond_mensuel_100", {})):
        if v.get("value") is None:
            continue
        day = date.fromisoformat(str(v["date"]))
        rows = []
        for dependants in range(0, 5):
            c = eligibility(bundle, {"foyer": dependants + 1, "rfr": 0, "residence": "regular"}, day)["ceilings"]
            rows.append({"dependants": dependants, "old100": c["100"], "old55": c["55"], "old25": c["25"]})
        out["monthly"].append({"date": str(v["date"]), "reference": v.get("reference", ""), "rows": rows})
    out["rfr"].sort(key=lambda t: t["date"], reverse=True)
    return out
