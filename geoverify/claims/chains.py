"""Location phrases: the claims of one phrase joined into one claim with a hierarchy.

The phrase grammar (:mod:`geoverify.claims.grammar`) finds each name of
``near Pobeda village, Novoaydarsky district, Luhansk region`` separately. Read as a
verifier reads it, the phrase is one claim ("near Pobeda") whose place is qualified by a
district and a region: the qualifiers say *which* Pobeda, they are not claims of their own.
:func:`assemble` joins such runs:

- A claim followed only by separators (comma, parentheses, a slash, ``in``, ``of``) and a
  *qualifier* takes the qualifier as its next :class:`~geoverify.model.Level`. A qualifier
  is a name with an administrative designator (``Donetsk region``, ``Yasynuvata district``,
  ``city council Makiyivka``), a country, or a bare name after a comma (``Shakhtyorsk,
  Donetsk``: the region with a city's name) or in parentheses (``Makiivka (Luhansk)``), when
  it can name a country or a region.
- A name in another script in parentheses right after the head (``Novolyubivka
  (Новолюбівка)``), a gloss in square brackets (``Verkhnietoretske [Upper Toretske]``) and a
  name after a slash (``Gorlovka/Horlivka``) are the same place written twice: one level with
  both spellings kept in the text.
- A parenthesis that starts with a relation (``Kitesa (near, ...)``, ``Kaga Bandoro town
  (10 kilometers from)``, ``Obo town (north of)``) makes the head the anchor of that
  relation: the place itself is not where the event was.
- ``between A and B``, ``on the A - B road``, ``on the road from A to B``: one ``between``
  claim with two anchors.

Every claim keeps ``chain`` (its levels, most specific first); a claim that is not part of a
longer phrase has a chain of one level.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geoverify.claims import designators as D
from geoverify.claims import lexicon as lx
from geoverify.model import Claim, ClaimKind, Level, PlaceKind

K = PlaceKind

#: Text allowed between a claim and its qualifier (a parenthesis of non-letters, as a
#: name in a script lost to "?" marks, is skipped).
_GAP = re.compile(
    r"[\s,;:()\[\]]*(?:\([^\w()]*\))?[\s,;:()\[\]]*(?:(?:in|of|in the|within|located in|of the)\s+)?"
    r"[\s,;:()\[\]]*",
    re.I,
)
#: Between a district and the city it is part of ("/suburb of", " [of ", ", center of ", " in ").
_CITY_PART_GAP = re.compile(
    r"\s*(?:/\s*\w+\s*)?[\[(]?\s*(?:of|in|,\s*(?:the\s+)?(?:center|centre)\s+of|,)\s+"
    r"(?:the\s+)?(?:city\s+of\s+)?",
    re.I,
)
#: Designators written in the gap before a qualifier ("village, city council Makiyivka").
_GAP_DESIGNATOR = re.compile(
    r"[\s,;:(]*(city council|town council|village council|district|raion|rayon|region|oblast|"
    r"province|prefecture|sub-prefecture|county|commune|municipality|hromada|р-н|р\.|обл\.?)\s*$",
    re.I,
)
#: A relation word opening a parenthesis after a name.
_PAREN_RELATION = re.compile(
    r"\s*\(\s*(near|nearby|outside|around|close to|on the outskirts of|outskirts of|outskirts|"
    r"in the vicinity of|vicinity of|vicinity|surrounding areas?|area)\b",
    re.I,
)
_NEAR_WORDS = {
    "near": "near",
    "nearby": "near",
    "outside": "outside",
    "around": "around",
    "close to": "close to",
    "on the outskirts of": "outskirts",
    "outskirts of": "outskirts",
    "outskirts": "outskirts",
    "in the vicinity of": "vicinity",
    "vicinity of": "vicinity",
    "vicinity": "vicinity",
    "surrounding area": "vicinity",
    "surrounding areas": "vicinity",
    "area": "vicinity",
}
#: A claim text that starts with its own relation word ("near Donetsk", "outside X").
_RELATION_WORD = re.compile(
    r"\s*(?:near|nearby|close|not far|next|adjacent|outside|around|on the|in the|"
    r"the outskirts|outskirts|vicinity|along|between|within|inside|at|in)\b",
    re.I,
)
_SCRIPT_CYR = re.compile(r"[\u0400-\u04ff]")
_SCRIPT_LAT = re.compile(r"[A-Za-z]")
#: Adjectival endings of region names in Russian and Ukrainian ("Ростовской области").
_ADJ_END = re.compile(r"(?:ск|цк|зк|ськ|цьк|зьк)(?:ая|ой|ий|ый|ої|ій|а|ого|ому|ом|ую|у)$", re.I)


def level_of(claim: Claim, text: str) -> Level:
    """The level a single claim names: its target and the kinds its designator allows."""
    hint = claim.feature_hint
    name = claim.target or claim.text
    kinds = D.kinds_of(hint)
    designator = hint
    if claim.kind == ClaimKind.WITHIN and claim.countries and kinds and kinds[0] in (K.FACILITY, K.AIRPORT):
        # "on a Russian military base": within Russia; the facility word says what, not where
        kinds, designator = (), None
    if kinds and hint and name.lower().endswith(" " + hint.lower()):
        name = name[: -len(hint)].rstrip()  # "Starobeshivskiy district" -> "Starobeshivskiy"
    if not kinds:
        # the designator may be inside the target ("Kursk Oblast", "Donetsk region")
        words = name.split()
        for n in range(min(D.MAX_WORDS, len(words) - 1), 0, -1):
            tail = " ".join(words[-n:])
            ks = D.kinds_of(tail) if D.normalise(tail) in D.DESIGNATORS else ()
            if ks:
                kinds, designator, name = ks, tail, " ".join(words[:-n])
                break
    if not kinds:
        if claim.kind == ClaimKind.BORDER:
            kinds = (K.BORDER,)
        elif claim.kind == ClaimKind.WITHIN and claim.countries:
            kinds = (K.COUNTRY, K.ADMIN1)
        else:
            kinds = (K.UNKNOWN,)
    start, end = _target_span(claim, text)
    return Level(
        text=text[start:end] if 0 <= start < end <= len(text) else (claim.target or claim.text),
        start=start,
        end=end,
        name=name.strip(),
        kinds=tuple(kinds),
        designator=designator,
    )


def _target_span(claim: Claim, text: str) -> tuple[int, int]:
    """Where the target (with its designator) lies inside the claim's span."""
    if not text or not (0 <= claim.start < claim.end <= len(text)):
        return claim.start, claim.end
    seg = text[claim.start : claim.end]
    target = claim.target or ""
    i = seg.rfind(target) if target else -1
    if i < 0:
        return claim.start, claim.end
    start = claim.start + i
    end = start + len(target)
    hint = claim.feature_hint
    if hint:
        rest = text[end : claim.end]
        j = rest.lower().find(hint.lower())
        if j >= 0 and not rest[:j].strip(" ,"):
            end += j + len(hint)
    return start, end


