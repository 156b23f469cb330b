"""What a document says about where it is: the evidence :mod:`geoverify.gazetteer.rank` weighs.

:class:`DocumentContext` reads a text once (the gazetteer keeps the last few): every run of capitalised
words ("Plumas County, California", "Bulacan", "W.Va."), with its sub-runs of up to
:data:`MAX_WORDS` words, is looked up exactly (fold key) in the index in one query. Each mention
spreads its weight over the places it may name, by a prior (a country or a first-level region
before a populated place of the same name, larger places before smaller ones); the sums per
country and per first-level region, over the whole text and near the query's own mentions, are
the context evidence; the places and districts a mention names outright (most of its weight) are the text's points,
for closeness. ``X, Y`` pairs ("Dover, Del.", "Pandi, Bulacan") are qualifiers: of the query when X is the query's
name, and of X itself otherwise ("Erie County, New York" is the New York county); the ``Y`` of a later
mention of the query's name, when its first mention is not so written, is a namesake elsewhere ("Boston is a town
in Erie County, New York ... named after Boston, Massachusetts") and not evidence near the name.

Single capitalised words that the text also uses in lower case ("May", "Golf", "Blue") are not
taken as place mentions, nor are populated places under :data:`MIN_CONTEXT_POPULATION`
inhabitants or names of fewer than four letters (codes, initials).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from geoverify.gazetteer import names as N

#: Longest sub-run looked up (words).
MAX_WORDS = 5
#: A sub-run followed by one of these words in its run names the river, not a place ("Colorado River", "Ohio
#: River" are no mentions of the states: Parker, Arizona "on the Colorado River" went to Parker, Colorado). Other
#: feature words were measured and left out: county names are evidence of their state through the towns of the
#: name ("Ashtabula County" -> Ashtabula, Ohio; skipping "county", "township", "parish" lost 9 WikToR toponyms net).
WATER_WORDS = frozenset({"river", "creek"})
#: Lower-case words that may join the capitalised words of one name ("Bay of Biscay", "Rio de Janeiro").
CONNECTORS = frozenset(
    {
        "of",
        "de",
        "del",
        "la",
        "le",
        "du",
        "des",
        "da",
        "do",
        "dos",
        "das",
        "upon",
        "on",
        "am",
        "an",
        "der",
        "di",
        "el",
        "al",
        "y",
        "the",
    }
)
#: Populated places smaller than this are not used as evidence about a text's country or region.
MIN_CONTEXT_POPULATION = 1000
#: Prior weight of each kind as context evidence (populated places by population, see :func:`entry_prior`).
CONTEXT_KIND_PRIOR = {"country": 1.0, "admin1": 0.6, "region": 0.5, "admin2": 0.4, "district": 0.4}
#: How many times one mention counts at most.
MAX_MENTION_COUNT = 3
#: "Near" a mention of the query: from LOCAL_BEFORE characters before it to LOCAL_AFTER after it.
LOCAL_BEFORE = 100
LOCAL_AFTER = 200
#: Weight of the query's later mentions against its first (writers disambiguate at the first mention).
LATER_MENTION_WEIGHT = 0.4
#: Share of a mention's weight a place needs to count as a point of the text (for closeness).
POINT_SHARE = 0.5
#: The kinds whose mentions are points of the text: populated places and districts ("Loudoun County, Virginia"
#: places Waterford, Virginia against the Waterfords of Pennsylvania).
POINT_KINDS = ("place", "admin2")
#: The strongest this many places of a text are used for ``closeness``.
MAX_POINTS = 40
#: How much a populated place's mention says about its first-level region (a region's own mention: 1).
PLACE_TO_ADMIN1 = 0.3
#: How much a country adjective or demonym says about where the text is ("the French and Indian War", "an
#: American privateer" are not about the place), against a country's own name (1) ...
ADJECTIVE_WEIGHT = 0.4
#: ... and when it qualifies a kind of place ("a Canadian village", "the English county of Suffolk").
ADJECTIVE_PLACE_WEIGHT = 1.5
#: The nouns after which an adjective says where a place is.
PLACE_NOUNS = frozenset(
    {
        "village",
        "villages",
        "town",
        "towns",
        "city",
        "cities",
        "county",
        "counties",
        "state",
        "province",
        "provinces",
        "region",
        "regions",
        "capital",
        "port",
        "island",
        "islands",
        "hamlet",
        "municipality",
        "community",
        "communities",
        "suburb",
        "district",
        "districts",
        "territory",
        "coast",
        "border",
        "border town",
        "parish",
        "settlement",
        "borough",
        "commune",
        "prefecture",
        "oblast",
        "township",
        "locality",
        "resort",
        "river",
        "lake",
        "mountain",
        "mountains",
        "valley",
        "countryside",
    }
)
_NEXT_WORD = re.compile(r"[\s\-]*([^\W\d_][\w'’]*)")

#: Abbreviations of US states (AP style), Canadian provinces and Australian states: folded -> ISO 3166-2.
#: Two-letter postal codes count only as the qualifier of an ``X, ST`` pair (see :data:`POSTAL`).
ABBREVIATIONS = {
    "ala": "US-AL",
    "ariz": "US-AZ",
    "ark": "US-AR",
    "calif": "US-CA",
    "cal": "US-CA",
    "colo": "US-CO",
    "conn": "US-CT",
    "del": "US-DE",
    "fla": "US-FL",
    "ga": "US-GA",
    "ill": "US-IL",
    "ind": "US-IN",
    "kan": "US-KS",
    "kans": "US-KS",
    "ky": "US-KY",
    "la": "US-LA",
    "md": "US-MD",
    "mass": "US-MA",
    "mich": "US-MI",
    "minn": "US-MN",
    "miss": "US-MS",
    "mo": "US-MO",
    "mont": "US-MT",
    "neb": "US-NE",
    "nebr": "US-NE",
    "nev": "US-NV",
    "n h": "US-NH",
    "n j": "US-NJ",
    "n m": "US-NM",
    "n mex": "US-NM",
    "n y": "US-NY",
    "n c": "US-NC",
    "n d": "US-ND",
    "n dak": "US-ND",
    "okla": "US-OK",
    "ore": "US-OR",
    "oreg": "US-OR",
    "pa": "US-PA",
    "penn": "US-PA",
    "penna": "US-PA",
    "r i": "US-RI",
    "s c": "US-SC",
    "s d": "US-SD",
    "s dak": "US-SD",
    "tenn": "US-TN",
    "tex": "US-TX",
    "vt": "US-VT",
    "va": "US-VA",
    "wash": "US-WA",
    "w va": "US-WV",
    "wis": "US-WI",
    "wisc": "US-WI",
    "wyo": "US-WY",
    "d c": "US-DC",
    "nsw": "AU-NSW",
    "qld": "AU-QLD",
    "vic": "AU-VIC",
    "tas": "AU-TAS",
    "ont": "CA-ON",
    "b c": "CA-BC",
    "que": "CA-QC",
    "alta": "CA-AB",
    "sask": "CA-SK",
    "man": "CA-MB",
    "nfld": "CA-NL",
    "n s": "CA-NS",
    "p e i": "CA-PE",
    "n b": "CA-NB",
}
#: US state postal codes, used only after a comma ("Springfield, IL").
POSTAL = {
    c.lower(): f"US-{c}"
    for c in (
        "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
        "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
    ).split()
}

_UPPER = "".join(
    sorted(
        {chr(i) for i in range(0x250) if chr(i).isupper()} | {chr(i) for i in range(0x370, 0x530) if chr(i).isupper()}
    )
)
#: One word: letters, apostrophes, hyphens; a trailing period or initials ("W.Va.", "U.S.") kept.
_WORD_SRC = r"[^\W\d_][\w'’\-]*(?:\.(?:[^\W\d_]{1,3}\.)*)?"
_CAP_SRC = rf"[{re.escape(_UPPER)}]" + _WORD_SRC[len("[^\\W\\d_]") :]
_CONNECT_SRC = "|".join(sorted(CONNECTORS, key=len, reverse=True))
#: A run of capitalised words, connectors allowed between two of them ("Bay of Biscay").
_RUN = re.compile(rf"(?<![\w.]){_CAP_SRC}(?:[ \t]+(?:(?:{_CONNECT_SRC})[ \t]+)?{_CAP_SRC})*")
_WORD = re.compile(_WORD_SRC)
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-z][\w'’\-]*")


class Entry(NamedTuple):
    """A place a mention may name (a row of the index)."""

    id: str
    kind: str
    country: str | None
    admin1_code: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str | None
    name: str


def entry_prior(e, key: str) -> float:
    """How likely a mention with fold key ``key`` names the place ``e`` (an :class:`Entry` or a tuple of the
    same fields) -- unnormalised; 0 = not evidence."""
    kind = e[1]
    if kind == "place":
        pop = e[6]
        if pop < MIN_CONTEXT_POPULATION or (len(key) < 4 and " " not in key):
            return 0.0
        return 0.02 + 0.5 * min(1.0, math.log10(pop + 1) / 7.0) ** 4
    return CONTEXT_KIND_PRIOR.get(kind, 0.0)


@dataclass
class Evidence:
    """Context evidence for one query: weights per country and admin-1, in the whole text and near
    the query, the text's well-supported places, and the qualifiers written after the query."""

    countries: dict[str, float] = field(default_factory=dict)
    admin1: dict[str, float] = field(default_factory=dict)
    local_countries: dict[str, float] = field(default_factory=dict)
    local_admin1: dict[str, float] = field(default_factory=dict)
    points: list[tuple[float, float, float, str, str]] = field(default_factory=list)
    qualifiers: dict[str, str] = field(default_factory=dict)  # code -> the text written
    first_qualifiers: dict[str, str] = field(default_factory=dict)  # after the first mention only
    names: dict[str, list[str]] = field(default_factory=dict)  # code -> mentions behind it

    def __post_init__(self) -> None:
        self._totals: dict[int, float] = {}
        self.points_by_lat = sorted(self.points)
        self.point_lats = [p[0] for p in self.points_by_lat]

    def share(self, table: dict[str, float], code: str | None) -> float:
        """``table[code]`` as a share of the table's total (0 when absent)."""
        if not code or not table:
            return 0.0
        v = table.get(code)
        if not v:
            return 0.0
        total = self._totals.get(id(table))
        if total is None:
            total = self._totals[id(table)] = sum(table.values())
        return v / total if total > 0 else 0.0


