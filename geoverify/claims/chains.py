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
  Donetsk``: the region with a city's name).
- A name in another script in parentheses right after the head (``Novolyubivka
  (Новолюбівка)``) and a name after a slash (``Gorlovka/Horlivka``) are the same place
  written twice: one level with both spellings kept in the text.
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
from geoverify.model import Claim, ClaimKind, Level, PlaceKind

K = PlaceKind

#: Text allowed between a claim and its qualifier.
_GAP = re.compile(r"[\s,;:()\[\]]*(?:(?:in|of|in the|within|located in|of the)\s+)?[\s,;:()\[\]]*", re.I)
#: Designators written in the gap before a qualifier ("village, city council Makiyivka").
_GAP_DESIGNATOR = re.compile(
    r"[\s,;:(]*(city council|town council|village council|district|raion|rayon|region|oblast|"
    r"province|prefecture|sub-prefecture|county|commune|municipality|hromada|р-н|р\.|обл\.?)\s*$", re.I)
#: A relation word opening a parenthesis after a name.
_PAREN_RELATION = re.compile(
    r"\s*\(\s*(near|nearby|outside|around|close to|on the outskirts of|outskirts of|outskirts|"
    r"in the vicinity of|vicinity of|vicinity|surrounding areas?|area)\b", re.I)
_NEAR_WORDS = {"near": "near", "nearby": "near", "outside": "outside", "around": "around",
               "close to": "close to", "on the outskirts of": "outskirts", "outskirts of": "outskirts",
               "outskirts": "outskirts", "in the vicinity of": "vicinity", "vicinity of": "vicinity",
               "vicinity": "vicinity", "surrounding area": "vicinity", "surrounding areas": "vicinity",
               "area": "vicinity"}
#: A claim text that starts with its own relation word ("near Donetsk", "outside X").
_RELATION_WORD = re.compile(r"\s*(?:near|nearby|close|not far|next|adjacent|outside|around|on the|in the|"
                            r"the outskirts|outskirts|vicinity|along|between|within|inside|at|in)\b", re.I)
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
    if kinds and hint and name.lower().endswith(" " + hint.lower()):
        name = name[:-len(hint)].rstrip()       # "Starobeshivskiy district" -> "Starobeshivskiy"
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
    return Level(text=text[start:end] if 0 <= start < end <= len(text) else (claim.target or claim.text),
                 start=start, end=end, name=name.strip(), kinds=tuple(kinds), designator=designator)


def _target_span(claim: Claim, text: str) -> tuple[int, int]:
    """Where the target (with its designator) lies inside the claim's span."""
    if not text or not (0 <= claim.start < claim.end <= len(text)):
        return claim.start, claim.end
    seg = text[claim.start:claim.end]
    target = claim.target or ""
    i = seg.rfind(target) if target else -1
    if i < 0:
        return claim.start, claim.end
    start = claim.start + i
    end = start + len(target)
    hint = claim.feature_hint
    if hint:
        rest = text[end:claim.end]
        j = rest.lower().find(hint.lower())
        if j >= 0 and not rest[:j].strip(" ,"):
            end += j + len(hint)
    return start, end


def _qualifier(claim: Claim, level: Level, gap: str, head: Claim) -> Level | None:
    """``level`` as a qualifier of the phrase so far, or None when it is not one."""
    if claim.kind not in (ClaimKind.PLACE, ClaimKind.WITHIN) and not (
            claim.kind == ClaimKind.NEAR and not _RELATION_WORD.match(claim.text)):
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
    if level.kind is K.UNKNOWN and "," in gap:
        # "Shakhtyorsk, Donetsk", "Rechytsa, Gomel, Belarus": a region named like its city
        return replace(level, kinds=(K.ADMIN1, K.ADMIN2, K.COUNTRY))
    return None