def _found(name: str, lookup) -> list:
    """The gazetteer's candidates for ``name``, best first; [] without a gazetteer or when it
    cannot answer (a name it cannot answer is no qualifier, town or region)."""
    if lookup is None:
        return []
    try:
        return list(lookup(name) or [])
    except Exception:  # noqa: BLE001 - any failure of the lookup means "not known"
        return []


def _exact(p) -> bool:
    """Was the candidate matched exactly (folded), not by skeleton or typo?"""
    return (getattr(p, "extra", None) or {}).get("match") == "fold"


def _region_like(name: str, lookup) -> tuple[PlaceKind, ...]:
    """What a bare name after a comma can be as a qualifier: a country or first-level
    region (``Rechytsa, Gomel, Belarus``), a region named after a large city
    (``Shakhtyorsk, Donetsk``), or a district or area named after a town (``Beboura,
    Paoua``). ``()`` when the gazetteer knows no such name."""
    kinds: tuple[PlaceKind, ...] = ()
    for p in _found(name, lookup)[:5]:
        extra = getattr(p, "extra", None) or {}
        if extra.get("match") not in (None, "fold"):
            continue
        if p.kind in ("country", "admin1", "region") or (
            p.kind == "place" and (p.population or 0) >= REGION_NAMING_CITY
        ):
            return (K.ADMIN1, K.ADMIN2, K.COUNTRY)
        if p.kind == "place" and not kinds:
            kinds = (K.ADMIN2, K.AREA)
    return kinds


_STREET_BEFORE = re.compile(r"\b(?:vul|ul|str|prosp|вул|ул|пр|просп)\.?\s*$", re.I)
_STREET_AFTER = re.compile(
    r"^\s*(?:street|st\.|avenue|ave\.?|boulevard|blvd|prospekt|prospect|lane|road\b(?!\s+(?:to|from)))", re.I
)


