"""Readings: what each name of a location phrase can stand for, constrained by its qualifiers.

A claim's chain (``near Pobeda village, Novoaydarsky district, Luhansk region``) is
resolved from its most general level inward. Each level gets its *readings*
(:class:`Ref`): the gazetteer records the name can mean, of the kinds its designator
allows, that lie inside the readings of the levels that qualify it. A level with no reading
inside its qualifiers says so (``no 'Pisky' within Donetsk Oblast in the gazetteer``) and
the claim is judged at the most specific level that resolved.

How a name is read, by the kind its designator allows:

- country, first-level region: the region of that name; or, for ``X region`` / ``X
  oblast``, the first-level region whose largest city is X (``Kharkov region``,
  ``Belgorod region``); a bare qualifier after a comma (``Shakhtyorsk, Donetsk``) the same.
- district, council: the district polygon when the index has one; otherwise the area
  around its centre town (``Amvrosievsky district`` is around Amvrosiivka), as wide as a
  district typically is (:data:`geoverify.thresholds.DISTRICT_RADIUS_KM`).
- settlement (or no designator): populated places and named sites of that name; with no
  designator, also a region or country of exactly that name.
- airport, facility, front, area: the facility itself when the index knows it, else the
  area around the town it is named after, as wide as that kind of place is.

Each reading carries whether it is *decisive*: whether a claim that fails with this reading
is wrong rather than possibly about a place the gazetteer lacks (see :func:`decisive`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geoverify import thresholds as th
from geoverify.claims.lexicon import SLAVIC_ADJECTIVE_END
from geoverify.model import Level, Place, PlaceKind

K = PlaceKind

#: Gazetteer kinds that are polygons the boundary index can measure against.
POLYGON_KINDS = frozenset({"country", "admin1", "admin2", "admin3", "region"})

#: Adjectival endings of district names ("Amvrosievsky", "Starobeshivskiy", "Мар'їнський").
_ADJ = re.compile(
    r"(?:s'?kyi|s'?kyy|s'?kiy|s'?kij|s'?ky|s'?ki|s'?koy|s'?koye|s'?koe|s'?ka|s'?ke|"
    r"ський|ский|ской|ська|ская|ське|ское|ского|ської)$",
    re.I,
)
_CYR = re.compile(r"[\u0400-\u04ff]")
#: Designators that say a place is a town, not a village ("Pervomaisk town", "SMT Novotoshkivske").
_TOWN_WORDS = frozenset({"town", "city", "smt", "township", "місто", "город", "смт", "пгт"})
#: An i after a vowel, where French writes ï (Rafaï, Mbaïki, Ouaddaï, Kasaï).
_TREMA_I = re.compile(r"([aeouAEOU])i(?![aeiou])")


@dataclass(frozen=True)
class Ref:
    """One reading of a name: the record it may stand for and how it is measured.

    Attributes
    ----------
    place : Place
        The gazetteer record (a point, or a polygon's id for ``shape == "region"``).
    kind : PlaceKind
        What the name is read as.
    shape : str
        ``"point"`` (measured from the point, ``radius_km`` around it) or ``"region"``
        (measured against the polygon of ``place.id``).
    radius_km : float
        The extent around a point reading: a town's urban radius, a district's typical
        radius around its centre, a front's depth.
    how : str
        The reading in words ("the village", "the oblast whose largest city is Kharkiv").
    decisive : bool
        Whether failing with this reading makes the claim wrong (see :func:`decisive`).
    approximate : bool
        Found only by typo or skeleton tolerance.
    """

    place: Place
    kind: PlaceKind
    shape: str = "point"
    radius_km: float = 0.0
    how: str = ""
    decisive: bool = True
    approximate: bool = False
    #: The polygon measured for a region reading when it is not the record's own (a village
    #: known only from the register is measured as the council or hromada holding it).
    area_id: str | None = None
    #: Stands in for a town the gazetteer has no point for (its district, its airstrip).
    proxy: bool = False

    @property
    def id(self) -> str:
        return self.place.id

    @property
    def region_id(self) -> str:
        """The polygon a region reading is measured against."""
        return self.area_id or self.place.id

    @property
    def register(self) -> bool:
        """A settlement known from a national register (no point of its own)."""
        return self.place.kind == "settlement"

    def describe(self) -> str:
        return describe(self.place)


@dataclass(frozen=True)
class LevelReading:
    """A level of the chain with its readings, and a note when it has none."""

    level: Level
    refs: tuple[Ref, ...] = ()
    note: str = ""
    constrained: bool = False  # the readings were narrowed by a qualifier
    namesakes: tuple[Place, ...] = ()  # every exact candidate of the name, before qualifiers
    #: the name's readings outside its qualifiers, when none is inside them ("Shirokino (Volnovakha
    #: district)": Shyrokyne lies in Novoazovsk raion)
    outside: tuple[Ref, ...] = ()

    def to_dict(self) -> dict:
        out = self.level.to_dict()
        out["reference"] = self.refs[0].describe() if self.refs else None
        if self.refs:
            out["reference_id"] = self.refs[0].id
            out["read_as"] = self.refs[0].how
            if len(self.refs) > 1:
                out["other_readings"] = len(self.refs) - 1
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Interpretation:
    """Every level of a claim's chain with its readings, most specific first."""

    levels: list[LevelReading] = field(default_factory=list)

    def chain_dicts(self) -> tuple[dict, ...]:
        return tuple(lr.to_dict() for lr in self.levels)


def describe(place: Place) -> str:
    """A reference in words: "Kyiv, Kyiv, UA (GeoNames 703448)", "Donetska oblast, UA (admin1)"."""
    if place.kind == "settlement":
        parents = {p.get("kind"): p.get("name") for p in (place.extra or {}).get("parents") or []}
        where = ", ".join(x for x in (parents.get("admin3"), parents.get("admin2"), place.admin1) if x)
        code = (place.extra or {}).get("katottg") or place.id
        return f"{place.name} ({where}; register {code})"
    bits = [place.name]
    if place.kind == "place" and place.admin1:
        bits.append(place.admin1)
    if place.country and place.kind != "country":
        bits.append(place.country)
    label = ", ".join(bits)
    if place.geonameid and place.kind in ("place", "country", "admin1"):
        label += f" (GeoNames {place.geonameid})"
    elif place.kind in POLYGON_KINDS or place.kind not in ("place", "site"):
        label += f" ({place.kind})"
    return label


def is_approximate(place: Place) -> bool:
    """Found only by typo tolerance, or by a consonant skeleton that is not a spelling
    variant of the name (see :func:`spelling_variant`)."""
    match = (place.extra or {}).get("match")
    if match == "skeleton":
        return not (place.extra or {}).get("spelling_variant")
    return match == "fuzzy"


def spelling_variant(asked: str, found: str, settlement: bool = True) -> bool:
    """Are two names the same name in two transliterations (``Zaitsevo`` / ``Zaitseve``,
    ``Novomaryevka`` / ``Novomaryivka``, ``Lugansk`` / ``Luhansk``) rather than two names
    with one skeleton (``Pisky`` / ``Pio``)?

    Both at least :data:`geoverify.thresholds.VARIANT_MIN_LENGTH` letters, the same first
    letter, and a normalised edit similarity of at least
    :data:`geoverify.thresholds.VARIANT_MIN_RATIO`; for a ``settlement`` (a populated place), both
    adjectives or both nouns.
    """
    from rapidfuzz.fuzz import ratio

    from geoverify.gazetteer.names import fold

    a, b = fold(asked), fold(found)
    if min(len(a), len(b)) < th.VARIANT_MIN_LENGTH or a[:1] != b[:1]:
        return False
    if settlement and bool(_ADJECTIVE_END.search(a)) != bool(_ADJECTIVE_END.search(b)):  # (a, b are folded)
        # of settlements, an adjective and a noun are two names ("Dolzhanskiy" / "Dolzhanka", "Pokrovske" /
        # "Pokrovsk"); a district or community is named by its centre's adjective ("Bereznegovatskaya
        # community" of Bereznehuvate), so there they are one
        return False
    return ratio(a, b) >= th.VARIANT_MIN_RATIO


#: A Slavic adjective's ending (one pattern for the claim grammar and the readings).
_ADJECTIVE_END = SLAVIC_ADJECTIVE_END


def slavic_adjective(name: str) -> bool:
    """Does ``name`` end like a Slavic adjective ("Proletarskaya", "Dolzhanskiy", "Pokrovske",
    "Пролетарская", "Майорське"), as a noun ("Pokrovsk", "Dolzhanka", "Майорка") does not?"""
    from geoverify.gazetteer.names import fold

    return bool(_ADJECTIVE_END.search(fold(name)))


def name_forms(name: str) -> list[str]:
    """The forms to look a name up by: as written, then without Slavic case endings
    (``Херсоні`` -> ``Херсон``, ``Донецької`` -> ``Донецька``), longest first."""
    name = " ".join(name.split())
    out = [name]
    if not _CYR.search(name):
        # French and English spellings of one African or Slavic name: "Djemah" / "Djéma",
        # "Nzacko" / "Nzako", "M'Boki" / "Mboki"
        low = name
        for a, b in (("h", ""),):
            if low.lower().endswith(a) and len(low) > 4 and low[-2].lower() in "aeiou":
                out.append(low[: -len(a)] + b)
        if "ck" in low:
            out.append(low.replace("ck", "k"))
        if "'" in low or "’" in low:
            out.append(low.replace("'", "").replace("’", ""))
        if _TREMA_I.search(low):
            # "Rafai" / "Rafaï", "Mbaiki" / "Mbaïki": the index folds ï as ISO 9 writes Ukrainian ї
            # (yi), so the tréma a French name lost in the text is put back
            out.append(_TREMA_I.sub(lambda m: m.group(1) + "ï", low))
        return out
    words = name.split()
    last = words[-1]
    stems = []
    for end, repl in (
        ("ської", "ська"),
        ("ської", "ськ"),
        ("цької", "цька"),
        ("ської", "ський"),
        ("ской", "ская"),
        ("цкой", "цкая"),
        ("ського", "ський"),
        ("ского", "ский"),
        ("ому", ""),
        ("ові", ""),
        ("ою", "а"),
        ("ей", "ь"),
        ("ою", "я"),
        ("і", ""),
        ("і", "а"),
        ("і", "ь"),
        ("е", "а"),
        ("е", ""),
        ("у", "а"),
        ("ы", "а"),
        ("и", "а"),
        ("а", ""),
        ("ю", "я"),
        ("ї", "я"),
    ):
        if last.lower().endswith(end) and len(last) > len(end) + 2:
            stems.append(last[: len(last) - len(end)] + repl)
    for s in stems:
        form = " ".join(words[:-1] + [s])
        if form not in out:
            out.append(form)
    return out


def adjective_stems(name: str) -> list[str]:
    """Stems of an adjectival district or region name (``Amvrosievsky`` -> ``Amvrosiev``,
    ``Starobeshivskiy`` -> ``Starobeshiv``), for finding the town it is named after."""
    words = name.split()
    if not words:
        return []
    m = _ADJ.search(words[-1])
    if not m or m.start() < 3:
        return []
    stem = words[-1][: m.start()]
    out = [" ".join(words[:-1] + [stem])]
    # Ukrainian -ivs'kyi districts are named after -ivka/-ove towns; Russian -evsky after -evka
    if stem.lower().endswith(("iv", "ev", "ov", "ів", "ев", "ов")):
        out.append(" ".join(words[:-1] + [stem[:-2]]))
    return out


#: Compound adjectives of two-word town names, as Russian and Ukrainian front reports write them
#: ("Krasnolymansk direction" for Krasnyi Lyman, "Velykonovosilkivskyi" for Velyka Novosilka):
#: the first part's adjective forms.
_COMPOUND_PREFIXES = {
    "krasno": ("Krasnyi", "Krasny", "Krasna", "Krasne"),
    "staro": ("Staryi", "Stary", "Stara", "Stare"),
    "novo": ("Novyi", "Novy", "Nova", "Nove"),
    "velyko": ("Velykyi", "Velyka", "Velyke"),
    "veliko": ("Veliky", "Velikaya", "Velikoye"),
    "malo": ("Malyi", "Maly", "Mala", "Male"),
    "verkhne": ("Verkhnii", "Verkhnya", "Verkhnie"),
    "verkhnyo": ("Verkhnii", "Verkhnia", "Verkhnie"),
    "nyzhnyo": ("Nyzhnii", "Nyzhnia", "Nyzhnie"),
    "nizhne": ("Nizhny", "Nizhnyaya", "Nizhneye"),
}
_COMPOUND = re.compile(r"^(" + "|".join(sorted(_COMPOUND_PREFIXES, key=len, reverse=True)) + r")-?([a-z]{3,})$", re.I)
_COMPOUND_END = re.compile(r"(?:s'?k(?:yi|yy|iy|ij|y|i|oye|oe|aya|a|e)?)$", re.I)


def compound_forms(name: str) -> list[str]:
    """Two-word names a one-word compound adjective may stand for, for a name no look-up found:
    ``Krasnolymansk`` / ``Krasnolimansky`` -> ``Krasnyi Lyman``, ``Krasny Liman``, ...
    (empty when the name is not such a compound)."""
    m = _COMPOUND.match(name.strip())
    if not m:
        return []
    rest = _COMPOUND_END.sub("", m.group(2))
    if len(rest) < 3 or rest == m.group(2) and not name.lower().endswith(("sk", "ska", "ske")):
        return []
    rests = [rest.capitalize()]
    if rest.lower().endswith(("kiv", "kov")):
        rests.append(rest[:-2].capitalize() + "a")  # Velykonovosilkivskyi: Velyka Novosilka
    elif rest.lower().endswith(("iv", "ov", "ev")):
        rests.append(rest.capitalize() + "ka")  # Staropetrivskyi: Stara Petrivka
    return [f"{adj} {r}" for r in rests for adj in _COMPOUND_PREFIXES[m.group(1).lower()]]


def decisive(
    place: Place,
    others: list[Place],
    home: str | None,
    distance_km: float,
    named_countries: frozenset[str] = frozenset(),
    designator: str | None = None,
    worldwide: list[Place] | None = None,
    home_covered: bool = True,
) -> tuple[bool, str]:
    """Whether a populated-place reading is the name's referent with enough certainty that
    failing with it makes the claim wrong, rather than possibly about a namesake the
    gazetteer lacks; and why, in words.

    Parameters
    ----------
    place : Place
        The candidate.
    others : list of Place
        The other candidates of exactly that name where the claim allows.
    home : str or None
        The location's country.
    distance_km : float
        From the candidate to the location.
    named_countries : frozenset of str
        Countries the text or the phrase's qualifiers name.

    Rules (figures in :mod:`geoverify.thresholds`): an approximate match never decides; a
    named site, or a place of at least ``NOTABLE_POPULATION``, always does; a smaller place
    far abroad (another country, not named, more than ``ABROAD_PLAUSIBLE_KM`` away) does
    not; otherwise the place decides when its name is unique in its country in the
    gazetteer, when the phrase calls it a town or a city and every namesake is a town too, or
    when it dominates its namesakes (``DOMINANCE`` times the population of the next, at least
    ``DOMINANT_MIN_POPULATION``).
    """
    if is_approximate(place):
        return False, "an approximate match"
    if place.kind == "site":
        return True, "a named site"
    pop = place.population or 0
    if (
        designator
        and designator.lower().split()[-1] in ("village", "villages", "hamlet", "selo", "село")
        and pop > th.VILLAGE_MAX_POPULATION
    ):
        return False, f"a place of {pop:,} people for a name called a village"
    far_abroad = bool(
        home
        and place.country
        and place.country != home
        and place.country not in named_countries
        and distance_km > th.ABROAD_PLAUSIBLE_KM
    )
    if far_abroad:
        # a place far abroad is the referent when it is a major city, or a notable place whose
        # name nothing else bears while the location's country is well covered by the gazetteer
        # (a place of that name there would be in it)
        unique = not any(o.id != place.id for o in (worldwide if worldwide is not None else others))
        if pop >= th.NOTABLE_ABROAD_POPULATION or (unique and pop >= th.NOTABLE_POPULATION and home_covered):
            return True, f"a place of {pop:,} people"
        return False, (
            f"a place in another country ({place.country}), {distance_km:.0f} km away"
            + (
                ""
                if home_covered
                else f"; the gazetteer holds few places in {home}, so one of that name there may be missing"
            )
        )
    if pop >= th.NOTABLE_POPULATION:
        return True, f"a place of {pop:,} people"
    if distance_km > th.SMALL_PLACE_DECISIVE_KM:
        return False, (
            f"a small place {distance_km:.0f} km away: a place of that name the gazetteer lacks is likelier "
            "than an error that large"
        )
    same_country = [o for o in others if o.id != place.id and o.country == place.country and o.kind == "place"]
    if not same_country and pop >= th.UNIQUE_MIN_POPULATION:
        return True, f"the only {place.name!r} in {place.country} in the gazetteer"
    if (
        designator
        and designator.lower().split()[-1] in _TOWN_WORDS
        and pop >= th.UNIQUE_MIN_POPULATION
        and all(
            (o.population or 0) >= th.UNIQUE_MIN_POPULATION for o in others if o.id != place.id and o.kind == "place"
        )
    ):
        # "Pervomaisk town": the phrase says a town, the gazetteer holds towns (cities500: every
        # place of 500 people or more), and every namesake it knows is one: a missing namesake
        # is unlikely, so the known towns all failing decides
        return True, f"a town of {pop:,} people, as the phrase says, whose namesakes are all towns"
    second = max((o.population or 0 for o in others if o.id != place.id), default=0)
    if pop >= th.DOMINANT_MIN_POPULATION and pop >= th.DOMINANCE * max(second, 1):
        return True, f"the largest of its namesakes ({pop:,} people, the next {second:,})"
    return False, "a small place whose name the gazetteer has several of"


__all__ = [
    "Ref",
    "LevelReading",
    "Interpretation",
    "POLYGON_KINDS",
    "describe",
    "is_approximate",
    "name_forms",
    "adjective_stems",
    "compound_forms",
    "decisive",
]
