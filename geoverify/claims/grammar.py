"""The phrase grammar of claim extraction (private to :mod:`geoverify.claims.extract`).

One :class:`SentenceParser` walks the tokens of a sentence left to right and, at
each position, tries the matchers below in order; the first that matches consumes
its tokens and yields :class:`Item` objects (claim candidates or mentions with a
reason). Roles that depend on the whole document (subject cues, furniture,
locations) are settled afterwards by :mod:`geoverify.claims.extract`.

Matchers, in order
------------------
1. distance   ``[qualifier] NUMBER UNIT [(conversion)] [away] (from|of|outside|beyond|DIR of|DIR from) TARGET``
               "about 50 kilometres north of Kharkiv", "within 10 km of X", "7 miles from the
               Ukraine border" (a distance to a border), "12-13 km north of Bangui" (a range:
               the midpoint, qualifier "between"). "a few kilometres from X" is a ``near`` claim.
               A target left out in a parenthesis ("Bouca (10 km south of)") is the name just before.
2. direction  ``[just|due|directly] [to the] DIR of TARGET`` with DIR one of the 16 compass
               points, spelled ("north-east", "north-northeast") or abbreviated ("NE", "NNE").
3. near       near, nearby, close to, not far from, next to, adjacent to, outside, around,
               (on|in) the outskirts of, in the vicinity of, on the edge of, on the banks of ...
               A border after it makes a ``border`` claim.
4. locative   in, inside, within, at, over, above, on (only with a facility, a border, a
               natural feature or "the territory of"), deep inside, somewhere in, in the
               heart/centre/middle of, in the DIR of.
               Country, region and admin targets give ``within``; towns, facilities and
               unknown names give ``place``; borders give ``border``; "a Russian military base"
               gives ``within`` Russia (the adjective names the country that holds the base;
               the checker lets it fail only inside that country: a base may be held abroad).
5. motion     to/into/towards/for after a verb of motion (deployed, sent, en route, bound
               for ...), and "in" after "deployed/sent ..." or "to fight/serve/be ... in":
               a ``destination`` mention; so is a heading, "towards X" or "in the direction of X"
               whatever precedes it (not "the road towards X": a road claim). "geolocated to X" is
               a claim. After "released", "said", "born" ... a locative is an ``other subject``
               mention; after "war", "conflict", "invasion" an ``event`` mention.
6. from       "footage from X" and "taken/filmed/seen from X" are claims (when X is a known
               place or carries a feature word: "images from Maxar" names a provider);
               any other "from X" is an ``origin`` mention.
7. examples   "countries like X and Y", "regimes such as X": ``example list`` mentions.
8. border     a border phrase with no relation word before it: a mention.
9. name       a bare name: nationality adjectives, capitals as governments ("Moscow plans"),
               military formations ("the Skhid operational-tactical group": an organisation),
               codes glued to numbers ("MSR1", "UGA-2013-1": identifiers, no name at all),
               countries as actors ("Ukraine launched"), organisations ("Ukraine's Center
               for ..."), event names ("Ukraine War"), named facilities ("the Sergeevka
               training ground", "the town of Pokrovsk", "Kursk Oblast": a name with a
               feature word is a claim candidate) and, in a description, every place name
               standing where a description names places (at its start, after a comma or
               parenthesis, or before punctuation, a number or a relation word).

Targets
-------
``[the|a] [premodifiers] (BORDER | [prefix of] NAME ['s HEAD])`` where premodifiers are
compass or area adjectives ("eastern", "far eastern", "central") and "X-occupied"; a prefix
is "the town of", "the village of", "the capital"...; HEAD after a possessive is a
compass region ("Russia's far east"), "outskirts", or another name ("Russia's Kursk
Oblast"). A NAME is a lexicon entry (country, adjective, capital, region) or a run of
capitalised words with connectors (de, la, of after Republic/Gulf/...), followed by
feature words ("training ground", "Oblast", "town").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from geoverify.claims import lexicon as lx
from geoverify.claims.segment import Doc, Sentence, Token

_SOFT_STARTERS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "far",
        "upper",
        "lower",
        "new",
        "old",
        "great",
        "little",
        "saint",
        "st",
        "mount",
        "mt",
        "lake",
        "cape",
        "port",
        "fort",
        "san",
        "santa",
        "los",
        "las",
        "el",
        "al",
        "la",
        "le",
        "camp",
        "greater",
    }
)
#: Stop-capitals that never open a name: every one but the words that may (``_SOFT_STARTERS``).
_HARD_STOPS = lx.STOP_CAPS - _SOFT_STARTERS
_CONNECTORS = frozenset(
    {
        "de",
        "du",
        "des",
        "la",
        "le",
        "el",
        "al",
        "da",
        "do",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "den",
        "di",
        "del",
        "sur",
        "upon",
        "am",
        "an",
        "im",
        "na",
    }
)
_OF_HEADS = frozenset(
    {
        "republic",
        "gulf",
        "sea",
        "bay",
        "isle",
        "island",
        "islands",
        "cape",
        "lake",
        "mount",
        "strait",
        "straits",
        "kingdom",
        "state",
        "province",
        "region",
        "city",
        "port",
        "district",
        "oblast",
        "peninsula",
        "gate",
        "emirate",
        "commonwealth",
        "duchy",
        "principality",
        "federation",
        "territory",
        "isles",
    }
)
_ARTICLES = frozenset({"the", "a", "an", "this", "that"})
_BORDER_WORDS = frozenset({"border", "borders", "frontier", "frontiers"})
_BORDER_TAILS = frozenset(
    {
        "area",
        "areas",
        "region",
        "regions",
        "zone",
        "zones",
        "crossing",
        "crossings",
        "line",
        "district",
        "districts",
        "town",
        "village",
        "post",
        "checkpoint",
        "strip",
    }
)
_NEAR_PHRASES: dict[tuple[str, ...], str] = {
    ("near",): "near",
    ("nearby",): "near",
    ("near", "to"): "near",
    ("close", "to"): "close to",
    ("close", "by"): "close to",
    ("not", "far", "from"): "not far from",
    ("not", "far", "away", "from"): "not far from",
    ("next", "to"): "next to",
    ("adjacent", "to"): "next to",
    ("outside",): "outside",
    ("outside", "of"): "outside",
    ("just", "outside"): "outside",
    ("just", "outside", "of"): "outside",
    ("around",): "around",
    ("on", "the", "outskirts", "of"): "outskirts",
    ("in", "the", "outskirts", "of"): "outskirts",
    ("the", "outskirts", "of"): "outskirts",
    ("outskirts", "of"): "outskirts",
    ("on", "the", "edge", "of"): "edge",
    ("at", "the", "edge", "of"): "edge",
    ("in", "the", "vicinity", "of"): "vicinity",
    ("vicinity", "of"): "vicinity",
    ("the", "vicinity", "of"): "vicinity",
    ("in", "the", "surroundings", "of"): "vicinity",
    ("in", "the", "surrounding", "areas", "of"): "vicinity",
    ("surrounding", "areas", "of"): "vicinity",
    ("in", "the", "suburbs", "of"): "outskirts",
    ("on", "the", "banks", "of"): "banks",
    ("on", "the", "bank", "of"): "banks",
    ("on", "the", "shores", "of"): "shores",
    ("on", "the", "shore", "of"): "shores",
    ("off", "the", "coast", "of"): "off the coast",
    ("a", "short", "distance", "from"): "near",
    ("within", "reach", "of"): "near",
    ("along",): "along",
}
_NEAR_FIRST = frozenset(k[0] for k in _NEAR_PHRASES)
_LOCATIVE_PHRASES: dict[tuple[str, ...], str | None] = {
    ("in",): None,
    ("inside",): None,
    ("within",): None,
    ("at",): None,
    ("on",): None,
    ("deep", "inside"): "deep",
    ("deep", "in"): "deep",
    ("deep", "within"): "deep",
    ("somewhere", "in"): None,
    ("in", "the", "heart", "of"): "centre",
    ("in", "the", "centre", "of"): "centre",
    ("in", "the", "center", "of"): "centre",
    ("in", "the", "middle", "of"): "centre",
    ("in", "downtown"): "centre",
    ("on", "the", "territory", "of"): None,
    ("in", "the", "territory", "of"): None,
    ("in", "parts", "of"): None,
    ("in", "various", "parts", "of"): None,
    ("in", "the", "area", "of"): None,
    ("in", "the", "region", "of"): None,
    ("throughout",): None,
    ("across",): None,
    ("over",): None,
    ("above",): None,
}
_LOC_FIRST = frozenset(k[0] for k in _LOCATIVE_PHRASES)
_MOTION_PREPS = frozenset({"to", "into", "towards", "toward", "for", "onto"})
#: Words that give a heading whatever comes before them: "Kopia, 40 km east of Ippy, towards Bambari" says
#: which way the place lies from Ippy, not that it is Bambari (CAR dev: 16 rows name a heading).
_HEADING_PREPS = frozenset({"towards", "toward"})
_ROAD_NOUNS = frozenset(lx.ROAD_TO_NOUNS)
#: Two capitalised names joined by a dash: a road's ends ("Bria-Ippy", "Bangui–Damara").
_TWO_NAMES = re.compile(r"[^\W\d_][\w'’.]*\s*[-–—]\s*[^\W\d_][\w'’.]*(?:\s*[-–—]\s*[^\W\d_][\w'’.]*)?")
#: Lower-case words after a name that make it a military formation's ("the Skhid operational-tactical
#: group", "the Tavria group of forces", "the Bakhmut grouping"), not a place.
_FORMATIONS = frozenset(
    {
        "operational-tactical group",
        "operational-strategic group",
        "operational tactical group",
        "operational strategic group",
        "operational group",
        "group of forces",
        "grouping",
        "grouping of forces",
        "brigade",
        "battalion",
        "regiment",
    }
)
_CUE_NOUNS_FROM = frozenset(
    {
        "footage",
        "video",
        "videos",
        "images",
        "image",
        "photos",
        "photo",
        "pictures",
        "picture",
        "clip",
        "clips",
        "imagery",
        "scenes",
        "stills",
    }
)
_CLAUSE_BREAK_WORDS = frozenset(
    {
        "and",
        "but",
        "while",
        "where",
        "which",
        "that",
        "who",
        "is",
        "are",
        "was",
        "were",
        "am",
        "when",
        "after",
        "before",
        "because",
        "although",
    }
)
_POSS_NEAR_HEADS = frozenset({"outskirts", "suburbs", "vicinity", "edge", "environs", "periphery", "outskirt"})
_POSS_CENTRE_HEADS = frozenset({"centre", "center", "heart", "downtown", "city", "capital"})
#: Parts of a place after a possessive ("Bangui's 8th arrondissement"): judged at the place.
_POSS_PART_HEADS = frozenset(
    {"arrondissement", "district", "neighbourhood", "neighborhood", "quarter", "suburb", "microdistrict", "ward"}
)
#: Buildings after a possessive ("Bocaranga's church") that are not feature words of their own.
_POSS_BUILDINGS = frozenset(
    {"church", "cathedral", "mosque", "market", "hospital", "school", "prison", "stadium", "university", "monastery"}
)
#: Facility words that after a possessive say something else ("Russia's front", "Kyiv's direction").
_POSS_NOT_FACILITY = frozenset({"front", "frontline", "direction", "axis", "bulge", "compound", "facility"})
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "e", "er", "ème", "eme"})
_ORDINAL = re.compile(
    r"\d+(?:st|nd|rd|th|e|er|ème)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth"
)
_TRAILING_OCCUPIED = ("-occupied", "-held", "-controlled", "-annexed", "-administered")
_QUOTES = frozenset("”\"’'“‘«»")
_NUMBER_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_COMPASS_ADJ = {
    "northern": "northern",
    "southern": "southern",
    "eastern": "eastern",
    "western": "western",
    "northeastern": "northeastern",
    "northwestern": "northwestern",
    "southeastern": "southeastern",
    "southwestern": "southwestern",
    "central": "central",
}
_COMPASS_NOUN_TO_ADJ = {
    "north": "northern",
    "south": "southern",
    "east": "eastern",
    "west": "western",
    "northeast": "northeastern",
    "northwest": "northwestern",
    "southeast": "southeastern",
    "southwest": "southwestern",
    "centre": "central",
    "center": "central",
}


@dataclass
class Item:
    """A claim candidate (``mention_reason`` empty) or a mention found in one sentence."""

    first: int
    last: int
    kind: str
    target: str
    mention_reason: str = ""
    bare: bool = False  # a name without a relation word: a claim only in descriptions
    facility: bool = False  # a named facility ("Sergeevka training ground")
    feature_hint: str | None = None
    distance_km: float | None = None
    distance_text: str | None = None
    qualifier: str | None = None
    direction: str | None = None
    countries: tuple[str, ...] = ()
    sentence: int = -1
    forced: bool = False  # a claim whatever the sentence rules say (plus-code locality)
    location_index: int | None = None


@dataclass
class Name:
    """A name found at some token: ``[first, last)`` including feature words."""

    first: int
    last: int
    core_last: int  # end of the name proper (before stripped feature words)
    cls: str  # country adjective capital region seat admin named unknown
    #                               org person event skip adjfacility
    countries: tuple[str, ...] = ()
    feature: str | None = None
    feature_cls: str | None = None
    lex_last: int = -1  # end of a lexicon prefix inside a compound (org/event/title)
    lex_cls: str = ""
    lex_countries: tuple[str, ...] = ()
    title_follows: bool = False
    poss: bool = False
    population: int | None = None


@dataclass
class Target:
    first: int  # token range including article and premodifiers
    last: int
    name_first: int  # span used for ``place`` claims (no article)
    kind: str  # within place border near
    target: str
    cls: str
    countries: tuple[str, ...] = ()
    feature: str | None = None
    direction: str | None = None
    qualifier: str | None = None
    names: list[tuple[int, int]] = field(default_factory=list)


class SentenceParser:
    """Parse the sentences of a :class:`~geoverify.claims.segment.Doc` into items."""

    def __init__(self, doc: Doc, lookup=None, lenient: bool = False):
        self.doc = doc
        self.t: list[Token] = doc.tokens
        self.text = doc.text
        self.lookup = lookup
        self.lenient = lenient
        self._cache: dict[str, tuple | None] = {}
        self.a = 0
        self.b = 0
        self._memo: dict = {}  # per sentence: names by token index, feature runs by ("f", index)

    # ------------------------------------------------------------------ helpers
    def low(self, i: int) -> str:
        if self.a <= i < self.b:
            return self.t[i].low
        return ""

    def is_word(self, i: int) -> bool:
        return self.a <= i < self.b and self.t[i].kind in ("w", "a")

    def is_cap(self, i: int) -> bool:
        if not (self.a <= i < self.b):
            return False
        tok = self.t[i]
        return tok.kind in ("w", "a") and (tok.cap or (self.lenient and _lenient_word(tok.low)))

    def span_text(self, first: int, last: int) -> str:
        return self.text[self.t[first].start : self.t[last - 1].end]

    def match_words(self, i: int, words: tuple[str, ...]) -> bool:
        for k, w in enumerate(words):
            if self.low(i + k) != w:
                return False
        return True

    def match_table(self, i: int, trie: dict):
        """Longest phrase of a word trie (see :func:`_trie`) starting at ``i``:
        (value, n_tokens) or (None, 0)."""
        node: dict = trie
        best = (None, 0)
        t = self.t
        k = i
        while self.a <= k < self.b:
            child = node.get(t[k].low)
            if child is None:
                break
            node = child
            k += 1
            if _END in node:
                best = (node[_END], k - i)
        return best

    # ------------------------------------------------------------------ lexicon and lookup
    def lex_match(self, i: int):
        """Longest lexicon entry at ``i``: (Entry, end) or (None, i)."""
        t = self.t
        if not self.is_cap(i) or t[i].low not in lx.LEXICON_FIRST_WORDS:
            return None, i
        best = None
        key = ""
        for k in range(i, min(self.b, i + 9)):
            tok = t[k]
            if tok.kind == "s":
                key += "'s"
            elif tok.kind in ("w", "a"):
                key = tok.low if k == i else key + " " + tok.low
            else:
                break
            entry = lx.LEXICON.get(key)
            if entry is not None:
                best = (entry, k + 1)
        if best is None:
            return None, i
        return best

    def resolve(self, name: str):
        """(cls, countries, population, score) from the gazetteer, or None; cached."""
        if self.lookup is None or not name:
            return None
        key = lx.fold(name)
        if key in self._cache:
            return self._cache[key]
        from geoverify.errors import ResolveError

        try:
            places = self.lookup(name) or []
        except ResolveError:
            places = []
        out = None
        for place in places[:1]:
            score = getattr(place, "score", 0.0) or 0.0
            kind = getattr(place, "kind", "")
            # regions are few and distinctive ("Primorsky Krai" ~ "Primorskiy kray" scores 0.88);
            # populated places are many, so a loose match there is usually a different word
            if score < (0.85 if kind in ("country", "admin1", "region", "site") else 0.9):
                break
            extra = getattr(place, "extra", None) or {}
            if extra.get("form") == "code" and len(name.strip()) <= 2:
                break  # "PK 13" (a kilometre post), "IT", "IN": two letters are rarely a country
            country = getattr(place, "country", None)
            codes = (country,) if country else ()
            if extra.get("form") in ("adjective", "demonym"):
                cls = "adjective"
            elif kind == "country":
                cls = "country"
            elif kind in ("admin1", "region"):
                cls = "admin" if kind == "admin1" else "region"
            elif kind == "site":
                cls = "site"
            else:
                feature = getattr(place, "feature", "") or ""
                cls = "capital" if feature.endswith("PPLC") else "place"
            out = (cls, codes, getattr(place, "population", None), score)
        self._cache[key] = out
        return out

    # ------------------------------------------------------------------ names
    def _features_at(self, k: int):
        """Longest run of feature words at ``k``: (text, class, end) or None."""
        key = ("f", k)
        if key in self._memo:
            return self._memo[key]
        found = self._features_at_uncached(k)
        self._memo[key] = found
        return found

    def _features_at_uncached(self, k: int):
        if self.low(k) == "community" and self.is_cap(k - 1) and lx.SLAVIC_ADJECTIVE_END.search(self.t[k - 1].low):
            # "Pervomaisky community", "Chervonogrihorivska community": a hromada, named by its centre's
            # adjective (not "the Muslim community", "the Fulani community": people)
            return ("community", "admin", k + 1)
        if self.low(k) not in _FEATURE_FIRST:
            return None
        best = None
        for n in range(min(lx.FEATURE_MAX_WORDS, self.b - k), 0, -1):
            if not all(self.t[k + m].kind == "w" for m in range(n)):
                continue
            key = " ".join(self.t[k + m].low for m in range(n))
            cls = lx.FEATURE_CLASS.get(key)
            if cls:
                best = (key, cls, k + n)
                break
        return best

    def set_bounds(self, a: int, b: int) -> None:
        """Work on tokens [a, b) (a sentence, or a plus code's locality)."""
        self.a, self.b = a, b
        self._memo = {}

    def parse_name(self, i: int) -> Name | None:
        """A name starting at token ``i`` (see the module docstring), or None (memoised
        per sentence; callers copy before changing the result)."""
        if i in self._memo:
            return self._memo[i]
        name = self._parse_name(i)
        self._memo[i] = name
        return name

    def _parse_name(self, i: int) -> Name | None:
        t = self.t
        if not self.is_cap(i):
            return None
        tok = t[i]
        if _identifier_at(t, i):
            return None
        entry, j = self.lex_match(i)
        name = None
        if entry is not None:
            name = Name(i, j, j, entry.cls, entry.countries)
            # feature words straight after a lexicon name ("Moscow Oblast", "Russian military base")
            feats = self._feature_run(j)
            if feats is not None and t[j].text == "City":
                name = Name(i, j + 1, j + 1, "named", entry.countries, "city", "settlement")
                feats = None
            elif feats is not None:
                ftext, fcls, fend = feats
                if entry.cls == "adjective":
                    if fcls == "facility":
                        name = Name(i, fend, j, "adjfacility", entry.countries, ftext, fcls)
                elif entry.cls in ("capital", "region") or (
                    entry.cls == "country" and fcls == "admin" and ftext not in lx.WEAK_FEATURES
                ):
                    cls = "admin" if fcls == "admin" else ("named" if entry.cls == "capital" else entry.cls)
                    core = fend if fcls == "admin" else j
                    name = Name(i, fend, core, cls, entry.countries, ftext, fcls)
            elif self.low(j) in _EVENT_AFTER_NAME and entry.cls in ("country", "region", "adjective"):
                # "the Ukraine war", "the Korean conflict"
                name = Name(i, j + 1, j + 1, "event", (), lex_last=j, lex_cls=entry.cls, lex_countries=entry.countries)
            elif self.is_cap(j) and t[j].low not in _HARD_STOPS and t[j].low not in lx.MONTHS_DAYS and t[j].kind == "w":
                # a compound: "Korean Central News Agency", "Ukraine War", "Russian President Putin"
                rest = self._chunk_end(j)
                words = [t[k].low for k in range(j, rest) if t[k].kind in ("w", "a")]
                if any(w in lx.STRONG_TITLES for w in words):
                    name.title_follows = True
                elif any(w in lx.ORG_WORDS for w in words):
                    name = Name(i, rest, rest, "org", (), lex_last=j, lex_cls=entry.cls, lex_countries=entry.countries)
                elif words and words[-1] in lx.EVENT_WORDS:
                    name = Name(
                        i, rest, rest, "event", (), lex_last=j, lex_cls=entry.cls, lex_countries=entry.countries
                    )
        else:
            if tok.low in _HARD_STOPS or tok.low in lx.MONTHS_DAYS:
                return None
            if tok.low in _SOFT_STARTERS and not (self.is_cap(i + 1) and self.low(i + 1) not in _HARD_STOPS):
                return None
            end = self._chunk_end(i + 1)
            name = self._classify_chunk(i, end)
            if name is None:
                return None
        if name.last < self.b and t[name.last].kind == "s":
            name.poss = True
        return name

    def _feature_run(self, k: int):
        """Feature words at ``k``, possibly several ("town IDP camp")."""
        first = self._features_at(k)
        if first is None:
            return None
        text, cls, end = first
        while True:
            more = self._features_at(end)
            if more is None:
                break
            text = f"{text} {more[0]}"
            cls = more[1] if more[1] == "facility" else cls
            end = more[2]
        return text, cls, end

    def _chunk_end(self, j: int) -> int:
        """End of a run of capitalised words starting before ``j`` (connectors allowed)."""
        t = self.t
        has_org = False
        while j < self.b:
            tok = t[j]
            low = tok.low
            if (
                tok.kind in ("w", "a")
                and (tok.cap or (self.lenient and _lenient_word(low)))
                and low not in _HARD_STOPS
                and low not in lx.MONTHS_DAYS
            ):
                has_org = has_org or low in lx.ORG_WORDS
                j += 1
                continue
            nxt_cap = self.is_cap(j + 1) and self.low(j + 1) not in _HARD_STOPS
            if tok.kind == "w" and low in _CONNECTORS and nxt_cap and not self.lenient:
                j += 2
                continue
            if low == "of" and nxt_cap and (self.low(j - 1) in _OF_HEADS or has_org):
                j += 2
                continue
            if low in ("for", "and", "&", "of") and has_org and nxt_cap:
                j += 2
                continue
            if low in ("for", "and", "of") and has_org and self.low(j + 1) == "the" and self.is_cap(j + 2):
                j += 3  # "Institute for the Study of War"
                continue
            if tok.kind == "p" and tok.text == "&" and has_org and nxt_cap:
                j += 2
                continue
            if tok.kind == "n" and j + 1 < self.b and self.t[j + 1].low in lx.FEATURE_CLASS and len(tok.text) <= 3:
                j += 1  # "Beboura 1 village"
                continue
            if (
                tok.text == "I"
                and j > 0
                and self.is_cap(j - 1)
                and (j + 1 >= self.b or self.t[j + 1].kind == "p" or self.t[j + 1].low in lx.FEATURE_CLASS)
            ):
                j += 1  # "Botto I", "Badene I village": the first part of a village ("Botto II" is the second)
                continue
            break
        return j

    def _classify_chunk(self, i: int, end: int) -> Name | None:
        t = self.t
        words = [t[k].low for k in range(i, end) if t[k].kind in ("w", "a")]
        if not words:
            return None
        core_last = end
        feature = fcls = None
        # capitalised feature words at the end of the chunk ("Sergeevka Training Ground", "Kursk Oblast")
        for n in range(min(lx.FEATURE_MAX_WORDS, end - i - 1), 0, -1):
            key = " ".join(t[k].low for k in range(end - n, end))
            cls = lx.FEATURE_CLASS.get(key)
            if cls and all(t[k].kind == "w" for k in range(end - n, end)):
                feature, fcls, core_last = key, cls, end - n
                if t[end - 1].text == "City":
                    core_last = end  # "Quebec City" is the city's name
                break
        last = end
        if fcls != "admin":
            # lower-case feature words after the name ("Sergeevsky military camp", "Bambari town IDP camp")
            feats = self._feature_run(end)
            if feats is not None:
                ftext, fcls2, fend = feats
                feature = f"{feature} {ftext}" if feature else ftext
                fcls = fcls2 if (fcls2 == "facility" or fcls is None) else fcls
                last = fend
        prev = self.low(i - 1)
        if any(w in lx.ORG_WORDS for w in words):
            cls = "org"
        elif words[0] in lx.STRONG_TITLES or prev in lx.PERSON_TITLES:
            cls = "person"
        elif words[-1] in lx.EVENT_WORDS:
            cls = "event"
        elif " ".join(words) in lx.NOT_PLACES or (len(words) == 1 and len(t[i].text) < 2):
            cls = "skip"
        elif fcls == "admin":
            cls = "admin"
        elif fcls:
            cls = "named"
        else:
            cls = "unknown"
            if len(words) == 1 and t[i].text.isupper() and len(t[i].text) <= 4:
                cls = "acronym"
        name = Name(i, last, core_last, cls, (), feature, fcls)
        if cls == "admin":
            # admin words stay in the target ("Kursk Oblast", "Primorsky Krai")
            name.core_last = last
            code = lx.ADMIN_FEATURE_COUNTRY.get(feature or "")
            if code:
                name.countries = (code,)
        if cls in ("unknown", "named", "admin", "acronym") and self.lookup is not None:
            found = self.resolve(self.span_text(i, name.core_last))
            if found is not None:
                rcls, codes, pop, _score = found
                name.population = pop
                if rcls in ("country", "region", "admin", "adjective", "capital"):
                    name.cls = rcls if cls != "admin" else "admin"
                    name.countries = codes
                elif cls in ("unknown", "acronym"):
                    name.cls = "named" if rcls == "site" else "place"
                    if rcls == "site":
                        name.feature_cls = name.feature_cls or "facility"
        if name.cls == "acronym":
            name.cls = "skip"
        return name

    # ------------------------------------------------------------------ borders and targets
    def _codes_of(self, first: int, last: int) -> tuple[str, ...]:
        """ISO codes of the country names or adjectives in tokens [first, last)."""
        out: list[str] = []
        k = first
        while k < last:
            entry, j = self.lex_match(k)
            if entry is not None and j <= last:
                if entry.cls in ("country", "adjective"):
                    out.extend(entry.countries)
                k = j
                continue
            if self.t[k].kind == "w" and self.t[k].cap:
                end = self._chunk_end(k + 1)
                found = self.resolve(self.span_text(k, min(end, last)))
                if found is not None and found[0] in ("country", "adjective"):
                    out.extend(found[1])
                k = max(end, k + 1)
                continue
            k += 1
        return tuple(dict.fromkeys(out))

    def _hyphen_pair(self, k: int) -> tuple[str, ...] | None:
        """ "Russia-China" or "Russian-Chinese" in one token -> codes (None if not a pair)."""
        tok = self.t[k]
        if tok.kind != "w" or not tok.cap or "-" not in tok.low:
            return None
        parts = tok.low.split("-")
        codes: list[str] = []
        for part in parts:
            entry = lx.LEXICON.get(part)
            if entry is None or entry.cls not in ("country", "adjective"):
                return None
            codes.extend(entry.countries)
        return tuple(dict.fromkeys(codes))

    def parse_border(self, k: int) -> Target | None:
        """A border phrase at ``k`` (after any article)."""
        if not (self.a <= k < self.b):
            return None
        start = k
        codes: list[str] = []
        m = -1
        if self.low(k) in _BORDER_WORDS:
            m = k
        elif self.is_cap(k):
            pair = self._hyphen_pair(k)
            if pair is not None and self.low(k + 1) in _BORDER_WORDS:
                codes.extend(pair)
                m = k + 1
            else:
                name = self.parse_name(k)
                if name is None or name.cls in ("org", "person", "event", "skip"):
                    return None
                after = name.last + (1 if name.poss else 0)
                if self.low(after) not in _BORDER_WORDS:
                    return None
                if name.cls in ("country", "adjective"):
                    codes.extend(name.countries)
                m = after
        if m < 0:
            return None
        end = m + 1
        nxt = self.low(end)
        if nxt in ("with", "between", "of"):
            j = end + 1
            j += 1 if self.low(j) == "the" else 0
            got = False
            while self.is_cap(j):
                name = self.parse_name(j)
                if name is None or name.cls in ("org", "person", "event", "skip", "adjective"):
                    break
                codes.extend(name.countries if name.cls == "country" else self._codes_of(j, name.core_last))
                end = name.last
                got = True
                if self.low(end) in ("and", ",", "or") and self.is_cap(end + 1):
                    j = end + 1
                    continue
                if self.low(end) == "," and self.low(end + 1) == "and" and self.is_cap(end + 2):
                    j = end + 2
                    continue
                break
            if not got:
                end = m + 1
        while self.low(end) in _BORDER_TAILS and end < self.b:
            end += 1
        text = self.span_text(start, end)
        return Target(start, end, start, "border", text, "border", tuple(dict.fromkeys(codes)))

    def _prefix_feature(self, j: int):
        """ "town of X", "the capital Bangui": (feature, class, index of the name) or None."""
        w1 = self.low(j)
        w2 = self.low(j + 1)
        for words in ((w1, w2), (w1,)):
            key = " ".join(words)
            cls = lx.PREFIX_FEATURES.get(key)
            if cls is None:
                continue
            n = len(words)
            if self.low(j + n) == "of" and self.is_cap(j + n + 1 + (self.low(j + n + 1) == "the")):
                skip = 1 + (self.low(j + n + 1) == "the")
                return key, cls, j + n + skip
            if key.endswith("capital"):
                k = j + n + (1 if self.low(j + n) == "," else 0)
                if self.is_cap(k):
                    return key, cls, k
        return None

    def parse_target(self, j: int) -> Target | None:
        """The place a relation word points at (see the module docstring)."""
        t = self.t
        start = j
        if self.low(j) in _ARTICLES:
            j += 1
        direction: list[str] = []
        name_first = j
        while self.a <= j < self.b and t[j].kind == "w":
            if t[j].cap:
                entry, _end = self.lex_match(j)
                if entry is not None:
                    break
            key = lx.compass_key(t[j].text)
            low = t[j].low
            if key in _COMPASS_ADJ and self.a <= j + 1 < self.b:
                direction.append(_COMPASS_ADJ[key])
            elif low in (
                "far",
                "remote",
                "extreme",
                "deep",
                "rural",
                "coastal",
                "occupied",
                "western-",
                "upper",
                "lower",
            ) and self.is_word(j + 1):
                direction.append(low)
            elif not low.endswith(_TRAILING_OCCUPIED):  # "Russian-occupied" is skipped over
                break
            j += 1
        direction_text = " ".join(direction) or None
        prefix = self._prefix_feature(j)
        if prefix is not None:
            feat, fcls, k = prefix
            name = self.parse_name(k)
            if name is None or name.cls in ("org", "person", "event", "skip"):
                return None
            kind = "within" if fcls == "admin" else "place"
            tgt = self.span_text(k, name.core_last)
            codes = name.countries if name.cls in ("capital", "admin", "region") else ()
            return Target(
                start, name.last, name_first, kind, tgt, "named", codes, feat, direction_text, names=[(k, name.last)]
            )
        border = self.parse_border(j)
        if border is not None:
            border.first = start
            border.name_first = name_first
            border.direction = direction_text
            return border
        name = self.parse_name(j)
        if name is None:
            return None
        if name.poss:
            return self._possessive_target(start, name_first, name, direction_text)
        if name.cls == "adjective":
            nxt = name.last
            if self.low(nxt) in lx.TERRITORY_NOUNS:
                country = self._country_name(name, j)
                return Target(
                    start, nxt + 1, name_first, "within", country, "country", name.countries, None, direction_text
                )
            prefix = self._prefix_feature(nxt)
            if prefix is not None:
                feat, fcls, k = prefix
                inner = self.parse_name(k)
                if inner is None or inner.cls in ("org", "person", "event", "skip"):
                    return None
                kind = "within" if fcls == "admin" else "place"
                return Target(
                    start,
                    inner.last,
                    name_first,
                    kind,
                    self.span_text(k, inner.core_last),
                    "named",
                    name.countries,
                    feat,
                    direction_text,
                    names=[(k, inner.last)],
                )
            return None
        if name.cls == "adjfacility":
            country = self._country_name(name, j)
            return Target(
                start,
                name.last,
                name_first,
                "within",
                country,
                "adjfacility",
                name.countries,
                name.feature,
                direction_text,
            )
        if name.cls in ("org", "person", "event", "skip", "seat"):
            return None
        tgt = self.span_text(j, name.core_last)
        if name.cls == "country" and direction_text:
            region = lx.REGION_OF_COUNTRY.get((name.countries[0] if name.countries else "", direction_text))
            if region:
                return Target(
                    start,
                    name.last,
                    name_first,
                    "within",
                    region,
                    "region",
                    name.countries,
                    None,
                    None,
                    names=[(j, name.last)],
                )
        kind = "within" if name.cls in ("country", "region", "admin") else "place"
        last, feature = name.last, name.feature
        road = self._road_between(tgt, last) if feature is None else None
        if road:  # "the Bria-Ippy road", "the Bangui–Damara highway"
            last, feature = last + 1, road
        return Target(
            start,
            last,
            name_first,
            kind,
            tgt,
            name.cls,
            name.countries,
            feature,
            direction_text,
            names=[(j, name.last)],
        )

    def _country_name(self, name: Name, j: int) -> str:
        if name.countries:
            return lx.COUNTRY_NAME.get(name.countries[0], self.span_text(j, name.core_last))
        return self.span_text(j, name.core_last)

    def _possessive_target(self, start: int, name_first: int, name: Name, direction_text):
        """ "Russia's far east", "Russia's Kursk Oblast", "Kyiv's outskirts"; None for
        "Kyiv's fears" (a government, left to the bare-name rule)."""
        t = self.t
        h = name.last + 1
        owner_codes = name.countries if name.cls in ("country", "capital", "region", "admin") else ()
        owner = self.span_text(name.first, name.core_last)
        if name.cls in ("org", "person", "event", "skip", "seat", "adjective", "adjfacility"):
            return None
        # compass heads
        words = []
        k = h
        if self.low(k) == "far" and self.is_word(k + 1):
            words.append("far")
            k += 1
        key = lx.compass_key(t[k].text) if self.is_word(k) else ""
        if key in lx.COMPASS or key in _COMPASS_NOUN_TO_ADJ or key in _COMPASS_ADJ:
            adj = _COMPASS_NOUN_TO_ADJ.get(key) or _COMPASS_ADJ.get(key)
            if adj is None:
                adj = key
            head = " ".join(words + [key])
            end = k + 1
            region = lx.REGION_OF_COUNTRY.get((owner_codes[0] if owner_codes else "", head))
            if region:
                return Target(
                    start,
                    end,
                    name_first,
                    "within",
                    region,
                    "region",
                    owner_codes,
                    None,
                    direction_text,
                    names=[(name.first, end)],
                )
            kind = "within" if name.cls in ("country", "region", "admin") else "place"
            qual = " ".join(words + [adj]) if adj else None
            return Target(
                start, end, name_first, kind, owner, name.cls, owner_codes, None, qual, names=[(name.first, end)]
            )
        if words:
            return None
        low = self.low(h)
        if low in _POSS_NEAR_HEADS:
            return Target(
                start,
                h + 1,
                name_first,
                "near",
                owner,
                name.cls,
                owner_codes,
                None,
                direction_text,
                qualifier="outskirts" if low != "vicinity" else "vicinity",
                names=[(name.first, h + 1)],
            )
        if low in _POSS_CENTRE_HEADS and not (self.is_cap(h + 1)):
            kind = "within" if name.cls in ("country", "region", "admin") else "place"
            return Target(
                start,
                h + 1,
                name_first,
                kind,
                owner,
                name.cls,
                owner_codes,
                low,
                direction_text,
                names=[(name.first, h + 1)],
            )
        part = self._possessive_part(h)
        if part is not None:
            # "Bangui's 8th arrondissement", "Bocaranga's church", "Bangui's airport": a part or a
            # facility of the place, judged at the place
            end, feature = part
            kind = "within" if name.cls in ("country", "region", "admin") else "place"
            return Target(
                start,
                end,
                name_first,
                kind,
                owner,
                name.cls,
                owner_codes,
                feature,
                direction_text,
                names=[(name.first, end)],
            )
        if self.is_cap(h):
            if self.low(h) in _HARD_STOPS:
                return None
            inner = self.parse_name(h)
            if inner is None or inner.cls in ("org", "person", "event", "skip", "seat", "adjective"):
                return None
            if inner.poss:
                return None
            kind = "within" if inner.cls in ("country", "region", "admin") else "place"
            tgt = self.span_text(h, inner.core_last)
            if inner.cls == "region" and owner_codes and lx.fold(tgt) == "far east":
                region = lx.REGION_OF_COUNTRY.get((owner_codes[0], "far east"))
                if region:
                    tgt = region
            return Target(
                start,
                inner.last,
                name_first,
                kind,
                tgt,
                inner.cls,
                owner_codes or inner.countries,
                inner.feature,
                direction_text,
                names=[(name.first, inner.last)],
            )
        return None

    def _possessive_part(self, h: int) -> tuple[int, str | None] | None:
        """After a possessive, a part of the place ("8th arrondissement", "third and sixth
        districts", "Saltivka"-less "district") or a facility of it ("church", "airport"): the end
        token and the facility word (None for a part); None otherwise."""
        k = h
        while k < self.b and (
            _ORDINAL.fullmatch(self.low(k))
            or (k > h and self.low(k) in ("and", ","))
            or (k > h and self.low(k) in _ORDINAL_SUFFIXES and self.t[k - 1].kind == "n")  # "8" "th"
        ):
            k += 1
        if k >= self.b or not self.is_word(k) or self.is_cap(k):
            return None
        low = self.low(k)
        if self.low(k + 1) == "of" and k + 1 < self.b:
            return None  # "Gorlovka's suburb of Zaitsevo": the part has a name of its own
        if low in _POSS_PART_HEADS or low.rstrip("s") in _POSS_PART_HEADS:
            return k + 1, None
        if k == h:
            two = f"{low} {self.low(k + 1)}" if k + 1 < self.b and self.is_word(k + 1) else ""
            if two and lx.FEATURE_CLASS.get(two) == "facility":
                return k + 2, two
            if lx.FEATURE_CLASS.get(low) == "facility" and low not in _POSS_NOT_FACILITY or low in _POSS_BUILDINGS:
                return k + 1, low
        return None

    # ------------------------------------------------------------------ sentence loop
    def parse(self, s: Sentence) -> list[Item]:
        self.set_bounds(s.first, s.last)
        self.items: list[Item] = []
        self.last_name: tuple[int, str] | None = None  # (token end, target) of the last bare name
        self._memo = {}
        i = s.first
        t = self.t
        b = self.b
        lenient = self.lenient
        while i < b:
            tok = t[i]
            kind = tok.kind
            if kind in ("x", "u", "nl", "s"):
                i += 1
                continue
            low = tok.low
            # each matcher runs only where its first word can start it (a set lookup)
            nxt = None
            if kind == "n" or low in _DIST_FIRST or (kind == "w" and "-" in low):
                nxt = self.m_distance(i)
            if nxt is None and (low in _DIR_FIRST or _is_compass(low)):
                nxt = self.m_direction(i)
            if nxt is None and low in _NEAR_FIRST:
                nxt = self.m_near(i)
            if nxt is None and low in _LOC_FIRST:
                nxt = self.m_locative(i)
            if nxt is None and low in _MOTION_PREPS:
                nxt = self.m_motion(i)
            if nxt is None and low == "from":
                nxt = self.m_from(i)
            if nxt is None and low in lx.EXAMPLE_HEADS:
                nxt = self.m_examples(i)
            if nxt is None and kind in ("w", "a"):
                cap = tok.cap or (lenient and _lenient_word(low))
                if cap or low in _BORDER_WORDS:
                    nxt = self.m_border(i)
                if nxt is None and cap:
                    nxt = self.m_name(i)
            if nxt is None:
                i += 1
            else:
                i = max(nxt, i + 1)
        for item in self.items:
            item.sentence = s.index
        return self.items

    def _prev_end(self) -> int:
        return self.items[-1].last if self.items else self.a

    def emit(self, item: Item) -> None:
        self.items.append(item)

    # ------------------------------------------------------------------ anchors and context
    def _anchor(self, r: int) -> tuple[int, str | None]:
        """Extend a relational claim starting at token ``r`` to the left: an anchor verb
        ("situated", "training") or an unnamed facility noun phrase ("a training ground")."""
        floor = self._prev_end()
        k = r - 1
        if k < floor:
            return r, None
        if self.low(k) in lx.ANCHORS and self.t[k].kind == "w":
            return k, None
        # an unnamed facility NP ending at k
        for n in range(min(lx.FEATURE_MAX_WORDS, k - floor + 1), 0, -1):
            first = k - n + 1
            if not all(self.t[m].kind == "w" for m in range(first, k + 1)):
                continue
            key = " ".join(self.t[m].low for m in range(first, k + 1))
            cls = lx.FEATURE_CLASS.get(key)
            if cls not in ("facility", "settlement"):
                continue
            m = first - 1
            adjs = 0
            while (
                m >= floor
                and adjs < 3
                and self.t[m].kind == "w"
                and self.t[m].low not in _ARTICLES
                and (not self.t[m].cap or lx.LEXICON.get(self.t[m].low, None) is not None)
                and self.t[m].low not in _HARD_STOPS
                and self.t[m].low not in lx.ANCHORS
            ):
                m -= 1
                adjs += 1
            if m >= floor and self.t[m].low in _ARTICLES:
                return m, key
            return r, None
        return r, None

    def _motion_before(self, r: int, in_prep: bool) -> bool:
        """A verb of motion (or "to fight/be ...") earlier in the same clause."""
        k = r - 1
        steps = 0
        floor = self._prev_end()
        while k >= max(self.a, floor) and steps < 8:
            tok = self.t[k]
            if tok.kind == "p":
                if tok.text in _QUOTES:
                    k -= 1
                    continue
                break
            low = tok.low
            if low in _CLAUSE_BREAK_WORDS:
                break
            if in_prep:
                if low in lx.MOTION_IN_VERBS:
                    return True
                if low in lx.INTENT_VERBS and (
                    self.low(k - 1) == "to" or (self.low(k - 1) == "be" and self.low(k - 2) == "to")
                ):
                    return True
                if low in lx.MOTION_VERBS and low.endswith("ed") and self.low(k - 1) in ("be", "been"):
                    return True
            elif low in lx.MOTION_VERBS:
                return True
            k -= 1
            steps += 1
        return False

    def _context_reason(self, r: int) -> str:
        """A mention reason given by the words right before a locative at ``r``."""
        prev = self.low(r - 1)
        if prev in lx.EVENT_NOUNS:
            return "event"
        if prev in lx.OTHER_SUBJECT_VERBS:
            if self.low(r - 2) in lx.INCIDENT_NOUNS or self.low(r - 3) in lx.INCIDENT_NOUNS:
                return ""  # "Explosion reported in Sevastopol": where it happened
            return "other subject"  # "released in Kyiv"
        if self.low(r - 2) in lx.OTHER_SUBJECT_VERBS and self.is_word(r - 1) and prev not in lx.ANCHORS:
            return "other subject"  # "published today in Kyiv"
        return ""

    # ------------------------------------------------------------------ items from targets
    def _claim_item(
        self, start: int, tgt: Target, kind: str, relation_qual: str | None, anchor_feature: str | None
    ) -> Item:
        if kind == "place":
            first = tgt.name_first
            if self.low(first) in _ARTICLES:
                first += 1
            item = Item(first, tgt.last, "place", tgt.target)
        else:
            item = Item(start, tgt.last, kind, tgt.target)
        item.feature_hint = tgt.feature or anchor_feature
        item.countries = tgt.countries
        item.direction = tgt.direction
        item.qualifier = relation_qual or tgt.qualifier
        item.facility = tgt.feature is not None and lx.FEATURE_CLASS.get(tgt.feature.split()[-1]) == "facility"
        return item

    def _continuations(self, end: int, kind_of, reason: str = "") -> int:
        """ ", Y and Z" after a target: more items of the same relation; returns the new end."""
        while True:
            k = end
            if self.low(k) == "," and self.low(k + 1) in ("and", "or"):
                k += 2
            elif self.low(k) in (",", "and", "or", "&"):
                k += 1
            else:
                return end
            if self.low(k) == "the":
                k += 1
            if not self.is_cap(k):
                return end
            name = self.parse_name(k)
            if (
                name is None
                or name.cls in ("org", "person", "event", "skip", "seat", "adjective", "adjfacility")
                or name.poss
            ):
                return end
            tgt = self.span_text(k, name.core_last)
            kind = "within" if name.cls in ("country", "region", "admin") else "place"
            kind = kind_of(kind)
            item = Item(k, name.last, kind, tgt, reason, countries=name.countries, feature_hint=name.feature)
            self.emit(item)
            end = name.last

    def _trailing_direction(self, end: int) -> tuple[int, str | None]:
        """ "Central African Republic remote southeast", "CAR (north)"."""
        k = end
        paren = self.low(k) == "("
        if paren:
            k += 1
        words = []
        while self.low(k) in ("remote", "far", "extreme"):
            words.append(self.low(k))
            k += 1
        if not self.is_word(k):
            return end, None
        key = lx.compass_key(self.t[k].text)
        adj = _COMPASS_NOUN_TO_ADJ.get(key) or _COMPASS_ADJ.get(key)
        if adj is None:
            return end, None
        k += 1
        if paren:
            if self.low(k) != ")":
                return end, None
            k += 1
        elif self.is_word(k) and not self.t[k].cap:
            return end, None
        return k, " ".join(words + [adj])

    # ------------------------------------------------------------------ matchers
    def _number_at(self, i: int):
        """A number at ``i``: (value, end, is_range) or None. Digits, "1,500", "1,5", "12-13",
        number words ("a hundred", "twenty-five", "half a"), and a half ("one and a half", "2 and a
        half")."""
        found = self._number_at_plain(i)
        if found is None or found[2]:
            return found
        value, end, _ = found
        if self.low(end) == "and" and self.low(end + 1) in ("a", "an") and self.low(end + 2) == "half":
            return value + 0.5, end + 3, False
        return found

    def _number_at_plain(self, i: int):
        t = self.t
        tok = t[i] if self.a <= i < self.b else None
        if tok is None:
            return None
        if tok.kind == "n":
            value = _parse_number(tok.text)
            if value is None:
                return None
            end = i + 1
            if self.low(end) in ("-", "–", "to") and self.a <= end + 1 < self.b and t[end + 1].kind == "n":
                hi = _parse_number(t[end + 1].text)
                if (
                    hi is not None
                    and hi >= value
                    and (self.low(end) != "to" or t[end + 2 if end + 2 < self.b else end].low in lx.UNITS)
                ):
                    return (value + hi) / 2.0, end + 2, True
            return value, end, False
        if tok.kind != "w":
            return None
        low = tok.low
        if low == "half" and self.low(i + 1) in ("a", "an"):
            return 0.5, i + 2, False
        parts = low.split("-")
        if all(p in lx.NUMBER_WORDS and p not in ("a", "an", "half") for p in parts) and len(parts) <= 2:
            value = sum(lx.NUMBER_WORDS[p] for p in parts)
            end = i + 1
            if self.low(end) == "hundred":
                value = value * 100
                end += 1
            return float(value), end, False
        if low in ("a", "an"):
            nxt = self.low(i + 1)
            if nxt in ("hundred", "thousand", "dozen"):
                return float(lx.NUMBER_WORDS[nxt]), i + 2, False
            if nxt in lx.UNITS or (nxt == "nautical" and self.low(i + 2) in ("mile",)):
                return 1.0, i + 1, False
        return None

    def _unit_at(self, k: int):
        w1 = self.low(k)
        if (w1, self.low(k + 1)) in lx.TWO_WORD_UNITS:
            return lx.UNITS[w1 + " " + self.low(k + 1)], k + 2
        if w1 in lx.UNITS and self.t[k].kind == "w":
            if w1 == "m" and self.t[k].text != "m":
                return None
            if w1 in ("nm", "mi", "m") and not self._relation_follows(k + 1):
                return None
            return lx.UNITS[w1], k + 1
        return None

    def _relation_follows(self, k: int) -> bool:
        w = self.low(k)
        return (
            w in ("from", "of", "away", "outside", "beyond", "off", "to", "north", "south", "east", "west", "(")
            or lx.compass_key(w) in lx.COMPASS
            or (self.a <= k < self.b and self.t[k].text in lx.COMPASS_ABBREVIATIONS)
        )

    def _compass_at(self, k: int):
        """A compass point at ``k``: (abbreviation, end) or None."""
        if not self.is_word(k):
            return None
        tok = self.t[k]
        if tok.text in lx.COMPASS_ABBREVIATIONS and tok.text.isupper():
            return tok.text, k + 1
        key = lx.compass_key(tok.text)
        # "north east", "north-north east"
        if key in (
            "north",
            "south",
            "northnorth",
            "southsouth",
            "eastnorth",
            "eastsouth",
            "westnorth",
            "westsouth",
        ) and self.is_word(k + 1):
            second = lx.compass_key(self.t[k + 1].text)
            key2 = key + second
            if key2 in lx.COMPASS and second in ("east", "west", "northeast", "northwest", "southeast", "southwest"):
                return lx.COMPASS[key2], k + 2
        if key in lx.COMPASS:
            return lx.COMPASS[key], k + 1
        return None

    def _elided_target(self, start: int, end: int) -> tuple[str, int] | None:
        """The name just before a "(10 km south of)" or "Batangafo 10 km from" with no target."""
        if self.last_name is None:
            return None
        name_end, target = self.last_name
        k = name_end
        if self.low(k) == "(":
            k += 1
        if k != start:
            return None
        return target, end

    def m_distance(self, i: int):
        t = self.t
        j = i
        qualifier, n = self.match_table(i, _QUAL_TRIE)
        if n:
            j = i + n
        vague = False
        first_word = self.low(j)
        for words in lx.VAGUE_AMOUNTS if first_word in _VAGUE_FIRST else ():
            if self.match_words(j, words):
                vague = True
                num_end = j + len(words)
                value = None
                is_range = False
                break
        if not vague:
            got = self._number_at(j)
            if got is None:
                return None
            value, num_end, is_range = got
        k = num_end
        if self.low(k) in ("-", "–") and self.a <= k < self.b and t[k].kind == "p":
            k += 1
        unit = self._unit_at(k)
        if unit is None:
            return None
        factor, k = unit
        dist_end = k
        # "(115 miles)" conversion
        if self.low(k) == "(":
            got = self._number_at(k + 1)
            if got is not None:
                unit2 = self._unit_at(got[1])
                if unit2 is not None and self.low(unit2[1]) == ")":
                    k = unit2[1] + 1
                    dist_end = k
        direction = None
        coast_hint = None
        low = self.low(k)
        if low == "away":
            k += 1
            if self.low(k) == "from":
                k += 1
            elif self.low(k) == "(" and self.low(k + 1) == "from":
                k += 2
        elif low in ("from", "of", "beyond", "off"):
            k += 1
            # "off the coast of X", "from the centre of X"
            for words, hint in (
                (("the", "coast", "of"), "coast"),
                (("the", "centre", "of"), "centre"),
                (("the", "center", "of"), "centre"),
                (("the", "city", "of"), "city"),
                (("the", "town", "of"), "town"),
                (("the", "village", "of"), "village"),
            ):
                if self.match_words(k, words):
                    k += len(words)
                    coast_hint = hint
                    break
            else:
                coast_hint = None
        elif low == "outside":
            k += 2 if self.low(k + 1) == "of" else 1
        elif low in ("de", "du") and self.doc.description:
            # UCDP's French: "à 58 kilomètres de la ville de Kabo", "75 Km de Bambari"
            k += 1
            for words in (("la", "ville", "de"), ("la", "localité", "de"), ("la", "localite", "de")):
                if self.match_words(k, words):
                    k += len(words)
                    break
        elif self.doc.description and self.is_cap(k) and self._compass_at(k) is None:
            pass  # a description's "located 60 km Bambari": the distance from the name that follows
        elif low == "to" and self.low(k + 1) == "the" and self._compass_at(k + 2):
            direction, k = self._compass_at(k + 2)
            if self.low(k) not in ("of", "from"):
                return None
            k += 1
        else:
            comp = self._compass_at(k)
            if comp is None:
                return None
            direction, k = comp
            if self.low(k) not in ("of", "from"):
                return None
            k += 1
        tgt = self.parse_target(k) if k < self.b else None
        elided: tuple[str, int] | None = None
        if tgt is None:
            if k >= self.b or self.low(k) in (")", ",", ".", ";"):
                elided = self._elided_target(i, k)
            if elided is None:
                return None
        start, feat = self._anchor(i)
        if tgt is not None:
            # a distance to a border keeps the border phrase as its target
            item = Item(
                start,
                tgt.last,
                "distance",
                tgt.target,
                feature_hint=tgt.feature or coast_hint or feat,
                countries=tgt.countries,
            )
        else:
            assert elided is not None  # tgt is None and elided is None returned above
            target, end = elided
            item = Item(start, end, "distance", target, feature_hint=feat)
        item.direction = direction
        item.qualifier = "between" if is_range and qualifier is None else qualifier
        item.distance_text = self.span_text(i, dist_end)
        if vague:
            item.kind = "near"
            item.qualifier = "a few km" if factor == 1.0 else "vague distance"
        else:
            item.distance_km = _round_km(value * factor)
        reason = ""
        if tgt is not None and tgt.kind != "border":
            reason = self._context_reason(i)
        item.mention_reason = reason
        self.emit(item)
        return item.last

    def m_direction(self, i: int):
        k = i
        qualifier = None
        if self.low(k) in ("just", "due", "directly", "immediately", "slightly", "somewhat"):
            qualifier = "just" if self.low(k) != "due" else "due"
            k += 1
        if self.low(k) == "to" and self.low(k + 1) == "the":
            k += 2
        elif self.low(i - 1) in ("the",) and k == i:
            return None  # "the south of Ukraine": a region, not a bearing
        comp = self._compass_at(k)
        if comp is None:
            return None
        direction, k = comp
        if (
            len(direction) <= 3
            and self.t[k - 1].text == direction
            and self.t[k - 1].text.isupper()
            and len(direction) == 1
            and not self.is_cap(k + 1)
        ):
            return None
        if self.low(k) != "of":
            return None
        tgt = self.parse_target(k + 1)
        elided: tuple[str, int] | None = None
        if tgt is None:
            if k + 1 >= self.b or self.low(k + 1) in (")", ",", "."):
                elided = self._elided_target(i, k + 1)
            if elided is None:
                return None
        start, feat = self._anchor(i)
        if tgt is not None:
            item = Item(
                start,
                tgt.last,
                "direction",
                tgt.target,
                feature_hint=tgt.feature or feat,
                countries=tgt.countries,
                direction=direction,
                qualifier=qualifier,
            )
            item.mention_reason = self._context_reason(i)
        else:
            assert elided is not None  # tgt is None and elided is None returned above
            target, end = elided
            item = Item(start, end, "direction", target, feature_hint=feat, direction=direction, qualifier=qualifier)
        self.emit(item)
        return item.last

    def m_near(self, i: int):
        qual, n = self.match_table(i, _NEAR_TRIE)
        if not n:
            return None
        if qual == "around" and self._number_at(i + 1) is not None:
            return None
        tgt = self.parse_target(i + n)
        if tgt is None or tgt.kind == "near" or tgt.cls == "adjfacility":
            return None
        if qual == "along" and tgt.kind != "border":
            return None
        start, feat = self._anchor(i)
        kind = "border" if tgt.kind == "border" else "near"
        item = self._claim_item(start, tgt, kind, qual, feat)
        item.first = start
        if self._motion_before(i, False) and qual in ("outside",):
            item.mention_reason = "destination"
        else:
            item.mention_reason = self._context_reason(i)
        self.emit(item)
        end = self._continuations(tgt.last, lambda k: "near", item.mention_reason) if kind == "near" else tgt.last
        return end

    def m_locative(self, i: int):
        qual, n = self.match_table(i, _LOC_TRIE)
        if not n:
            return None
        first_word = self.low(i)
        k = i + n
        if first_word == "in" and n == 1 and self.match_words(k, ("the", "direction", "of")):
            # "40 km east of Ippy in the direction of Bambari": the way it lies, not Bambari
            return self._destination(k + 3)
        # "in the east of Ukraine", "in the far east of Russia"
        direction = None
        if first_word == "in" and n == 1 and self.low(k) == "the":
            m = k + 1
            words = []
            if self.low(m) == "far":
                words.append("far")
                m += 1
            key = lx.compass_key(self.t[m].text) if self.is_word(m) else ""
            adj = _COMPASS_NOUN_TO_ADJ.get(key)
            if adj and self.low(m + 1) == "of":
                head = " ".join(words + [key])
                direction = (head, " ".join(words + [adj]))
                k = m + 2
        if first_word == "within" and self._number_at(k) is not None:
            return None
        tgt = self.parse_target(k)
        if tgt is None:
            # "in Korean": a language; consume the adjective silently
            name = self.parse_name(k) if self.is_cap(k) else None
            if name is not None and name.cls == "adjective" and first_word == "in" and not name.title_follows:
                nxt = name.last
                if nxt >= self.b or self.t[nxt].kind == "p" or self.low(nxt) in lx.LANGUAGE_FOLLOWERS:
                    return nxt
            return None
        if (
            first_word == "on"
            and n == 1
            and not (
                tgt.kind in ("border", "near")
                or tgt.cls == "adjfacility"
                or (tgt.feature and lx.FEATURE_CLASS.get(tgt.feature.split()[-1]) in ("facility", "natural"))
                or tgt.feature in _ROAD_NOUNS  # "on the Bria-Ippy road"
            )
        ):
            return None
        if first_word in ("throughout", "across") and tgt.kind not in ("within",):
            return None
        if first_word in ("over", "above") and tgt.kind == "border":
            return None
        if tgt.kind == "near":
            kind = "near"
        elif tgt.kind == "border":
            kind = "border"
            qual = qual or first_word
        else:
            kind = tgt.kind
        if direction is not None:
            head, adj = direction
            region = lx.REGION_OF_COUNTRY.get((tgt.countries[0] if tgt.countries else "", head))
            if region:
                tgt.target = region
                tgt.cls = "region"
            else:
                tgt.direction = adj
            kind = "within" if tgt.kind != "border" else "border"
        start, feat = self._anchor(i)
        item = self._claim_item(start, tgt, kind, qual if kind != "place" else None, feat)
        if kind == "place":
            item.qualifier = qual
        # roles by context: only "in"/"inside" can follow a verb of motion ("deployed in")
        if first_word in ("in", "inside") and self._motion_before(i, True):
            item.mention_reason = "destination"
        else:
            item.mention_reason = self._context_reason(i)
        self.emit(item)
        end = tgt.last
        if kind in ("within",) and tgt.cls in ("country", "region", "admin"):
            new_end, tdir = self._trailing_direction(end)
            if tdir:
                item.direction = tdir if not item.direction else f"{item.direction} {tdir}"
                item.last = new_end
                end = new_end
        if kind in ("place", "within"):
            reason = item.mention_reason
            end = self._continuations(end, lambda kk: kk, reason)
        return end

    def _road_between(self, name: str, k: int) -> str | None:
        """The road noun at ``k`` after two places joined by a dash ("Bria-Ippy road", "Bangui–Damara
        highway"): the road between them, not a street named after a place; else None."""
        noun = self.low(k)
        return noun if noun in _ROAD_NOUNS and _TWO_NAMES.fullmatch(name) else None

    def _formation_after(self, k: int) -> int | None:
        """The end of a lower-case military formation word at ``k`` (after a parenthesis of at most
        four tokens: "Skhid (East) operational-tactical group"), or None."""
        if self.low(k) == "(":
            for m in range(k + 1, min(k + 6, self.b)):
                if self.low(m) == ")":
                    k = m + 1
                    break
            else:
                return None
        words: list[str] = []
        m = k
        while m < self.b and len(words) < 4 and self.t[m].kind == "w" and not self.t[m].cap:
            words.append(self.t[m].low)
            m += 1
            if " ".join(words) in _FORMATIONS:
                return m
        return None

    def m_motion(self, i: int):
        low = self.low(i)
        if low not in _MOTION_PREPS:
            return None
        prev = self.low(i - 1)
        locating = prev in lx.LOCATING_VERBS and low == "to"
        dest = False
        if not locating:
            if low == "for":
                dest = prev in ("bound", "headed", "left", "leave", "leaving", "heading", "departed")
            else:
                dest = (
                    self._motion_before(i, False)
                    or (prev == "route" and self.low(i - 2) == "en")
                    or (prev == "way" and self.low(i - 2) in ("the", "its", "their", "his", "her"))
                    # "on the axis Kamba-Kota - Ouogo towards Markounda": a heading, not where it was
                    # ("the road towards Ouadda" stays a claim: the road it names is read as a line)
                    or (low in _HEADING_PREPS and prev not in _ROAD_NOUNS)
                )
            if not dest:
                return None
        if not locating:
            return self._destination(i + 1)
        tgt = self.parse_target(i + 1)
        if tgt is None:
            return None
        start, feat = self._anchor(i)
        kind = "border" if tgt.kind == "border" else tgt.kind
        item = self._claim_item(start, tgt, kind, None, feat)
        self.emit(item)
        return tgt.last

    def _destination(self, j: int):
        """The target at ``j`` as a ``destination`` mention (where someone went, or the way a road
        leads), with the names listed after it; None when no target starts there."""
        tgt = self.parse_target(j)
        if tgt is None:
            return None
        first = tgt.name_first
        if self.low(first) in _ARTICLES:
            first += 1
        item = Item(
            first,
            tgt.last,
            tgt.kind if tgt.kind != "near" else "near",
            tgt.target,
            "destination",
            countries=tgt.countries,
            feature_hint=tgt.feature,
            direction=tgt.direction,
        )
        self.emit(item)
        return self._continuations(tgt.last, lambda k: k, "destination")

    def m_from(self, i: int):
        if self.low(i) != "from":
            return None
        j = i + 1
        for phrase in (("the", "direction", "of"), ("the", "side", "of"), ("direction", "of")):
            if self.match_words(j, phrase):  # "fired on X from the direction of Y": Y is an origin
                j += len(phrase)
                break
        tgt = self.parse_target(j)
        if tgt is None:
            return None
        prev = self.low(i - 1)
        if prev in _CUE_NOUNS_FROM or prev in lx.VANTAGE_VERBS:
            # "footage from Kramatorsk", "a picture taken from southern Israel"; a provider
            # ("images from Maxar") is not a place: the target must be known or carry a feature
            if (
                tgt.cls == "unknown"
                and not tgt.feature
                and not tgt.countries
                and not self._strong_name_text(tgt.target)
            ):
                return None
            start, feat = self._anchor(i)
            kind = "border" if tgt.kind == "border" else tgt.kind
            item = self._claim_item(start, tgt, kind, None, feat)
            self.emit(item)
            return tgt.last
        first = tgt.name_first + (1 if self.low(tgt.name_first) in _ARTICLES else 0)
        self.emit(Item(first, tgt.last, tgt.kind, tgt.target, "origin", countries=tgt.countries))
        return self._continuations(tgt.last, lambda k: k, "origin")

    def m_examples(self, i: int):
        if self.low(i) not in lx.EXAMPLE_HEADS:
            return None
        k = i + 1
        if self.low(k) == "like" or self.low(k) == "including":
            k += 1
        elif self.low(k) == "such" and self.low(k + 1) == "as":
            k += 2
        else:
            return None
        if self.low(k) == "the":
            k += 1
        name = self.parse_name(k)
        if name is None or name.cls in ("org", "person", "event", "skip"):
            return None
        kind = "within" if name.cls in ("country", "region", "admin") else "place"
        self.emit(Item(k, name.last, kind, self.span_text(k, name.core_last), "example list", countries=name.countries))
        return self._continuations(name.last, lambda kk: kk, "example list")

    def m_border(self, i: int):
        if not (self.low(i) in _BORDER_WORDS or self.is_cap(i)):
            return None
        k = i
        tgt = self.parse_border(k)
        if tgt is None:
            return None
        self.emit(Item(tgt.first, tgt.last, "border", tgt.target, "named in passing", countries=tgt.countries))
        return tgt.last

    def m_name(self, i: int):
        if not self.is_cap(i):
            return None
        name = self.parse_name(i)
        if name is None:
            return None
        t = self.t
        prev = self.low(i - 1)
        end = name.last
        text = self.span_text(i, name.core_last)
        cls = name.cls
        if cls in ("person", "skip"):
            return end
        if cls == "org":
            if name.lex_last > 0 and name.lex_cls in ("country", "adjective", "capital", "region"):
                self.emit(
                    Item(
                        i,
                        name.lex_last,
                        "within" if name.lex_cls != "capital" else "place",
                        self.span_text(i, name.lex_last),
                        "organisation",
                        countries=name.lex_countries,
                    )
                )
            self._org_inner_mentions(name.lex_last if name.lex_last > 0 else i, end)
            return end
        if cls == "event":
            if name.lex_last > 0:
                self.emit(
                    Item(i, end, "within", self.span_text(i, name.lex_last), "event name", countries=name.lex_countries)
                )
            return end
        formation = self._formation_after(end)
        if formation is not None:
            # "the Skhid (East) operational-tactical group", "the Khortytsia group of forces": a military
            # formation named after a place or a word, not the place
            self.emit(Item(i, name.core_last, "place", text, "organisation", countries=name.countries))
            return formation
        # "(near)" after a name in a description: "Bambari (near)"
        if (
            self.low(end) == "("
            and self.low(end + 1) in ("near", "outside", "around", "vicinity", "nearby")
            and self.low(end + 2) == ")"
        ):
            kind_q = self.low(end + 1)
            item = Item(
                i,
                end + 3,
                "near",
                text,
                countries=name.countries if cls in ("country", "region", "admin") else (),
                feature_hint=name.feature,
                qualifier="near" if kind_q in ("near", "nearby") else kind_q,
            )
            self.emit(item)
            self.last_name = (end, text)
            return end + 3
        if name.poss:
            return self._possessive_bare(name, prev)
        if cls == "adjective":
            if self._prefix_feature(end) is not None:
                # "the Ukrainian town of Pokrovsk": the adjective gives the country of the town
                tgt = self.parse_target(i)
                if tgt is not None and tgt.names:
                    k0, k1 = tgt.names[0]
                    # a name with a feature word ("town"): a claim when the sentence is about the subject
                    item = Item(k0, k1, tgt.kind, tgt.target, countries=tgt.countries, feature_hint=tgt.feature)
                    self.last_name = (k1, tgt.target)
                    self.emit(Item(i, end, "within", text, "nationality", countries=name.countries))
                    self.emit(item)
                    return k1
            if name.title_follows:
                self.emit(Item(i, end, "within", text, "nationality", countries=name.countries))
                return end
            nxt = end
            final = nxt >= self.b or (t[nxt].kind == "p" and t[nxt].text in (".", "!", "?", "…") and nxt + 1 >= self.b)
            if not final and (t[nxt].kind == "p" or self.low(nxt) in lx.LANGUAGE_FOLLOWERS):
                return end  # a language ("Russian and Korean text"), or unclear
            self.emit(Item(i, end, "within", text, "nationality", countries=name.countries))
            return end
        if cls == "adjfacility":
            country = self._country_name(name, i)
            # "a Russian military base in Syria": the adjective says who holds it
            after = end
            if (
                self.low(after) in ("in", "near", "at", "outside", "inside")
                and self.is_cap(after + 1)
                and self.parse_target(after + 1) is not None
            ):
                self.emit(Item(i, name.core_last, "within", text, "nationality", countries=name.countries))
                return name.core_last
            first = i
            if self.low(i - 1) in _ARTICLES and i - 1 >= self._prev_end():
                first = i - 1
            item = Item(
                first,
                end,
                "within",
                country,
                countries=name.countries,
                feature_hint=name.feature,
                bare=False,
                facility=True,
            )
            item.mention_reason = self._context_reason(first)
            self.emit(item)
            return end
        if cls == "seat":
            self.emit(Item(i, end, "within", text, "government (seat)", countries=name.countries))
            return end
        kind = "within" if cls in ("country", "region", "admin") else "place"
        countries = name.countries
        road = self._road_between(text, end) if name.feature is None else None
        if road:  # "Bouar-Yéléwa road" as a description
            name = replace(name, feature=road, last=end + 1)
            end += 1
        prefix = self._prefix_before(i)
        if prefix is not None:
            # "the village of Robotyne": the prefix decides what the name is
            feat, fcls = prefix
            kind = "within" if fcls == "admin" else "place"
            countries = name.countries if cls == "capital" else ()
            cls = "named" if cls in ("country", "capital", "unknown", "place") else cls
            if name.feature is None:
                name = replace(name, feature=feat)
        item = Item(i, end, kind, text, countries=countries, feature_hint=name.feature, bare=True)
        item.facility = name.feature_cls == "facility"
        self.last_name = (end, text)
        if prev == "of" and self.low(i - 2) in lx.EVENT_NOUNS:
            item.mention_reason = "event"
        elif cls == "capital":
            actor = prev == "by" or self.low(end) in lx.ACTOR_VERBS
            if self.doc.description and not actor:
                item.mention_reason = ""
            else:
                item.mention_reason = "government (capital)"
        elif cls == "country":
            if name.title_follows:
                item.mention_reason = "nationality"
            elif prev == "by" or self.low(end) in lx.ACTOR_VERBS:
                item.mention_reason = "government"
            else:
                item.mention_reason = "named in passing"
        elif cls in ("unknown",):
            if not self.doc.description and not self._strong_bare(name):
                return end
            if (
                self.doc.description
                and name.feature is None
                and not self._description_position(i, end)
                and not self._strong_bare(name)
            ):
                return end  # "Footage from ...", "the Study of War": not where a description names places
            item.mention_reason = "named in passing"
        elif cls == "place":
            if not self.doc.description and not self._strong_bare(name):
                return end
            item.mention_reason = "named in passing"
        else:
            item.mention_reason = "named in passing"
        if name.feature is not None and cls in ("named", "unknown", "place", "admin"):
            # a name with a feature word ("the Sergeevka training ground", "the town of Pokrovsk",
            # "Kursk Oblast"): a claim when the sentence is about the subject
            item.mention_reason = ""
            item.bare = False
        if self.doc.description and item.mention_reason == "named in passing" and prev != "by":
            item.mention_reason = ""
        if kind == "within" and cls in ("country", "region", "admin"):
            new_end, tdir = self._trailing_direction(end)
            if tdir:
                item.direction = tdir
                item.last = end = new_end
        self.emit(item)
        if self.doc.description or item.mention_reason:
            reason = item.mention_reason
            return self._continuations(end, lambda k: k, reason) if reason else end
        return end

    def _prefix_before(self, i: int):
        """ "town of", "village of", "the capital" right before ``i``: (feature, class) or None."""
        k = i - 1
        if self.low(k) == "the":
            k -= 1
        if self.low(k) == "of":
            k -= 1
        elif self.low(k) not in ("capital",):
            return None
        for n in (2, 1):
            if k - n + 1 < self.a:
                continue
            key = " ".join(self.low(m) for m in range(k - n + 1, k + 1))
            cls = lx.PREFIX_FEATURES.get(key)
            if cls is not None:
                return key, cls
        return None

    def _strong_name_text(self, text: str) -> bool:
        found = self.resolve(text)
        return found is not None and found[3] >= 0.99

    def _description_position(self, i: int, end: int) -> bool:
        """Where a description names places: at its start, after a comma, parenthesis or
        "and", or right before punctuation, a number, a feature or a relation word
        ("Bria, about 600 km ...", "Akiou 10 km from Bambari", "(of Sibut, a town ...")."""
        k = i - 1
        while k >= self.a and self.t[k].kind == "p" and self.t[k].text in _QUOTES:
            k -= 1
        follows = self._name_like_follower(end)
        if k < self.a:
            return follows or end - i > 1
        prev = self.t[k]
        if prev.kind == "p" and prev.text in ",;:()[]/-—–•":
            return True
        return prev.low in ("and", "or", "&") or follows

    def _name_like_follower(self, k: int) -> bool:
        """What may follow a place name that opens a description: punctuation, the end,
        a number ("Akiou 10 km from"), a relation word ("Ardo-Djobi near Bambari")."""
        if k >= self.b:
            return True
        tok = self.t[k]
        if tok.kind in ("p", "n", "nl"):
            return True
        low = tok.low
        return (
            low
            in (
                "near",
                "nearby",
                "in",
                "at",
                "on",
                "outside",
                "close",
                "not",
                "between",
                "and",
                "or",
                "along",
                "around",
                "off",
                "beyond",
                "inside",
                "within",
            )
            or lx.compass_key(low) in lx.COMPASS
            or low in lx.FEATURE_CLASS
        )

    def _strong_bare(self, name: Name) -> bool:
        """A bare unknown name in prose counts as a place only when the gazetteer knows
        it well (an exact, populous or administrative match)."""
        if self.lookup is None:
            return False
        found = self.resolve(self.span_text(name.first, name.core_last))
        if found is None:
            return False
        rcls, _codes, pop, score = found
        if score < 0.99:
            return False
        return rcls in ("country", "admin", "region", "site", "capital") or (pop or 0) >= 100_000

    def _government_head(self, h: int) -> bool:
        """ "Kyiv's long-standing apprehensions", "Ukraine's military intelligence chief":
        a noun of government within the next three words after a possessive."""
        for k in range(h, min(h + 4, self.b)):
            tok = self.t[k]
            if tok.kind not in ("w", "a"):
                return False
            if tok.low in lx.GOVERNMENT_HEADS or (tok.cap and tok.low in lx.PERSON_TITLES):
                return True
            if tok.cap and k > h:
                return False
        return False

    def _org_inner_mentions(self, k: int, end: int) -> None:
        """Country names inside an organisation's name ("... Security of Ukraine")."""
        while k < end:
            entry, j = self.lex_match(k)
            if entry is not None and j <= end and entry.cls in ("country", "adjective", "capital"):
                if self.low(k - 1) == "of":
                    self.emit(Item(k, j, "within", self.span_text(k, j), "organisation", countries=entry.countries))
                k = j
                continue
            k += 1

    def _possessive_bare(self, name: Name, prev: str) -> int:
        """A possessive name with no relation word before it."""
        i = name.first
        h = name.last + 1
        text = self.span_text(i, name.core_last)
        cls = name.cls
        countries = name.countries
        if self.is_cap(h):
            inner = self.parse_name(h)
            if inner is not None and inner.cls == "org":
                self.emit(Item(i, name.last, "within", text, "organisation", countries=countries))
                return inner.last
            if inner is not None and inner.cls not in ("person", "skip", "event", "seat", "adjective"):
                tgt = self._possessive_target(i, i, name, None)
                if tgt is not None:
                    item = Item(
                        i,
                        tgt.last,
                        tgt.kind if tgt.kind != "near" else "near",
                        tgt.target,
                        "named in passing",
                        countries=tgt.countries,
                        feature_hint=tgt.feature,
                        bare=True,
                    )
                    item.facility = (
                        tgt.feature is not None and lx.FEATURE_CLASS.get(tgt.feature.split()[-1]) == "facility"
                    )
                    if item.facility:
                        item.mention_reason = ""
                        item.bare = False
                    if self.doc.description:
                        item.mention_reason = ""
                    self.emit(item)
                    return tgt.last
        if cls in ("unknown", "place", "named") and not self.doc.description and not self._strong_bare(name):
            return name.last + 1
        if cls in ("person", "org", "skip", "event"):
            return name.last + 1
        if self._government_head(h):
            reason = (
                "government (capital)" if cls == "capital" else ("government (seat)" if cls == "seat" else "government")
            )
            self.emit(Item(i, name.last, "within" if cls != "capital" else "place", text, reason, countries=countries))
            return name.last + 1
        tgt = self._possessive_target(i, i, name, None)
        if tgt is not None:
            item = Item(
                i,
                tgt.last,
                tgt.kind,
                tgt.target,
                "named in passing",
                countries=tgt.countries,
                direction=tgt.direction,
                bare=True,
            )
            if self.doc.description:
                item.mention_reason = ""
            self.emit(item)
            return tgt.last
        kind = "within" if cls in ("country", "region", "admin") else "place"
        self.emit(Item(i, name.last, kind, text, "named in passing", countries=countries))
        return name.last + 1


_QUAL_FIRST = frozenset(k[0] for k in lx.QUALIFIERS)
_EVENT_AFTER_NAME = frozenset(
    {"war", "wars", "conflict", "crisis", "invasion", "offensive", "counteroffensive", "counter-offensive", "incursion"}
)
_END = object()


def _trie(table: dict) -> dict:
    """{("on", "the", "outskirts", "of"): v} -> nested dicts keyed by word, value under _END."""
    root: dict = {}
    for words, value in table.items():
        node = root
        for w in words:
            node = node.setdefault(w, {})
        node[_END] = value
    return root


_QUAL_TRIE = _trie(lx.QUALIFIERS)
_NEAR_TRIE = _trie(_NEAR_PHRASES)
_LOC_TRIE = _trie(_LOCATIVE_PHRASES)
_DIST_FIRST = _QUAL_FIRST | frozenset(w[0] for w in lx.VAGUE_AMOUNTS) | frozenset(lx.NUMBER_WORDS)
_FEATURE_FIRST = frozenset(k.split()[0] for k in lx.FEATURE_CLASS)
_VAGUE_FIRST = frozenset(w[0] for w in lx.VAGUE_AMOUNTS)
_DIR_FIRST = frozenset({"just", "due", "directly", "immediately", "slightly", "somewhat", "to"})


def _identifier_at(t: list[Token], i: int) -> bool:
    """Is token ``i`` a capital code glued to a number, an identifier and not a place: "MSR1" (a main
    supply road), "UGA-2013-1-151-13" (an event id), "T-0513" (a road)? ("MSR" and "UGA" are the ISO
    codes of Montserrat and Uganda; UCDP CAR rows have both.)"""
    tok = t[i]
    if not (tok.kind == "w" and tok.text.isupper() and tok.text.isalpha() and len(tok.text) <= 4):
        return False
    n = len(t)
    if i + 1 >= n or t[i + 1].start != tok.end:
        return False
    nxt = t[i + 1]
    if nxt.kind == "n":
        return True
    return nxt.text in ("-", "‑", "–") and i + 2 < n and t[i + 2].kind == "n" and t[i + 2].start == nxt.end


@lru_cache(maxsize=4096)
def _is_compass(low: str) -> bool:
    """Is this (lower-case) word a compass point or its abbreviation?"""
    return lx.compass_key(low) in lx.COMPASS or low.upper() in lx.COMPASS_ABBREVIATIONS


def _lenient_word(low: str) -> bool:
    """May a lower-case word be (part of) a name in a typed ``--claim``?"""
    return not (
        low in _HARD_STOPS
        or low in lx.FEATURE_CLASS
        or low in _BORDER_WORDS
        or low in lx.UNITS
        or low in lx.NUMBER_WORDS
        or lx.compass_key(low) in lx.COMPASS
        or low in _COMPASS_ADJ
        or low in lx.MONTHS_DAYS
        or low in _NEAR_FIRST
        or low in ("nautical", "away", "just", "due", "about", "some")
    )


def _parse_number(text: str) -> float | None:
    """ "20" -> 20, "2,600" -> 2600, "1.5" -> 1.5, "1,5" -> 1.5 (a decimal comma)."""
    try:
        if "," in text and "." not in text:
            head, _, tail = text.partition(",")
            if (
                len(tail) == 3
                and tail.isdigit()
                and text.count(",") >= 1
                and all(len(p) == 3 for p in text.split(",")[1:])
            ):
                return float(text.replace(",", ""))
            if text.count(",") == 1 and 1 <= len(tail) <= 2:
                return float(head + "." + tail)
            return None
        if "," in text and "." in text:
            return float(text.replace(",", ""))
        if text.count(".") > 1:
            return None
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value


def _round_km(value: float) -> float:
    return round(value, 6)