#: A road's two ends before "road": "Bria - Ippy road", "Bouar-Yéléwa road" (a road between two places,
#: not a street named after one).
_ROAD_ENDS_BEFORE = re.compile(r"\w[\w'’.]*\s*[-–—]\s*$")
_TWO_ENDS = re.compile(r"\w\s*[-–—]\s*[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ]")


def _is_street(c: Claim, text: str) -> bool:
    """``on vul. Taganrog``, ``Festivalnaya Street``: a street named after a place is not the place
    (but ``the Bria - Ippy road`` is a road between two places)."""
    if not text or c.kind not in (ClaimKind.PLACE, ClaimKind.NEAR, ClaimKind.WITHIN):
        return False
    if bool(_STREET_BEFORE.search(text[max(0, c.start - 8) : c.start])):
        return True
    if c.kind != ClaimKind.PLACE or not _STREET_AFTER.match(text[c.end : c.end + 12]):
        return False
    road = re.match(r"\s*road\b", text[c.end : c.end + 12], re.I) is not None
    ends = _ROAD_ENDS_BEFORE.search(text[max(0, c.start - 40) : c.start]) or _TWO_ENDS.search(c.text or "")
    return not (road and ends)


def _is_known(name: str, lookup) -> bool:
    """Does the gazetteer know ``name`` exactly (as any kind)?"""
    return any(_exact(p) for p in _found(name, lookup)[:3])


def _is_town(name: str, lookup) -> bool:
    """Does the gazetteer know ``name`` as a populated place (not a country or region)?"""
    found = _found(name, lookup)
    return bool(found) and found[0].kind == "place" and _exact(found[0])


def _qualifier(claim: Claim, level: Level, gap: str, head: Claim, lookup=None) -> Level | None:
    """``level`` as a qualifier of the phrase so far, or None when it is not one."""
    if claim.kind not in (ClaimKind.PLACE, ClaimKind.WITHIN, ClaimKind.NEAR):
        return None
    if (
        claim.kind == ClaimKind.NEAR
        and _RELATION_WORD.match(claim.text)
        and not (head.kind == ClaimKind.PLACE and "," in gap)
    ):
        return None
    if claim.direction:
        return None  # "situated in eastern Russia": a claim about a part of the region, of its own
    if claim.kind == ClaimKind.NEAR and head.kind == ClaimKind.PLACE and "," in gap:
        # "Kyrylivka, not far from Vuhledar": which Kyrylivka (the one near a town)
        if _is_town(level.name, lookup):
            return replace(level, kinds=(K.AREA,), designator=claim.qualifier or "near")
        return None
    m = _GAP_DESIGNATOR.search(gap)
    if m and level.kinds == (K.UNKNOWN,):
        kinds = D.kinds_of(m.group(1))
        if kinds:
            return replace(level, kinds=kinds, designator=m.group(1))
    if D.is_admin(level.kinds) or level.kind is K.COUNTRY:
        return level
    if level.kinds == (K.AREA,) or level.kind in (K.ADMIN1, K.ADMIN2, K.ADMIN3):
        return level
    if level.kind is K.UNKNOWN and "," in gap and head.kind != ClaimKind.WITHIN:
        # "Shakhtyorsk, Donetsk", "Rechytsa, Gomel, Belarus": a region named like its city;
        # "Beboura, Paoua": the district or area of a town. Read as a qualifier; the
        # checker falls back to two places when the first lies outside the second.
        kinds = _region_like(level.name, lookup)
        if kinds:
            return replace(level, kinds=kinds)
    if level.kind is K.UNKNOWN and gap.strip() == "(" and head.kind != ClaimKind.WITHIN:
        # "Makiivka (Luhansk)", "Gbiti (Cameroun)": a region or country in parentheses after the place
        # (only those: "Bangui (Galabadja)" names a part of the town)
        kinds = _region_like(level.name, lookup)
        if K.COUNTRY in kinds:
            return replace(level, kinds=kinds)
    return None


def _is_list(claims: list[Claim], i: int, text: str) -> bool:
    """``Frunze, Zhelobok, Prishib and Lozovoye``: names in a list, not a hierarchy (a run
    of comma-separated claims ending in "and"/"or" + another name)."""
    j = i
    while j + 1 < len(claims):
        gap = text[claims[j].end : claims[j + 1].start]
        if re.fullmatch(r"\s*(?:,\s*)?(?:and|or|&|і|и|та)\s+", gap, re.I):
            return True
        if gap.strip() != ",":
            return False
        j += 1
    return False