def _alias(prev: Claim, claim: Claim, gap: str, text: str) -> bool:
    """``claim`` is ``prev`` written again (another script in parentheses, or after a slash)."""
    if claim.kind not in (ClaimKind.PLACE, ClaimKind.WITHIN):
        return False
    g = gap.strip()
    if g == "/":
        return True
    if g == "(" and text[claim.end:claim.end + 1] == ")":
        a, b = prev.target or "", claim.target or ""
        return bool(_SCRIPT_CYR.search(a)) != bool(_SCRIPT_CYR.search(b)) and \
            bool(_SCRIPT_LAT.search(a)) != bool(_SCRIPT_LAT.search(b))
    return False


def split_cyrillic_region(level: Level) -> tuple[Level, Level] | None:
    """``Новошахтинск Ростовской области`` read as one name: the town and the region."""
    words = level.name.split()
    if len(words) < 2 or not D.is_admin(level.kinds) or not _ADJ_END.search(words[-1]):
        return None
    town = " ".join(words[:-1])
    region_name = words[-1]
    t_end = level.start + len(town)
    town_level = Level(text=town, start=level.start, end=t_end, name=town, kinds=(K.SETTLEMENT,),
                       designator=None)
    r_start = level.start + level.text.find(region_name) if region_name in level.text else t_end + 1
    region = Level(text=level.text[r_start - level.start:], start=r_start, end=level.end,
                   name=region_name, kinds=level.kinds, designator=level.designator)
    return town_level, region


def assemble(claims: list[Claim], text: str) -> list[Claim]:
    """Join the claims of one location phrase (see the module docstring); every returned
    claim has its ``chain``. Claims come and go in text order."""
    out: list[Claim] = []
    i = 0
    n = len(claims)
    while i < n:
        head = claims[i]
        levels = [level_of(head, text)]
        split = split_cyrillic_region(levels[0])
        if split and head.kind in (ClaimKind.PLACE, ClaimKind.WITHIN):
            levels = list(split)
            head.kind = ClaimKind.PLACE
            head.target = split[0].name
            head.feature_hint = None
        end = head.end
        j = i + 1
        if head.kind not in (ClaimKind.BORDER, ClaimKind.BETWEEN):
            while j < n:
                nxt = claims[j]
                gap = text[end:nxt.start] if 0 <= end <= nxt.start else "\x00"
                if _alias(claims[j - 1], nxt, gap, text):
                    if len(levels) == 1 and levels[0].kinds == (K.UNKNOWN,):
                        alias = level_of(nxt, text)
                        if alias.kinds != (K.UNKNOWN,):
                            levels[0] = replace(levels[0], kinds=alias.kinds, designator=alias.designator)
                    end = nxt.end
                    j += 1
                    continue
                if ")" in gap and text.count("(", 0, head.start) > text.count(")", 0, head.start):
                    break       # the parenthesis holding the head closes: the phrase ends
                if not _GAP.fullmatch(gap) and not _GAP_DESIGNATOR.search(gap):
                    break
                if not _GAP.fullmatch(_GAP_DESIGNATOR.sub("", gap)):
                    break
                q = _qualifier(nxt, level_of(nxt, text), gap, head)
                if q is None:
                    break
                levels.append(q)
                end = nxt.end
                j += 1
        _relation_in_parenthesis(head, text)
        if j > i + 1:
            close = text.find(")", end, end + 2)
            head.end = end + 1 if close == end and text.count("(", head.start, end) > \
                text.count(")", head.start, end) else end
            head.text = text[head.start:head.end]
        head.chain = tuple(levels)
        out.append(head)
        i = j
    return _anchored(out, text)


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
    return [c for k, c in enumerate(claims)
            if not (c.kind == ClaimKind.PLACE and text and _anchor_of_later(c, claims[k + 1:k + 4], text))]


def _anchor_of_later(c: Claim, later: list[Claim], text: str) -> bool:
    for x in later:
        gap = text[c.end:x.start] if 0 <= c.end <= x.start else ""
        if "(" not in gap or ")" in gap:
            return False
        if x.kind in (ClaimKind.DISTANCE, ClaimKind.DIRECTION) and _same_name(c.target, x.target):
            return True
    return False


def _same_name(a: str | None, b: str | None) -> bool:
    from geoverify.claims import lexicon as lx

    return bool(a and b) and lx.fold(a) == lx.fold(b)


__all__ = ["assemble", "level_of", "split_cyrillic_region"]
