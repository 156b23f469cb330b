"""Disputed and occupied areas that ``where()`` must name rather than silently assign.

Detection in :mod:`geoverify.gazetteer.boundaries` has three legs:

1. the OpenStreetMap country polygons of two countries both contain the point
   (OSM maps Crimea in both Russia and Ukraine) — away from their border line,
   so it is not just the two polygons' 100 m simplification overlapping;
2. Natural Earth assigns the admin-1 region to a different country than its
   ISO 3166-2 code does (Natural Earth 5.x puts Crimea and Sevastopol in
   Russia, ``natural_earth_country``), or lists countries that do not
   recognise it (its ``FCLASS_*`` point-of-view fields, ``unrecognized_by``);
3. the admin-1 code is in :data:`DISPUTED_ADMIN1` below, which covers claims
   the polygons cannot show (the 2022 annexation claims, whose lines of
   control move and are in no source here).

Each entry: a short, neutral statement of the dispute and a source.
"""

from __future__ import annotations

DISPUTED_ADMIN1: dict[str, dict[str, str]] = {
    "UA-43": {
        "note": "Crimea: part of Ukraine under international law (UN GA resolution 68/262, 2014); "
        "occupied and annexed by Russia since 2014",
        "claimants": "UA,RU",
        "source": "UN General Assembly resolution 68/262 (27 March 2014)",
    },
    "UA-40": {
        "note": "Sevastopol: part of Ukraine under international law (UN GA resolution 68/262, 2014); "
        "occupied and annexed by Russia since 2014",
        "claimants": "UA,RU",
        "source": "UN General Assembly resolution 68/262 (27 March 2014)",
    },
    "UA-14": {
        "note": "Donetsk oblast: Ukraine under international law; partly occupied by Russia, which "
        "claims to have annexed it (2022); the line of control is not in this data",
        "claimants": "UA,RU",
        "source": "UN General Assembly resolution ES-11/4 (12 October 2022)",
    },
    "UA-09": {
        "note": "Luhansk oblast: Ukraine under international law; largely occupied by Russia, which "
        "claims to have annexed it (2022); the line of control is not in this data",
        "claimants": "UA,RU",
        "source": "UN General Assembly resolution ES-11/4 (12 October 2022)",
    },
    "UA-23": {
        "note": "Zaporizhzhia oblast: Ukraine under international law; partly occupied by Russia, "
        "which claims to have annexed it (2022); the line of control is not in this data",
        "claimants": "UA,RU",
        "source": "UN General Assembly resolution ES-11/4 (12 October 2022)",
    },
    "UA-65": {
        "note": "Kherson oblast: Ukraine under international law; the left bank is occupied by Russia, "
        "which claims to have annexed the oblast (2022); the line of control is not in this data",
        "claimants": "UA,RU",
        "source": "UN General Assembly resolution ES-11/4 (12 October 2022)",
    },
    "GE-AB": {
        "note": "Abkhazia: Georgia under international law; a breakaway region recognised as independent "
        "by Russia and a few other states",
        "claimants": "GE",
        "source": "UN General Assembly resolution A/RES/62/249 (2008)",
    },
    "MD-SN": {
        "note": "Transnistria (left bank of the Dniester): Moldova under international law; "
        "controlled by an unrecognised breakaway administration",
        "claimants": "MD",
        "source": "OSCE Mission to Moldova",
    },
}


def admin1_notes(iso: str | None, props: dict) -> list[str]:
    """Disputed-territory notes for an admin-1 region (from the curated list and Natural Earth)."""
    notes = []
    if iso and iso in DISPUTED_ADMIN1:
        d = DISPUTED_ADMIN1[iso]
        notes.append(f"disputed territory: {d['note']} ({d['source']})")
    ne = props.get("natural_earth_country")
    if ne and iso:
        notes.append(f"Natural Earth assigns {iso} to {ne} (its de facto view); ISO 3166-2 lists it under {iso[:2]}")
    unrec = props.get("unrecognized_by")
    if unrec:
        notes.append(
            f"Natural Earth marks {iso or 'this region'} as unrecognised from the point of view of: {', '.join(unrec)}"
        )
    return notes