def _alias(prev: Claim, claim: Claim, gap: str, text: str) -> bool:
    """``claim`` is ``prev`` written again (another script in parentheses, a gloss in square
    brackets, or after a slash)."""
    if claim.kind not in (ClaimKind.PLACE, ClaimKind.WITHIN):
        return False
    g = gap.strip()
    if g == "/":
        return True
    if g == "[" and text[claim.end : claim.end + 1] == "]":
        # "Verkhnietoretske [Upper Toretske]": square brackets after a name hold an editor's gloss of it
        return True
    if g == "(" and text[claim.end : claim.end + 1] == ")":
        a, b = prev.target or "", claim.target or ""
        return bool(_SCRIPT_CYR.search(a)) != bool(_SCRIPT_CYR.search(b)) and bool(_SCRIPT_LAT.search(a)) != bool(
            _SCRIPT_LAT.search(b)
        )
    return False


def split_cyrillic_region(level: Level) -> tuple[Level, Level] | None:
    """``Новошахтинск Ростовской области`` read as one name: the town and the region."""
    words = level.name.split()
    if len(words) < 2 or not D.is_admin(level.kinds) or not _ADJ_END.search(words[-1]):
        return None
    town = " ".join(words[:-1])
    region_name = words[-1]
    t_end = level.start + len(town)
    town_level = Level(text=town, start=level.start, end=t_end, name=town, kinds=(K.SETTLEMENT,), designator=None)
    r_start = level.start + level.text.find(region_name) if region_name in level.text else t_end + 1
    region = Level(
        text=level.text[r_start - level.start :],
        start=r_start,
        end=level.end,
        name=region_name,
        kinds=level.kinds,
        designator=level.designator,
    )
    return town_level, region


_SETTLEMENT_WORDS = ("town", "village", "city", "settlement", "smt", "township")


def _is_first_level(name: str, lookup) -> bool:
    """Does the gazetteer know ``name`` exactly as a first-level region?"""
    return any(
        p.kind == "admin1" and (getattr(p, "extra", None) or {}).get("match") in (None, "fold")
        for p in _found(name, lookup)[:5]
    )


def split_trailing_region(level: Level, lookup) -> tuple[Level, Level] | None:
    """``Kremennaya Luhansk region``, ``Novoazovsk Town Donetsk region``: a place and its region
    written without a comma, read as one name; split where the last words name a first-level
    region the gazetteer knows."""
    words = level.name.split()
    if len(words) < 2 or not D.is_admin(level.kinds) or K.ADMIN1 not in level.kinds:
        return None
    if _is_known(level.name, lookup):
        return None  # "Stanytsia Luhanska region": the whole name is a place (its district)
    for n in (2, 1):
        if len(words) <= n or words[-n].lower() in _SETTLEMENT_WORDS:
            continue
        if not _is_first_level(" ".join(words[-n:]), lookup):
            continue
        lead = words[:-n]
        designator = None
        if len(lead) > 1 and lead[-1].lower() in _SETTLEMENT_WORDS:
            designator = lead[-1].lower()
            lead = lead[:-1]
        town = " ".join(lead)
        i = level.text.find(town)
        t_start = level.start + max(i, 0)
        t_text = level.text[max(i, 0) : max(i, 0) + len(town) + (len(designator) + 1 if designator else 0)]
        kinds = D.kinds_of(designator) if designator else ()
        town_level = Level(
            text=t_text,
            start=t_start,
            end=t_start + len(t_text),
            name=town,
            kinds=tuple(kinds) or (K.UNKNOWN,),
            designator=designator,
        )
        region_name = " ".join(words[-n:])
        j = level.text.find(region_name)
        r_start = level.start + j if j >= 0 else town_level.end + 1
        region = Level(
            text=level.text[r_start - level.start :],
            start=r_start,
            end=level.end,
            name=region_name,
            kinds=level.kinds,
            designator=level.designator,
        )
        return town_level, region
    return None


_CITY_PART_OF = re.compile(
    r"^(?P<part>.+?\s+(?:district|suburb|neighbou?rhood|microdistrict|quarter|raion))\s+of\s+(?:the\s+)?"
    r"(?:city\s+of\s+)?(?P<city>[^\W\d_][\w' -]*)$",
    re.I,
)


