"""Location claims and place mentions in news prose.

A *claim* is a statement about where the **subject** is: the footage, the event,
the site, the place of the coordinates ("filmed in the Sergeevsky military camp",
"situated near Russia's border with China", "40 km north of Bria"). A *mention*
is a place named in passing: a nationality ("North Korean troops"), a government
by its capital ("Moscow plans", "Kyiv's fears"), somewhere the story goes ("deployed
to Kursk Oblast"), an example ("countries like Russia and Ukraine"), page furniture
("NEXT Russia on the verge of bankruptcy?"), a different event ("lost their lives in
eastern Ukraine"). Every mention carries its reason.

Public API
----------
:func:`extract_claims` ``(text, locations=None, lookup=None) -> (claims, mentions)``
:func:`parse_claim` ``(phrase, lookup=None) -> Claim`` for a claim typed on the command line.

How it works (rules in order)
-----------------------------
1. Segmentation (:mod:`._claim_text`): tokens, lines, paragraphs, sentences; page
   furniture (navigation, "Related" zones, teasers ending in "...", widgets such as
   "24 C / Colombo", short label lines) and datelines. A text of at most 40 words
   without a finite verb of prose ("is", "was", "said", "shows" ...) is a
   *description* (caption, UCDP ``where_description``, ``--claim``): no furniture, and
   every capitalised name standing where descriptions name places (at the start, after a
   comma or parenthesis, before punctuation, a number or a relation word) is a claim.
2. Grammar (:mod:`._claim_grammar`): distance, direction, near, locative, motion,
   origin, example-list, border and bare-name matchers produce candidates, some of
   them already mentions (nationality, government, destination, event, organisation,
   example list, origin).
3. Plus-code localities: the text after a short plus code ("8MG9+PFR Sergeevka,
   Primorsky Krai") gives a ``place`` claim for the first part and ``within`` claims for
   the regions after it, tied to that plus code's location.
4. Roles: a candidate in page furniture is a ``page furniture`` mention; in a dateline a
   ``dateline`` mention; in the same sentence as a location a claim tied to it. When the
   document talks about a subject at all (some sentence has a cue word: video, footage,
   filmed, images, geolocated, located, situated, training, camp, base ...), a candidate
   in a sentence without a cue (and not opening with "It"/"The site" after one) is an
   ``other subject`` mention. Everything else is a claim. A document without any cue
   (an event report, a description) keeps all its candidates as claims.
5. Ties: a claim is tied to a location (``location_index``) when they share a sentence
   (the nearest location), or when the location sits in the sentence right before or
   after it in the same paragraph.

Conventions (what the fields hold)
----------------------------------
- ``place`` claims span the name and its feature words, without article or preposition
  ("Sergeevsky military camp"); ``target`` is the name without facility/settlement words
  ("Sergeevsky") and ``feature_hint`` those words ("military camp"). Administrative words
  stay in the target ("Kursk Oblast", "Primorsky Krai") and such names are ``within``.
- Relational claims span their relation word and, when present, the anchor before it:
  a locating verb ("situated in eastern Russia", "training in Russia") or an unnamed
  facility ("a training ground near Russia's border with China"; feature_hint then
  "training ground").
- ``within``: ``target`` is the country or region; a compass or area adjective goes into
  ``direction`` ("in eastern Russia": target "Russia", direction "eastern"). The Russian
  Far East is normalised: "Russia's far east", "the Russian Far East", "far eastern
  Russia" and "the far east of Russia" all give target "Russian Far East" (countries RU).
  "X's Y" gives target Y with countries X ("Russia's Kursk Oblast": "Kursk Oblast", RU).
  "on a Russian military base" is ``within`` Russia (feature_hint "military base"): the
  adjective names the country that holds the base, unless a place follows ("a Russian
  base in Syria", where the adjective is a nationality mention).
- ``border``: ``target`` is the border phrase without article ("Russia's border with
  China", "China border", "border"); ``countries`` the sides the text names (ISO2, from
  the lexicon or the gazetteer); ``qualifier`` the relation ("near", "at", "along", "on").
  Ambiguous names (Congo, Korea) give no code.
- ``distance``: ``distance_km`` converted (km, kilometre/er, mile/mi, metre/meter/m,
  nautical mile/nm, foot/ft, yard), ``distance_text`` verbatim with its qualifier and any
  conversion ("about 185 kilometers (115 miles)"), ``qualifier`` normalised: about
  (about/around/some/roughly/approximately/circa), nearly (nearly/almost), more than
  (more than/over), at least, less than (less than/under/below), within, up to, only,
  between (a range "12-13 km", read as its midpoint). "20 km north of X" is one distance
  claim with ``direction`` "N". A distance to a border keeps the border as target
  ("7 miles from the Ukraine border": target "Ukraine border", countries UA).
- ``direction``: 16 compass points (N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW),
  spelled ("north-east", "northeast", "north east", "north-northeast") or abbreviated
  ("NE"); ``qualifier`` "just" or "due" when given.
- ``near``: ``qualifier`` names the relation (near, close to, not far from, outside,
  outskirts, vicinity, around, next to, ...); "a few kilometres from X" is near.
- A name with a feature word but no relation word ("the Sergeevka training ground",
  "the town of Pokrovsk", "Kursk Oblast") is a claim candidate; a bare country, capital
  or known town without one is a mention ("named in passing", "government", ...).
- Subject decisions for the bundled articles: "training in eastern Russia" (000) and
  "training in Russia" (001) are claims about the troops in the footage (the cue word
  "training"); "in Asia" in "presence of North Korean personnel in Asia" (002) is an
  ``other subject`` mention.

Mention reasons: ``nationality``, ``government``, ``government (capital)``, ``government
(seat)``, ``organisation``, ``event``, ``event name``, ``destination``, ``origin``,
``example list``, ``page furniture``, ``dateline``, ``other subject``, ``named in passing``.

Never claims: months and days, languages ("in Korean"), organisations ("the Centre for
Strategic Communications", "National Intelligence Service"), people (after a title,
or any capitalised run the lexicon and gazetteer do not know), event names ("Ukraine
War"), acronyms the gazetteer does not know.

Cost: one regular-expression pass and one linear walk over the tokens; no gazetteer
call unless ``lookup`` is given (then one call per distinct unknown name, cached).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from geoverify.claims.chains import assemble, level_of
from geoverify.claims.grammar import Item, SentenceParser
from geoverify.claims.segment import Doc, segment
from geoverify.errors import ParseError
from geoverify.model import Claim, ClaimKind, Location

__all__ = ["extract_claims", "parse_claim"]

Lookup = Callable[[str], list]

_SHORT_CODE_RE = re.compile(
    r"(?<![0-9A-Za-z+])([23456789CFGHJMPQRVWX]{2,7}\+[23456789CFGHJMPQRVWX]{0,3})(?![0-9A-Za-z+])"
)
_LOCALITY_RE = re.compile(r"[ \t]*,?[ \t]*([^\n(…;|]*)")
_LOCALITY_STOP_RE = re.compile(r"\.\.\.|…|https?://|www\.|\s[-—–]\s|[\n(;|]")


def extract_claims(
    text: str, locations: Sequence[Location] | None = None, lookup: Lookup | None = None
) -> tuple[list[Claim], list[Claim]]:
    """Find the location claims and the places named in passing in ``text``.

    Parameters
    ----------
    text : str
        Free text (an article, a caption, a description).
    locations : list of Location, optional
        The coordinates already found in ``text`` (``geoverify.notation``); claims are
        tied to them by ``location_index``, and a short plus code's locality becomes
        claims. Without them, short plus codes are still recognised by pattern.
    lookup : callable, optional
        ``lookup(name) -> list[Place]`` (the gazetteer's ``resolve``): classifies names
        the built-in lexicon does not know (region or town, which country). Without it
        extraction works from patterns and the lexicon alone.

    Returns
    -------
    (claims, mentions) : tuple of two lists of Claim
        Each in text order, with exact spans (``text[c.start:c.end] == c.text``);
        mentions have ``role == "mention"`` and a ``reason``.

    Raises
    ------
    ParseError
        If ``text`` is not a string.
    GeoverifyError
        Whatever ``lookup`` raises other than ``ResolveError`` (a missing index, say);
        a ``ResolveError`` for one name just means the name is not known.
    """
    if not isinstance(text, str):
        raise ParseError(f"claim extraction needs text, got {type(text).__name__}")
    return _extract(text, list(locations or ()), lookup)


def _code_spans(text: str, locations: list[Location]) -> list[tuple[int, int, int | None]]:
    """(start, end, location index) of every short plus code, from ``locations`` or by pattern."""
    spans: list[tuple[int, int, int | None]] = []
    for idx, loc in enumerate(locations):
        if getattr(loc, "source", "text") != "text" or loc.kind not in ("pluscode-short", "pluscode"):
            continue
        if not (0 <= loc.start < loc.end <= len(text)):
            continue
        m = _SHORT_CODE_RE.search(text, loc.start, loc.end)
        if m:
            spans.append((m.start(1), m.end(1), idx))
    known = [(s, e) for s, e, _ in spans]
    for m in _SHORT_CODE_RE.finditer(text):
        if len(m.group(1).split("+")[0]) >= 8:
            continue
        if any(s <= m.start(1) < e for s, e in known):
            continue
        if any(loc.start <= m.start(1) < loc.end for loc in locations if loc.kind not in ("pluscode-short",)):
            continue
        spans.append((m.start(1), m.end(1), None))
    return sorted(spans)


def _extract(
    text: str, locations: list[Location], lookup: Lookup | None, description: bool | None = None, lenient: bool = False
):
    codes = _code_spans(text, locations)
    masked: list[tuple[int, int]] = []
    loc_spans: list[tuple[int, int]] = []
    for loc in locations:
        if getattr(loc, "source", "text") != "text" or not (0 <= loc.start < loc.end <= len(text)):
            continue
        loc_spans.append((loc.start, loc.end))
        if loc.kind == "pluscode-short":
            continue
        masked.append((loc.start, loc.end))
    for s, e, _idx in codes:
        masked.append((s, e))
        loc_spans.append((s, e))
    doc = segment(text, masked, loc_spans)
    if description is not None:
        doc.description = description
    parser = SentenceParser(doc, lookup, lenient=lenient)

    forced = _locality_items(doc, parser, codes, text)
    items: list[Item] = []
    for sentence in doc.sentences:
        items.extend(parser.parse(sentence))
    items = _merge(forced, items, doc)

    claims: list[Claim] = []
    mentions: list[Claim] = []
    for item in items:
        claim = _to_claim(item, doc, locations)
        if claim is None:
            continue
        (claims if claim.role == "claim" else mentions).append(claim)
    claims = assemble(claims, text, lookup)
    for m in mentions:
        m.chain = (level_of(m, text),)
    _tie(claims, doc, locations, loc_spans)
    return claims, mentions


def _merge(forced: list[Item], items: list[Item], doc: Doc) -> list[Item]:
    """All items in text order without overlaps (plus-code localities win, then the earlier)."""
    t = doc.tokens
    fixed = sorted((t[i.first].start, t[i.last - 1].end) for i in forced)
    pool = [(t[it.first].start, n, it) for n, it in enumerate(items) if it.last > it.first]
    pool.sort(key=lambda x: (x[0], x[1]))
    out: list[Item] = list(forced)
    last_end = -1
    p = 0
    for start, _n, item in pool:
        end = t[item.last - 1].end
        if start < last_end:
            continue
        while p < len(fixed) and fixed[p][1] <= start:
            p += 1
        if p < len(fixed) and fixed[p][0] < end:
            continue  # overlaps a plus-code locality
        out.append(item)
        last_end = end
    out.sort(key=lambda it: t[it.first].start)
    return out


def _locality_items(doc: Doc, parser: SentenceParser, codes, text: str) -> list[Item]:
    """Claims from the locality after each short plus code, tied to that code."""
    out: list[Item] = []
    toks = doc.tokens
    if not codes:
        return out
    starts = [tk.start for tk in toks]
    for _s, code_end, idx in codes:
        m = _LOCALITY_RE.match(text, code_end)
        if not m:
            continue
        raw_start = m.start(1)
        stop = _LOCALITY_STOP_RE.search(text, raw_start, m.end(1) + 1)
        raw_end = stop.start() if stop else m.end(1)
        parts: list[tuple[int, int]] = []
        for piece in re.finditer(r"[^,]+", text[raw_start:raw_end]):
            a = raw_start + piece.start()
            b = raw_start + piece.end()
            while a < b and text[a].isspace():
                a += 1
            while b > a and (text[b - 1].isspace() or text[b - 1] in ".,:"):
                b -= 1
            if b > a:
                parts.append((a, b))
        for n, (a, b) in enumerate(parts[:4]):
            first = bisect.bisect_left(starts, a)
            if first >= len(toks) or toks[first].start >= b:
                break
            last = first
            while last < len(toks) and toks[last].end <= b:
                last += 1
            parser.set_bounds(first, last)
            name = parser.parse_name(first)
            if name is None or name.cls in ("org", "person", "event", "skip") or name.last != last:
                break
            kind = "within" if name.cls in ("country", "region", "admin") else "place"
            target = parser.span_text(first, name.core_last)
            item = Item(
                first,
                last,
                kind,
                target,
                forced=True,
                location_index=idx,
                countries=name.countries if kind == "within" else (),
                feature_hint=name.feature,
            )
            if n == 0 and kind == "within" and name.cls == "country":
                item.kind = "within"
            out.append(item)
    return out


def _to_claim(item: Item, doc: Doc, locations: list[Location]) -> Claim | None:
    if item.kind == "place" and _only_feature_words(item.target, item.feature_hint):
        return None  # "[Avdiivka Coke and] Chemical Plant", "The Coke Plant": a kind of place, no name
    t = doc.tokens
    start = t[item.first].start
    end = t[item.last - 1].end
    role, reason = _role(item, doc, start)
    claim = Claim(
        text=doc.text[start:end],
        start=start,
        end=end,
        kind=ClaimKind(item.kind),
        target=item.target,
        feature_hint=item.feature_hint,
        distance_km=item.distance_km,
        distance_text=item.distance_text,
        qualifier=item.qualifier,
        direction=item.direction,
        countries=tuple(item.countries),
        location_index=item.location_index if role == "claim" else None,
        role=role,
        reason=reason,
    )
    return claim


def _only_feature_words(target: str | None, hint: str | None) -> bool:
    """Is a place claim's name, with its designator, only a feature phrase of the lexicon
    ("Chemical Plant", "Coke Plant", "Bridge")?"""
    from geoverify.claims import lexicon as lx

    phrase = " ".join(w for w in (target, hint) if w).lower().strip()
    return bool(phrase) and lx.FEATURE_CLASS.get(phrase) == "facility"


def _role(item: Item, doc: Doc, start: int) -> tuple[str, str]:
    s = doc.sentences[item.sentence] if item.sentence >= 0 else None
    line = doc.lines[s.line] if s is not None else None
    if item.forced:
        return "claim", ""
    if s is not None and s.furniture:
        return "mention", "page furniture"
    if line is not None and line.dateline_end > start:
        return "mention", "dateline"
    if item.mention_reason:
        return "mention", item.mention_reason
    if s is not None and _sentence_has_location(doc, s):
        return "claim", ""
    if item.bare and not doc.description:
        return "mention", "named in passing"
    if doc.cue_doc and s is not None and not s.cue and not doc.description:
        return "mention", "other subject"
    return "claim", ""


def _sentence_has_location(doc: Doc, s) -> bool:
    return any(tok.kind == "x" for tok in doc.tokens[s.first : s.last])


def _tie(claims: list[Claim], doc: Doc, locations: list[Location], loc_spans: list[tuple[int, int]]) -> None:
    """Set ``location_index`` from the sentence (or the neighbouring sentences) of each claim."""
    spans = [
        (loc.start, loc.end, idx)
        for idx, loc in enumerate(locations)
        if getattr(loc, "source", "text") == "text" and 0 <= loc.start < loc.end <= len(doc.text)
    ]
    if not spans:
        return
    sentences = doc.sentences
    starts = [s.start for s in sentences]
    for claim in claims:
        if claim.location_index is not None:
            continue
        k = bisect.bisect_right(starts, claim.start) - 1
        if k < 0:
            continue
        s = sentences[k]
        best = _nearest(spans, s.start, s.end, claim.start, claim.end)
        if best is None:
            for nb in (k - 1, k + 1):
                if 0 <= nb < len(sentences) and sentences[nb].para == s.para:
                    o = sentences[nb]
                    best = _nearest(spans, o.start, o.end, claim.start, claim.end)
                    if best is not None:
                        break
        if best is not None:
            claim.location_index = best


def _nearest(spans, s_start: int, s_end: int, c_start: int, c_end: int) -> int | None:
    best = None
    gap_best = None
    for ls, le, idx in spans:
        if ls < s_end and s_start < le:
            gap = c_start - le if le <= c_start else (ls - c_end if ls >= c_end else 0)
            if gap_best is None or gap < gap_best:
                best, gap_best = idx, gap
    return best


# ---------------------------------------------------------------------------
# claims typed on the command line


def parse_claim(phrase: str, lookup: Lookup | None = None) -> Claim:
    """Read one claim typed by a user (``geoverify check --claim "..."``).

    The whole phrase is the claim (``start == 0``, ``end == len(phrase)``). Names may
    be typed in lower case when a relation word shows where they are ("near
    kramatorsk") or when ``lookup`` knows them.

    Parameters
    ----------
    phrase : str
        "near the China border", "Sergeevka", "20 km from Kramatorsk",
        "Sergeevka, Primorsky Krai" (a place and the region holding it).
    lookup : callable, optional
        The gazetteer's ``resolve``.

    Raises
    ------
    ParseError
        Empty phrase, a phrase that names no place ("North Korean" is a nationality,
        "in August" a date), or a phrase holding several separate claims.
    """
    if not isinstance(phrase, str):
        raise ParseError(f"a claim must be text, got {type(phrase).__name__}")
    if not phrase.strip():
        raise ParseError("empty claim: give a place or a relation such as 'near X', 'in X', '20 km from X'", phrase)
    claims, mentions = _extract(phrase, [], lookup, description=True)
    if not claims:
        claims, mentions2 = _extract(phrase, [], lookup, description=True, lenient=True)
        mentions = mentions or mentions2
        claims = [c for c in claims if _lenient_ok(c, phrase, lookup)]
    if not claims:
        if mentions:
            m = mentions[0]
            raise ParseError(f"not a location claim ({m.text!r} is a mention: {m.reason})", phrase)
        raise ParseError(
            "cannot read as a location claim (start place names with a capital letter, or use a "
            "relation such as 'near X', 'in X', '20 km from X', 'north of X')",
            phrase,
        )
    claim = _combine(claims, phrase)
    claim.text = phrase
    claim.start = 0
    claim.end = len(phrase)
    claim.location_index = None
    claim.role = "claim"
    claim.reason = ""
    return claim


def _lenient_ok(claim: Claim, phrase: str, lookup: Lookup | None) -> bool:
    """A lower-case name counts only after a relation word, or when the gazetteer knows it."""
    if claim.kind != "place":
        return True
    before = phrase[: claim.start].strip().lower()
    if before and before.split()[-1] in ("in", "at", "inside", "to", "within"):
        return True
    if lookup is None:
        return False
    try:
        return bool(lookup(claim.target))
    except Exception:  # noqa: BLE001 - any gazetteer failure just means "not known"
        return False


def _combine(claims: list[Claim], phrase: str) -> Claim:
    """One claim from a phrase: a single claim, or a place followed by the regions
    holding it ("Sergeevka, Primorsky Krai" -> place Sergeevka, countries of the rest)."""
    if len(claims) == 1:
        return claims[0]
    head, rest = claims[0], claims[1:]
    between = [phrase[a.end : b.start] for a, b in zip(claims, claims[1:])]
    if (
        head.kind in ("place", "near", "distance", "direction", "border")
        and all(c.kind in ("within", "place") for c in rest)
        and all(g.strip() in (",", "") for g in between)
    ):
        codes = list(head.countries)
        for c in rest:
            codes.extend(c.countries)
        head.countries = tuple(dict.fromkeys(codes))
        head.feature_hint = head.feature_hint
        return head
    listed = "; ".join(repr(c.text) for c in claims)
    raise ParseError(f"holds {len(claims)} claims ({listed}); give each with its own --claim", phrase)
