"""Designators: the words that say what kind of place a name stands for.

``Luhansk region`` is the oblast, ``Pokrovsk district`` a district, ``Luhansk airport`` an
airport, ``Kupyansk direction`` a front sector. A designator is matched case-insensitively
after the name (``Kharkiv Oblast``), before it (``the village of Pisky``, ``с. Піски``,
``city council Makiyivka``) or as an adjective's head (``Amvrosievsky region``). Real data
spells them many ways; this table holds the spellings seen in UCDP, OSINT posts and news
(English, Russian and Ukrainian, transliterated or not, and the German and Polish forms
that OSINT translations carry).

:func:`kinds_of` gives the kinds of place a designator allows, most likely first. Some
are ambiguous on purpose: ``region`` after a name is a first-level region
(``Kharkov region``) or a district (``Amvrosievsky region``, ``Antratsit region``), and
the readings of the claim decide which the name can be.
"""

from __future__ import annotations

import re

from geoverify.model import PlaceKind

K = PlaceKind

#: designator (lower case, internal whitespace single) -> kinds it allows, most likely first
DESIGNATORS: dict[str, tuple[PlaceKind, ...]] = {}


def _add(kinds: tuple[PlaceKind, ...], words: str) -> None:
    for w in words.split("|"):
        w = " ".join(w.split())
        if w:
            DESIGNATORS[w] = kinds


# first-level regions
_add(
    (K.ADMIN1,),
    "oblast|oblast'|oblasti|obl|obl.|oblt|oblt.|область|області|областi|обл|обл.|области|"
    "krai|kray|край|okrug|autonomous okrug|autonomous republic|governorate|voblast|voblasts'|"
    "вобласць|gebiet|obwód|obwod|voivodeship|województwo|province|provincia|prefecture|state|"
    "respublika|республика|республіка|people's republic|peoples republic|autonomous region",
)
_add((K.ADMIN1, K.ADMIN2, K.AREA), "region|regions|регион|регіон")
# second level
_add(
    (K.ADMIN2,),
    "district|districts|raion|rayon|raions|rayons|район|району|районе|района|р-н|р-н.|р.|rajon|kreis|"
    "powiat|county|sub-prefecture|subprefecture|sous-préfecture|sous-prefecture|department|"
    "département|municipal district|municipal raion",
)
# third level and councils
_add(
    (K.ADMIN3,),
    "hromada|territorial community|community|громада|city council|town council|village council|"
    "selsoviet|silrada|сільрада|міськрада|municipality|commune|city municipality|"
    "urban district|rural district",
)
# settlements
_add(
    (K.SETTLEMENT,),
    "city|town|village|villages|hamlet|settlement|settlements|locality|"
    "urban-type settlement|urban settlement|township|smt|selo|posyolok|poselok|khutir|khutor|"
    "stanitsa|stanytsia|market town|border town|port city|город|місто|село|селище|посёлок|"
    "поселок|смт|пгт|хутор|хутір|станиця|станица|г.|м.|с.|смт.|пгт.|c.|s.|v.|vil.|sel.|pos.|p.",
)
# parts of a city
_add(
    (K.CITY_PART,),
    "neighbourhood|neighborhood|quarter|suburb|microdistrict|mikrorayon|"
    "city district|urban district of|мікрорайон|микрорайон",
)
# facilities
_add(
    (K.AIRPORT,),
    "airport|airfield|air field|airbase|air base|aerodrome|airstrip|air strip|"
    "heliport|аэропорт|аеропорт|аэродром|аеродром",
)
_add(
    (K.FACILITY,),
    "training ground|training range|training area|training centre|training center|"
    "training camp|military camp|military base|military unit|base|camp|garrison|barracks|depot|"
    "ammunition depot|arsenal|port|seaport|harbour|harbor|refinery|oil refinery|plant|power plant|"
    "power station|nuclear power plant|npp|thermal power plant|tpp|factory|dam|bridge|"
    "railway station|train station|station|checkpoint|border checkpoint|border crossing|"
    "crossing point|mine|prison|penal colony|hospital|market|polygon|range|proving ground|"
    "test site|idp camp|refugee camp|school|church|mosque|headquarters|building",
)
# fronts and axes
_add((K.FRONT,), "direction|axis|sector|front|frontline|front line|salient|bulge|направление|напрямок")
_add((K.ROAD,), "road|highway|motorway|route|track|axis road")
_add(
    (K.NATURAL,),
    "river|lake|sea|mountains|mountain|hills|hill|forest|island|islands|peninsula|"
    "bay|gulf|strait|valley|desert|coast|plateau|reservoir|canal|delta|basin|steppe|bush",
)
_add((K.AREA,), "area|areas|vicinity|environs|outskirts|surroundings|zone")

#: Designators written before the name ("с. Піски", "city council Makiyivka", "the village of X").
PREFIX_ONLY = frozenset(
    {
        "г.",
        "м.",
        "с.",
        "смт",
        "смт.",
        "пгт",
        "пгт.",
        "c.",
        "s.",
        "v.",
        "vil.",
        "sel.",
        "pos.",
        "p.",
        "city council",
        "town council",
        "village council",
        "р.",
        "р-н",
    }
)

#: How many words the longest designator has.
MAX_WORDS = max(len(k.split()) for k in DESIGNATORS)

_SPACE = re.compile(r"\s+")


def normalise(word: str) -> str:
    """A designator as the table keys it: lower case, single spaces, typographic apostrophes
    folded."""
    word = word.replace("’", "'").replace("ʼ", "'").replace("`", "'")
    return _SPACE.sub(" ", word.strip().lower())


def kinds_of(designator: str | None) -> tuple[PlaceKind, ...]:
    """The kinds of place ``designator`` allows, most likely first; ``()`` when it is not one.

    Examples
    --------
    >>> [k.value for k in kinds_of("Oblast")]
    ['admin1']
    >>> [k.value for k in kinds_of("region")]
    ['admin1', 'admin2', 'area']
    """
    if not designator:
        return ()
    key = normalise(designator)
    if key in DESIGNATORS:
        return DESIGNATORS[key]
    # "military training ground", "Donetsk city council": the last words decide
    words = key.split()
    for n in range(min(MAX_WORDS, len(words)), 0, -1):
        tail = " ".join(words[-n:])
        if tail in DESIGNATORS:
            return DESIGNATORS[tail]
    return ()


def is_admin(kinds: tuple[PlaceKind, ...]) -> bool:
    """Does a designator name an administrative unit (region, district, council)?"""
    return bool(kinds) and kinds[0] in (K.ADMIN1, K.ADMIN2, K.ADMIN3)


__all__ = ["DESIGNATORS", "PREFIX_ONLY", "kinds_of", "is_admin", "normalise"]