def split_city_part(level: Level, lookup) -> tuple[Level, Level] | None:
    """``Industrial District of Kharkiv``, read as one name: a part of a city, inside the city
    (judged as the city: the index has no city districts)."""
    m = _CITY_PART_OF.match(level.text)
    if not m or not _is_town(m.group("city").strip(), lookup):
        return None
    part_text = m.group("part")
    part = Level(
        text=part_text,
        start=level.start,
        end=level.start + len(part_text),
        name=part_text.rsplit(" ", 1)[0],
        kinds=(K.CITY_PART,),
        designator=part_text.rsplit(" ", 1)[1].lower(),
    )
    city_name = m.group("city").strip()
    c_start = level.start + m.start("city")
    city = Level(text=city_name, start=c_start, end=c_start + len(city_name), name=city_name, kinds=(K.SETTLEMENT,))
    return part, city


#: A city this large can give its name to its region ("Shakhtyorsk, Donetsk").
REGION_NAMING_CITY = 50_000


def assemble(claims: list[Claim], text: str, lookup=None) -> list[Claim]:
    """Join the claims of one location phrase (see the module docstring); every returned
    claim has its ``chain``. Claims come and go in text order."""
    claims = [c for c in claims if not _is_street(c, text)]
    out: list[Claim] = []
    i = 0
    n = len(claims)
    while i < n:
        head = claims[i]
        levels = [level_of(head, text)]
        split = (
            split_cyrillic_region(levels[0])
            or split_trailing_region(levels[0], lookup)
            or split_city_part(levels[0], lookup)
        )
        if split and head.kind in (ClaimKind.PLACE, ClaimKind.WITHIN, ClaimKind.NEAR):
            levels = list(split)
            if head.kind != ClaimKind.NEAR:
                head.kind = ClaimKind.PLACE
            head.target = split[0].name
            head.feature_hint = split[0].designator
        end = head.end
        j = i + 1
        if head.kind not in (ClaimKind.BORDER, ClaimKind.BETWEEN) and not _is_list(claims, i, text):
            while j < n:
                nxt = claims[j]
                gap = text[end : nxt.start] if 0 <= end <= nxt.start else "\x00"
                if _alias(claims[j - 1], nxt, gap, text):
                    if len(levels) == 1 and levels[0].kinds == (K.UNKNOWN,):
                        alias = level_of(nxt, text)
                        if alias.kinds != (K.UNKNOWN,):
                            levels[0] = replace(levels[0], kinds=alias.kinds, designator=alias.designator)
                    end = nxt.end
                    j += 1
                    continue
                if ")" in gap and text.count("(", 0, head.start) > text.count(")", 0, head.start):
                    break  # the parenthesis holding the head closes: the phrase ends
                city_part = _CITY_PART_GAP.fullmatch(gap) and levels[-1].kind in (K.ADMIN2, K.ADMIN3, K.CITY_PART)
                town = level_of(nxt, text) if city_part else None
                if town is not None and town.designator and levels[-1].designator == town.designator:
                    # "Kholodnogorsk district of Kharkov": the grammar gave "Kharkov" the designator
                    # that precedes "of", which is the district's own
                    town = level_of(replace(nxt, feature_hint=None), text)
                if (
                    town is not None
                    and nxt.kind in (ClaimKind.PLACE, ClaimKind.WITHIN)
                    and town.kind in (K.UNKNOWN, K.SETTLEMENT)
                    and _is_town(town.name, lookup)
                ):
                    # "Petrovsky district/suburb of Donetsk", "Kuybyshevsky district [of Donetsk]": a
                    # district of a city, inside the city
                    levels[-1] = replace(levels[-1], kinds=(K.CITY_PART,) + levels[-1].kinds)
                    levels.append(replace(town, kinds=(K.SETTLEMENT,)))
                    end = nxt.end
                    j += 1
                    continue
                if not _GAP.fullmatch(gap) and not _GAP_DESIGNATOR.search(gap):
                    break
                if not _GAP.fullmatch(_GAP_DESIGNATOR.sub("", gap)):
                    break
                q = _qualifier(nxt, level_of(nxt, text), gap, head, lookup)
                if q is None:
                    break
                levels.append(q)
                if nxt.countries:  # "Sergeevka, Russia": the phrase names its country
                    head.countries = tuple(dict.fromkeys(head.countries + nxt.countries))
                end = nxt.end
                j += 1
        _relation_in_parenthesis(head, text)
        if j > i + 1:
            close = text.find(")", end, end + 2)
            head.end = (
                end + 1 if close == end and text.count("(", head.start, end) > text.count(")", head.start, end) else end
            )
            head.text = text[head.start : head.end]
        levels = _possessive_owners(levels, text, lookup)
        if text and re.search(
            r"\b(?:river|the river|lake|mount|height|hill|річка|река)\s+$",
            text[max(0, levels[0].start - 12) : levels[0].start],
            re.I,
        ):
            levels[0] = replace(levels[0], kinds=(K.NATURAL,))  # "on the river Mius": not the village Mius
        head.chain = tuple(levels)
        out.append(head)
        i = j
    return _lists(_roads(_between(_anchored(out, text), text, lookup), text), text)