class DocumentContext:
    """The place mentions of one text (see the module docstring).

    Parameters
    ----------
    text : str
        The document.
    lookup : callable
        ``lookup(keys) -> {key: [Entry, ...]}`` (the gazetteer's exact-name lookup).
    admin1_entry : callable
        ``admin1_entry(code) -> Entry | None``: the first-level region of an ISO 3166-2 code.
    """

    def __init__(self, text: str, lookup, admin1_entry):
        self.text = text
        self.counts: dict[str, int] = {}
        self.positions: dict[str, list[int]] = {}
        pairs: list[tuple[str, str, int]] = []
        qual_at: list[int] = []  # where each pair's qualifier starts
        lowers = set(_LOWER_WORD.findall(text))
        runs = []  # [(start offset of each word, raw word, folded word)], per run of capitalised words
        for m in _RUN.finditer(text):
            base = m.start()
            run: list[tuple[int, str]] = []
            for w in _WORD.finditer(m.group()):
                t = w.group()
                run.append((base + w.start(), t))
                # a full stop after a word that is not an abbreviation ends the sentence, and the run
                if t.endswith(".") and len(t) > 2 and "." not in t[:-1] and _fold_token(t) not in ABBREVIATIONS:
                    runs.append(_run(run, base + w.end()))
                    run = []
            if run:
                runs.append(_run(run, m.end()))
        abbrev: dict[str, str] = {}
        counts, positions = self.counts, self.positions
        for starts, raw, folded, _ in runs:
            n = len(raw)
            joins = [t in CONNECTORS for t in raw]
            for s in range(n):
                if joins[s]:
                    continue
                key = ""
                at = starts[s]
                for last in range(s, min(n, s + MAX_WORDS)):
                    f = folded[last]
                    if f:
                        key = f"{key} {f}" if key else f
                    if joins[last] or not key:
                        continue
                    if last + 1 < n and folded[last + 1] in WATER_WORDS:  # "Ohio River" is no mention of Ohio
                        continue
                    if key in counts:
                        counts[key] += 1
                        positions[key].append(at)
                    else:
                        counts[key] = 1
                        positions[key] = [at]
                    # an abbreviation counts when written as one ("Ga.", "W.Va.", "NSW"), not as a word ("Miss")
                    if last == s and key in ABBREVIATIONS and (raw[s].endswith(".") or raw[s].isupper()):
                        abbrev[key] = ABBREVIATIONS[key]
        for (starts, _raw, folded, end), nxt in zip(runs, runs[1:]):
            # "X, Y": a comma and one space between two runs
            if text[end : nxt[0][0]].strip() == ",":
                head = " ".join(f for f in folded if f)
                key = ""
                for f in nxt[2][:3]:
                    if f:
                        key = f"{key} {f}" if key else f
                        pairs.append((head, key, starts[0]))
                        qual_at.append(nxt[0][0])
        keys = [k for k in self.counts if " " in k or k not in lowers]
        self.entries: dict[str, list[Entry]] = lookup(keys) if keys else {}
        for k, code in abbrev.items():
            e = admin1_entry(code)
            if e is not None and k not in self.entries:
                self.entries[k] = [e]
        self._admin1_entry = admin1_entry
        self._restrict_qualified(pairs)
        # -- every mention's weight, once: key -> ([(country, admin-1 code or None, admin-1 factor, share)],
        #    strength, top prior); entries are Entry or tuples of its fields (id, kind, country, admin1_code,
        #    lat, lon, population, feature, name)
        self.mentions: dict[str, tuple[list[tuple], float, float]] = {}
        countries: dict[str, float] = {}
        admin1: dict[str, float] = {}
        points: list[tuple[float, float, float, str, str]] = []
        counts = self.counts
        kind_prior = CONTEXT_KIND_PRIOR
        for k, ents in self.entries.items():
            short = len(k) < 4 and " " not in k
            priors = []
            for e in ents:  # entry_prior, inlined: thousands of entries per long text
                kind = e[1]
                if kind == "place":
                    pop = e[6]
                    priors.append(
                        0.0
                        if pop < MIN_CONTEXT_POPULATION or short
                        else 0.02 + 0.5 * min(1.0, math.log10(pop + 1) / 7.0) ** 4
                    )
                else:
                    priors.append(kind_prior.get(kind, 0.0))
            total = sum(priors)
            if total <= 0:
                continue
            top = max(priors)
            adjectives = {i for i, e in enumerate(ents) if e[7] == "adjective"}
            if (
                adjectives and max(zip(priors, range(len(ents))))[1] in adjectives
            ):  # "Canadian", "French": the country's adjective
                top *= self._adjective_weight(k)
            strength = top * min(counts.get(k, 1), MAX_MENTION_COUNT)
            contribs = []
            for e, p in zip(ents, priors):
                if p <= 0:
                    continue
                share = p / total
                kind, cc, a1 = e[1], e[2], e[3]
                af = (1.0 if kind == "admin1" else PLACE_TO_ADMIN1) if a1 and kind in ("admin1", "place") else 0.0
                contribs.append((cc, a1 if af else None, af, share))
                if cc:
                    countries[cc] = countries.get(cc, 0.0) + strength * share
                if af:
                    admin1[a1] = admin1.get(a1, 0.0) + strength * share * af
                if kind in POINT_KINDS and share >= POINT_SHARE and e[4] is not None:
                    points.append((e[4], e[5], strength * share, e[0], k))
            self.mentions[k] = (contribs, strength, top)
        names = _Names(self.mentions)
        self.countries, self.admin1, self.names, self.points = countries, admin1, names, points
        self.points.sort(key=lambda p: -p[2])
        # positions of the mentions, sorted, for "near the query" look-ups
        self._by_pos = sorted((p, k) for k in self.mentions for p in self.positions.get(k, ()))
        self._pos_list = [p for p, _ in self._by_pos]
        self._pairs: dict[str, list[tuple[str, int, int]]] = {}
        for (head, qual, p0), q0 in zip(pairs, qual_at):
            self._pairs.setdefault(head, []).append((qual, p0, q0))
        self.pairs = pairs
        #: answers already given for this text (see ``Gazetteer.resolve``)
        self.results: dict[tuple, tuple] = {}
        self._evidence: dict[frozenset, Evidence] = {}

    def _qualifier_regions(self, qual: str) -> list[str]:
        """The countries (ISO codes) and first-level regions (admin-1 codes) a qualifier ``Y`` of "X, Y" may
        name: its gazetteer entries of those kinds, or the region its abbreviation stands for ("Del.", "IL")."""
        ents = list(self.entries.get(qual, ()))
        code = ABBREVIATIONS.get(qual) or POSTAL.get(qual)
        if code and qual not in self.entries:
            e = self._admin1_entry(code)
            if e is not None:
                ents.append(e)
        out = []
        for e in ents:
            c = e[2] if e[1] == "country" else e[3] if e[1] == "admin1" else None
            if c:
                out.append(c)
        return out

    def _restrict_qualified(self, pairs) -> None:
        """A mention written "X, Y" with Y a first-level region or country names the places of X inside Y ("Erie
        County, New York" is not the Erie Counties of Pennsylvania and Ohio): its entries are those inside, when
        any are."""
        inside: dict[str, set[str]] = {}
        for head, qual, _ in pairs:
            regions = self._qualifier_regions(qual)
            if regions:
                inside.setdefault(head, set()).update(regions)
        for head, codes in inside.items():
            found = self.entries.get(head) or []
            if len(found) > 1:
                kept = [e for e in found if e[3] in codes or e[2] in codes]
                if kept and len(kept) < len(found):
                    self.entries[head] = kept

    def _adjective_weight(self, key: str) -> float:
        """:data:`ADJECTIVE_PLACE_WEIGHT` when one of the adjective's uses qualifies a kind of place ("a
        Canadian village"), else :data:`ADJECTIVE_WEIGHT`."""
        n = len(key.split())
        for at in self.positions.get(key, ()):
            m = _WORD.match(self.text, at)
            end = m.end() if m else at
            for _ in range(n - 1):  # a two-word adjective ("North Korean")
                m = _NEXT_WORD.match(self.text, end)
                end = m.end() if m else end
            m = _NEXT_WORD.match(self.text, end)
            if m and m.group(1).lower() in PLACE_NOUNS:
                return ADJECTIVE_PLACE_WEIGHT
        return ADJECTIVE_WEIGHT

    # ------------------------------------------------------------------ evidence
    def evidence(self, query_keys: set[str]) -> Evidence:
        """Evidence for a query whose own fold keys are ``query_keys`` (its own mentions are not evidence)."""
        key = frozenset(query_keys)
        ev = self._evidence.get(key)
        if ev is None:
            if len(self._evidence) >= 256:
                self._evidence.pop(next(iter(self._evidence)))
            ev = self._evidence[key] = self._compute_evidence(query_keys)
        return ev

    def _compute_evidence(self, query_keys: set[str]) -> Evidence:
        from bisect import bisect_left, bisect_right

        countries, admin1 = self.countries, self.admin1
        # the query's own mentions, alone or inside a longer run ("Odessa town"), say nothing about which
        # place it is
        own = [k for k in self.mentions if _overlaps(k, query_keys)]
        if own:  # the query's own mentions say nothing about which place it is
            countries, admin1 = dict(countries), dict(admin1)
            for k in own:
                contribs, strength, _ = self.mentions[k]
                for cc, a1, af, share in contribs:
                    if cc:
                        countries[cc] -= strength * share
                    if a1:
                        admin1[a1] -= strength * share * af
            countries = {k: v for k, v in countries.items() if v > 1e-9}
            admin1 = {k: v for k, v in admin1.items() if v > 1e-9}
        own_set = set(own)
        ev = Evidence(
            countries, admin1, names=self.names, points=[p for p in self.points if p[4] not in own_set][:MAX_POINTS]
        )
        occ = sorted(p for q in query_keys for p in self.positions.get(q, ()))
        first = occ[0] if occ else None
        # "X, Y" at a later mention of the name: Y says where that mention is, and when the first mention is not
        # written so, a namesake elsewhere ("Boston is a town in Erie County, New York ... named after Boston,
        # Massachusetts"): not evidence near the name
        later_at = {q0 for head in query_keys for _, p0, q0 in self._pairs.get(head, ()) if p0 != first}
        local: dict[str, float] = {}
        for rank, q in enumerate(occ):
            w = 1.0 if rank == 0 else LATER_MENTION_WEIGHT
            lo = bisect_left(self._pos_list, q - LOCAL_BEFORE)
            hi = bisect_right(self._pos_list, q + LOCAL_AFTER)
            for p, k in self._by_pos[lo:hi]:
                if k in own_set or p in later_at:
                    continue
                v = self.mentions[k][2] * w
                if v > local.get(k, 0.0):
                    local[k] = v
        lc, la = ev.local_countries, ev.local_admin1
        for k, v in local.items():
            for cc, a1, af, share in self.mentions[k][0]:
                if cc:
                    lc[cc] = lc.get(cc, 0.0) + v * share
                if a1:
                    la[a1] = la.get(a1, 0.0) + v * share * af
        # qualifiers written right after the query: "Dover, Del.", "Pandi, Bulacan", "Springfield, IL"
        for head in query_keys:
            for qual, p0, _q0 in self._pairs.get(head, ()):
                for c in self._qualifier_regions(qual):
                    ev.qualifiers[c] = qual
                    if p0 == first:
                        ev.first_qualifiers[c] = qual
        return ev


@lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    return N.fold(token)


class _Names(dict):
    """code -> the mentions that gave it evidence; worked out on first use (only explanations ask)."""

    def __init__(self, mentions):
        super().__init__()
        self._mentions = mentions
        self._done = False

    def _fill(self):
        if not self._done:
            self._done = True
            for k, (contribs, _, _) in self._mentions.items():
                for cc, a1, _, _ in contribs:
                    if cc:
                        super().setdefault(cc, []).append(k)
                    if a1:
                        super().setdefault(a1, []).append(k)

    def __contains__(self, code):
        self._fill()
        return super().__contains__(code)

    def __getitem__(self, code):
        self._fill()
        return super().__getitem__(code)

    def get(self, code, default=None):
        self._fill()
        return super().get(code, default)


def _overlaps(key: str, query_keys) -> bool:
    """True when the mention ``key`` is one of ``query_keys`` or holds one as whole words."""
    for q in query_keys:
        if key == q or (q in key and f" {key} ".find(f" {q} ") >= 0):
            return True
    return False


def _run(words: list[tuple[int, str]], end: int) -> tuple[list[int], list[str], list[str], int]:
    """(word offsets, raw words, folded words, end offset) of one run."""
    return [p for p, _ in words], [t for _, t in words], [_fold_token(t) for _, t in words], end