#: Between two items of a list of places: a comma, "and", "or", a semicolon.
_LIST_GAP = re.compile(
    r"\s*(?:,|;|/|\n|\band\b|\bor\b|&|,\s*and\b|,\s*or\b|\bі\b|\bи\b|\bта\b)\s*"
    r"(?:\d+\s+in\s+)?(?:the\s+)?(?:(?:[\w-]+\s+){0,2}?(?:town|village|city|settlement)s?\s+of\s+)?",
    re.I,
)
_LISTABLE = (ClaimKind.PLACE, ClaimKind.NEAR, ClaimKind.WITHIN)
#: "between A and B", "the road from A to B", "A - B road", "route A - B".
_BETWEEN_BEFORE = re.compile(
    r"\bbetween\s+(?:the\s+)?(?:(?:villages?|towns?|settlements?|cities)\s+(?:of\s+)?)?$", re.I
)
_ROAD_BEFORE = re.compile(
    r"\b(?:road|highway|route|track|axis|axe)\s+(?:from|between)\s+$|\broute\s+$|"
    r"\b(?:axis|axe)\s+$|\b(?:road|highway)\s+(?:from\s+)?$",
    re.I,
)
_DASH_GAP = re.compile(r"\s*(?:-|–|—|to|and)\s*$|^\s*(?:-|–|—|to|and)\s*", re.I)
_ROAD_AFTER = re.compile(r"^\s*(?:road|highway|route|motorway|axis|track)\b", re.I)


def _between(claims: list[Claim], text: str, lookup=None) -> list[Claim]:
    """``between A and B`` and road phrases: one ``between`` claim with two anchors; a name
    written with a spaced dash that the gazetteer knows whole (``Orlovo - Ivanivka``) is one
    place."""
    if not text or len(claims) < 2:
        return claims
    out: list[Claim] = []
    k = 0
    while k < len(claims):
        a = claims[k]
        b = claims[k + 1] if k + 1 < len(claims) else None
        if (
            b is not None
            and a.kind in _LISTABLE
            and b.kind == ClaimKind.PLACE
            and re.fullmatch(r"\s+[-–—]\s+", text[a.end : b.start])
            and not _ROAD_AFTER.match(text[b.end : b.end + 20])
            and a.target
            and b.target
            and _is_known(f"{a.target}-{b.target}", lookup)
        ):
            joined = f"{a.target}-{b.target}"
            lv = Level(
                text=text[a.chain[0].start if a.chain else a.start : b.end],
                start=a.start,
                end=b.end,
                name=joined,
                kinds=a.chain[0].kinds if a.chain else (K.UNKNOWN,),
                designator=a.chain[0].designator if a.chain else None,
            )
            out.append(
                replace(
                    a,
                    end=b.end,
                    text=text[a.start : b.end],
                    target=joined,
                    chain=(lv,) + tuple(a.chain[1:]) + tuple(b.chain[1:]),
                )
            )
            k += 2
            continue
        if b is not None and a.kind in _LISTABLE and b.kind in _LISTABLE:
            gap = text[a.end : b.start]
            before = text[max(0, a.start - 40) : a.start]
            after = text[b.end : b.end + 20]
            road = False
            if _BETWEEN_BEFORE.search(before) and re.fullmatch(r"\s*(?:and|&|и|і|та)\s*", gap, re.I):
                road = False
            elif (
                re.fullmatch(r"\s*(?:-|–|—)\s*", gap) and (_ROAD_AFTER.match(after) or _ROAD_BEFORE.search(before))
            ) or (re.fullmatch(r"\s*(?:to|and|-|–|—)\s*", gap, re.I) and _ROAD_BEFORE.search(before)):
                road = True
            else:
                out.append(a)
                k += 1
                continue
            start = a.start
            m = (_ROAD_BEFORE if road else _BETWEEN_BEFORE).search(before)
            if m:
                start = a.start - (len(before) - m.start())
            end = b.end
            m2 = _ROAD_AFTER.match(after) if road else None
            if m2:
                end = b.end + m2.end()
            merged = replace(
                a,
                kind=ClaimKind.BETWEEN,
                start=start,
                end=end,
                text=text[start:end],
                target=f"{a.target} – {b.target}",
                feature_hint="road" if road else None,
                anchors=(a.target, b.target),
                chain=(a.chain[0], b.chain[0]) if a.chain and b.chain else a.chain,
                qualifier="road" if road else "between",
            )
            out.append(merged)
            k += 2
            continue
        out.append(a)
        k += 1
    return out


_ROAD_WORDS = frozenset({"axis", "axe", "road", "route", "highway", "motorway", "corridor", "track"})
_DASH_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*")
#: "on the road to Ouadda", "road from Zemio to Obo", "on the road between A and B".
_ROAD_TO = re.compile(
    r"\b(?:" + "|".join(lx.ROAD_TO_NOUNS) + r")\s+(?:from\s+(?P<a>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?)\s+)?"
    r"to(?:wards?)?\s+$",
    re.U,
)
#: "PK 13", "Pk 15 of Nzako": a kilometre post, N km from a town along a road.
_PK = re.compile(r"\b[Pp][Kk]\s?(?P<n>\d{1,3})\b(?:\s+(?:of|de|from)\s+(?P<of>[A-Z][\w'’-]+))?")


def _roads(claims: list[Claim], text: str) -> list[Claim]:
    """Roads and axes: ``the Obo-Bambouti axis``, ``Obo - Djemah road``, ``13 km from Bria on
    the Ouadda axis`` (the road from Bria to Ouadda), ``on the road to Ouadda`` (from the
    place before it), ``PK 13`` (13 km along a road from the town named with it): each a
    ``between`` claim on the line between the road's ends, or a distance from the town."""
    if not text:
        return claims
    out: list[Claim] = []
    for c in claims:
        prev = out[-1] if out else None
        lvl = c.chain[0] if c.chain else None
        designator = (lvl.designator or "").lower().split()[-1:] if lvl is not None else []
        if (
            lvl is not None
            and c.kind in (ClaimKind.PLACE, ClaimKind.NEAR, ClaimKind.WITHIN)
            and lvl.kind in (K.FRONT, K.ROAD)
            and designator
            and designator[0] in _ROAD_WORDS
        ):
            ends = [e.strip() for e in _DASH_SPLIT.split(lvl.name) if e.strip()]
            if (
                len(ends) < 2
                and "-" not in lvl.name
                and prev is not None
                and prev.target
                and 0 <= c.start - prev.end <= 40
                and prev.kind != ClaimKind.BETWEEN
            ):
                ends = [prev.target, lvl.name]  # "13 km from Bria on the Ouadda axis"
            if len(ends) >= 2 or "-" in lvl.name:
                out.append(
                    replace(
                        c,
                        kind=ClaimKind.BETWEEN,
                        anchors=tuple(ends[:2]) if len(ends) >= 2 else (lvl.name,),
                        qualifier="road",
                        feature_hint="road",
                    )
                )
                continue
        m = _ROAD_TO.search(text[max(0, c.start - 60) : c.start])
        if m and c.kind == ClaimKind.PLACE and c.target:
            start = c.start - (min(60, c.start) - m.start())
            origin = m.group("a") or (
                prev.target if prev is not None and prev.target and 0 <= start - prev.end <= 40 else None
            )
            if origin:
                out.append(
                    replace(
                        c,
                        kind=ClaimKind.BETWEEN,
                        anchors=(origin, c.target),
                        qualifier="road",
                        feature_hint="road",
                        start=start,
                        text=text[start : c.end],
                    )
                )
                continue
        out.append(c)
    posts = _kilometre_posts(out, text)
    if posts:
        spans = [(p.start, p.end) for p in posts]
        anchors = {p.target for p in posts}
        out = [
            c
            for c in out
            if not any(a <= c.start < b for a, b in spans)  # "Pk" itself
            and not (c.kind == ClaimKind.PLACE and c.target in anchors and len(c.chain) <= 1)
        ]
    return sorted(out + posts, key=lambda c: c.start)


def _kilometre_posts(claims: list[Claim], text: str) -> list[Claim]:
    """``PK 13`` next to a town (``Bangui PK13``, ``PK5 Bangui``, ``Pk 15 of Nzako``): about N km
    from it, along a road."""
    out: list[Claim] = []
    for m in _PK.finditer(text):
        n = int(m.group("n"))
        anchor = m.group("of")
        if not anchor:
            near = [
                c
                for c in claims
                if c.target
                and c.kind == ClaimKind.PLACE
                and (0 <= m.start() - c.end <= 25 or 0 <= c.start - m.end() <= 25)
            ]
            anchor = near[0].target if near else None
        if not anchor or n == 0:
            continue
        out.append(
            Claim(
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                kind=ClaimKind.DISTANCE,
                target=anchor,
                distance_km=float(n),
                distance_text=m.group(0),
                qualifier="about",
                chain=(Level(text=anchor, start=m.start(), end=m.end(), name=anchor),),
            )
        )
    return out


def _lists(claims: list[Claim], text: str) -> list[Claim]:
    """``near Donetsk, Debaltseve, Horlivka and Mariupol``, ``A; B``: places listed as
    alternatives (or several places of one report) are one claim that holds when any of
    them does (``alternatives``)."""
    if not text or len(claims) < 2:
        return claims
    out: list[Claim] = []
    k = 0
    while k < len(claims):
        group = [claims[k]]
        while k + len(group) < len(claims):
            prev, nxt = group[-1], claims[k + len(group)]
            if prev.kind not in _LISTABLE or nxt.kind not in _LISTABLE:
                break
            if prev.location_index is not None or nxt.location_index is not None:
                break
            gap = text[prev.end : nxt.start] if 0 <= prev.end <= nxt.start else "\x00"
            if not _LIST_GAP.fullmatch(gap):
                break
            own = _RELATION_WORD.match(nxt.text)
            first = _RELATION_WORD.match(group[0].text)
            if own and not (first and own.group(0).strip().lower() == first.group(0).strip().lower()):
                break  # "X, near Y": a claim of its own, not the next item of a list
            group.append(nxt)
        if len(group) == 1:
            out.append(group[0])
            k += 1
            continue
        head = group[0]
        merged = replace(
            head, start=head.start, end=group[-1].end, text=text[head.start : group[-1].end], alternatives=tuple(group)
        )
        out.append(merged)
        k += len(group)
    return out


_POSSESSIVE = re.compile(r"([A-ZА-ЯІЇЄ][\w'’-]+)[’']s\s+$")


def _possessive_owners(levels: list[Level], text: str, lookup) -> list[Level]:
    """``Donetsk’s Petrovsky district``: the owner of a district is the city it is part of."""
    out: list[Level] = []
    for lv in levels:
        out.append(lv)
        if lv.kind not in (K.ADMIN2, K.ADMIN3, K.CITY_PART) or not text or lv.start <= 0:
            continue
        m = _POSSESSIVE.search(text[max(0, lv.start - 40) : lv.start])
        if m and _is_town(m.group(1), lookup):
            out[-1] = replace(lv, kinds=(K.CITY_PART,) + tuple(k for k in lv.kinds if k is not K.CITY_PART))
            start = lv.start - (len(text[max(0, lv.start - 40) : lv.start]) - m.start(1))
            out.append(
                Level(text=m.group(1), start=start, end=start + len(m.group(1)), name=m.group(1), kinds=(K.SETTLEMENT,))
            )
    return out


def _relation_in_parenthesis(head: Claim, text: str) -> None:
    """``Kitesa (near, on the road ...)`` is near Kitesa."""
    if head.kind != ClaimKind.PLACE or not text:
        return
    m = _PAREN_RELATION.match(text, head.end)
    if m:
        head.kind = ClaimKind.NEAR
        head.qualifier = _NEAR_WORDS.get(m.group(1).lower(), "near")


def _anchored(claims: list[Claim], text: str) -> list[Claim]:
    """Drop a place claim whose own phrase goes on to say the event was *away* from it
    (``Obo town (12 km north of Obo)``, ``Kaga Bandoro town (10 kilometers from)``): the
    place is the anchor of the relational claim in the parenthesis that follows it, not
    the event's place."""
    return [
        c
        for k, c in enumerate(claims)
        if not (c.kind == ClaimKind.PLACE and text and _anchor_of_later(c, claims[k + 1 : k + 4], text))
    ]


def _anchor_of_later(c: Claim, later: list[Claim], text: str) -> bool:
    for x in later:
        gap = text[c.end : x.start] if 0 <= c.end <= x.start else ""
        relational = x.kind in (ClaimKind.DISTANCE, ClaimKind.DIRECTION) and _same_name(c.target, x.target)
        if relational and not gap.strip() and (x.target or "") not in x.text:
            return True  # "Batangafo 10 km from": the distance is from the name before it
        if "(" not in gap or ")" in gap:
            return False
        if relational:
            return True
    return False


def _same_name(a: str | None, b: str | None) -> bool:
    from geoverify.claims import lexicon as lx

    return bool(a and b) and lx.fold(a) == lx.fold(b)


__all__ = ["assemble", "level_of", "split_cyrillic_region"]
