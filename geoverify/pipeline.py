"""The one orchestrator: text → locations → claims → checks → a report, window by window.

:class:`Verifier` runs the stages over the windows of a text (:mod:`geoverify.text.stream`)
and yields the report's parts as soon as they are final; :func:`verify` is one text read as
(usually) one window of it, :func:`verify_file` a file or stdin of any size, and
:func:`check` claims typed separately.

- Locations come from the text (:func:`locate`, which also recovers short plus codes from
  their locality) and from ``at`` (locations a verifier holds from another source).
- Claims and mentions come from :mod:`geoverify.claims`.
- A claim tied to one location (the locality after a plus code, a phrase next to the
  coordinates) is checked against that location only; every other claim against the
  locations of its window (at most :data:`NEAREST`, nearest in the text first) and every
  ``at`` location. The overall rule is :func:`geoverify.model.overall_verdict`.
- Locations are compared with each other (:mod:`geoverify.checks.compare`): the pairs meant
  to be one place (a plus code beside coordinates) are listed with a verdict; every other pair
  is measured into one summary (``other_pairs``: how many, the closest, the farthest), each
  location against at most :data:`NEAREST` before it in its window and every ``at`` location,
  each ``at`` location against at most :data:`NEAREST` before it.

What changes on a text longer than one window: an untied claim is checked against the
locations of its window only, and each location is compared with the :data:`NEAREST`
locations before it in its window. A text of one window with at most :data:`NEAREST`
locations is checked against everything.
"""

from __future__ import annotations

import copy
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from geoverify.checks.compare import PairSummary, compare_locations, compare_with
from geoverify.checks.compare import beside as _beside
from geoverify.errors import ParseError
from geoverify.model import UNVERIFIABLE, Claim, ClaimResult, Location, Report, overall_verdict
from geoverify.text.stream import OVERLAP, WINDOW, Window, iter_text, iter_windows, open_binary

log = logging.getLogger(__name__)

#: Locations a claim not tied to one is checked against (and each location is compared
#: with), per window.
NEAREST = 50


class _Lazy:
    """Modules the pipeline needs on every call but not at import (``import geoverify.pipeline``
    stays cheap for `where` and `resolve --near`); bound on first use, so the hot path does
    not go through the import machinery (``from package import module`` inside a function
    costs microseconds on every call)."""

    def __getattr__(self, name: str):
        import importlib

        module, _, attr = _LAZY[name].partition(":")
        value = importlib.import_module(module)
        if attr:
            value = getattr(value, attr)
        setattr(self, name, value)
        return value


_LAZY = {
    "textnorm": "geoverify.text.normalise",
    "notation_extract": "geoverify.notation:extract",
    "extract_claims": "geoverify.claims:extract_claims",
    "ClaimChecker": "geoverify.checks.checker:ClaimChecker",
    "sites": "geoverify.gazetteer.sites",
}
_lazy = _Lazy()


def locate(text: str) -> list[Location]:
    """Extract locations and recover short plus codes from their locality via the gazetteer.

    Look-alike characters (Arabic-Indic or full-width digits, homoglyphs of ° ′ ″,
    zero-width and bidi controls) are read by the policy of :mod:`geoverify.text.normalise`;
    spans and ``text`` still point into ``text``, and a location whose text needed
    normalising carries a warning saying what was read differently.
    """
    textnorm = _lazy.textnorm
    with textnorm.reading_once(text):  # normalise and the extractor's prefilter read its characters once
        norm = textnorm.normalise(text)
        return textnorm.map_locations(norm, locate_read(norm.text))


def locate_read(text: str) -> list[Location]:
    """:func:`locate` on text that is already normalised (offsets into that text)."""
    return recover_short_codes(_lazy.notation_extract(text), text)


def recover_short_codes(locations: list[Location], text: str = "") -> list[Location]:
    """Give every short plus code a position from its locality, with every alternative recovery.

    Every place the locality may name is used as a reference and every distinct
    recovery is kept (``alternatives``, with a warning when they differ). Which
    one comes first: the candidate nearest to coordinates given right beside the
    code (GeoConfirmed writes both), else the gazetteer's ranking in the context
    of the whole text. The comparison of the code with those coordinates then
    tests whether the code's own digits agree with them.
    """
    if not any(loc.kind == "pluscode-short" and not loc.has_point for loc in locations):
        return locations
    from geoverify.notation.pluscodes import recover_short
    from geoverify.thresholds import PLUSCODE_CONTEXT_CHARS

    order = sorted(range(len(locations)), key=lambda k: locations[k].start)
    out = list(locations)
    refs_memo: dict[tuple, list] = {}
    for pos, i in enumerate(order):
        loc = locations[i]
        if not (loc.kind == "pluscode-short" and not loc.has_point):
            continue
        beside = _beside_point(locations, order, pos, text)
        near = (beside.lat, beside.lon) if beside is not None else None
        refs = []
        if loc.locality:
            # the text around the code says which country it is in: all of a short text, the
            # paragraphs around the code in a long one (a dump of many articles)
            context = text
            if len(text) > 2 * PLUSCODE_CONTEXT_CHARS:
                context = text[max(0, loc.start - PLUSCODE_CONTEXT_CHARS) : loc.end + PLUSCODE_CONTEXT_CHARS]
            refs = _references(loc.locality, near, context or None, refs_memo)
        if refs:
            loc = recover_short(loc, refs)
            if beside is not None and len(refs) > 1:
                loc.warnings.append(
                    f"reference {refs[0]['name']} ({refs[0]['id']}) preferred as the candidate nearest "
                    f"to the coordinates beside the code ({beside.text!r})"
                )
        else:
            loc.warnings.append(
                f"locality {loc.locality!r} not found in the gazetteer: the short code cannot be placed"
                if loc.locality
                else "short plus code without a locality cannot be placed"
            )
        out[i] = loc
    return out


def _beside_point(locations: list[Location], order: list[int], pos: int, text: str) -> Location | None:
    """The first location (in text order) with a point, not a short code, right beside the
    one at ``order[pos]``: only neighbours within :data:`~geoverify.checks.compare.BESIDE_CHARS`
    are looked at, so a long text with many codes stays linear."""
    from geoverify.checks.compare import BESIDE_CHARS

    loc = locations[order[pos]]
    lo = pos
    while lo > 0 and loc.start - locations[order[lo - 1]].end <= BESIDE_CHARS:
        lo -= 1
    hi = pos + 1
    while hi < len(order) and locations[order[hi]].start - loc.end <= BESIDE_CHARS:
        hi += 1
    for k in range(lo, hi):
        other = locations[order[k]]
        if other is not loc and other.has_point and other.kind != "pluscode-short" and _beside(text, loc, other):
            return other
    return None


def _references(locality: str, near, context: str | None, memo: dict) -> list:
    """:func:`geoverify.gazetteer.recover_pluscode_references`, once per (locality, near,
    countries the context names) in one text."""
    from geoverify.gazetteer import get_gazetteer, recover_pluscode_references

    countries = tuple(get_gazetteer().countries_in_text(context)) if context else ()
    key = (locality, near, countries)
    if key not in memo:
        memo[key] = recover_pluscode_references(locality, near=near, context=context)
    return [dict(r) for r in memo[key]]


def parse_location(value, source: str = "--at") -> Location:
    """Read one location given on its own: THE parser of every point argument.

    ``--at``, the library's ``at=``, ``resolve --near``, ``where``, batch coordinate
    columns, :func:`geoverify.parse` and the pytest helpers all read a point with this
    function, so one string is read the same way everywhere. A string is read by
    :func:`geoverify.notation.parse.parse` (any notation, every reading kept; a string
    known to be a coordinate is read if it can be read at all); a short plus code is then
    placed from its locality with the gazetteer.

    Parameters
    ----------
    value : str or Location or (lat, lon)
        A location string, a :class:`~geoverify.model.Location` (returned as is) or a
        pair of numbers in decimal degrees, latitude first.
    source : str
        What the location is (``"--at"``: given separately from the text it is checked with).

    Raises
    ------
    ParseError
        Nothing, or more than one location, could be read; a value is out of range; a
        short plus code's locality is not in the gazetteer. The message says which.
    """
    global _parse
    if value.__class__ is str:
        if _parse is None:
            from geoverify.notation.parse import parse

            _parse = parse
        loc = _parse(value)
        if loc.lat is None and loc.kind == "pluscode-short":
            return _place_short_code(loc, value, source)
        loc.source = source
        return loc
    if isinstance(value, Location):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2 and not isinstance(value[0], str):
        try:
            lat, lon = float(value[0]), float(value[1])
        except (TypeError, ValueError):
            raise ParseError("a point must be two numbers (latitude, longitude)", repr(value)) from None
        if not -90.0 <= lat <= 90.0:  # also refuses NaN
            raise ParseError(f"latitude {lat:g} out of range [-90, 90]", repr(value))
        if not -180.0 <= lon <= 180.0:
            raise ParseError(f"longitude {lon:g} out of range [-180, 180]", repr(value))
        loc = _plain_location(lat, lon, f"{lat}, {lon}")
        loc.source = source
        return loc
    return parse_location(value if isinstance(value, str) else str(value), source)


_parse: Callable[[str], Location] | None = None  # geoverify.notation.parse.parse, imported on first use


def _place_short_code(loc: Location, text: str, source: str) -> Location:
    loc = recover_short_codes([loc], text)[0]
    if not loc.has_point:
        raise ParseError("cannot place this short plus code (give a locality the gazetteer knows)", text.strip())
    loc.source = source
    return loc


def _plain_location(lat: float, lon: float, text: str) -> Location:
    decimals = max((len(p.split(".")[1]) if "." in p else 0) for p in text.replace(";", ",").split(","))
    precision = 0.5 * 111_320.0 * 10 ** (-decimals) if decimals < 8 else 0.001
    return Location(
        lat=lat,
        lon=lon,
        kind="decimal",
        text=text,
        start=0,
        end=len(text),
        precision_m=precision,
        reading="decimal degrees, latitude first",
        source="--at",
    )


def verify(
    text: str, at: Iterable = (), all_mentions: bool = False, checker=None, window: int = WINDOW, overlap: int = OVERLAP
) -> Report:
    """Check every location claim in ``text`` against its locations and ``at``.

    Parameters
    ----------
    text : str
        An article, post or any free text.
    at : iterable of str or Location or (lat, lon)
        Locations from elsewhere (``--at``), checked against every untied claim.
    all_mentions : bool
        Also check places named in passing.
    checker : geoverify.checks.ClaimChecker, optional
        A checker to reuse (its memoised answers); one per window otherwise.
    window, overlap : int
        How a long text is cut (see :mod:`geoverify.text.stream`).

    Returns
    -------
    Report
    """
    verifier = Verifier(at=at, all_mentions=all_mentions, checker=checker)
    with _lazy.sites.one_listing():  # one reading of the named-sites files for all of the text's look-ups
        return verifier.collect(verifier.run(iter_windows([text], window, overlap)))


def verify_file(
    source: str,
    at: Iterable = (),
    all_mentions: bool = False,
    checker=None,
    window: int = WINDOW,
    overlap: int = OVERLAP,
    warn=None,
) -> tuple[Verifier, Iterator[tuple[str, Any]]]:
    """Verify a file (``-`` for stdin) window by window: ``(verifier, events)``.

    ``at`` locations are parsed before the file is opened, so a bad one fails first.
    """
    verifier = Verifier(at=at, all_mentions=all_mentions, checker=checker)

    def events() -> Iterator[tuple[str, Any]]:
        stream, name = open_binary(source)
        try:
            yield from verifier.run(iter_windows(iter_text(stream, name, warn), window, overlap))
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()

    return verifier, events()


def check(at: Iterable, claims: Iterable, checker=None) -> Report:
    """Check claims typed separately (``--claim``) against the locations ``at``."""
    from geoverify.claims import parse_claim

    locations = [parse_location(a) for a in at]
    if checker is None:
        from geoverify.checks import ClaimChecker

        checker = ClaimChecker()
    parsed = [c if isinstance(c, Claim) else parse_claim(c, lookup=checker.lookup) for c in claims]
    report = Report(locations=locations)
    pool = list(enumerate(locations))
    report.claims = [check_claim(checker, claim, pool) for claim in parsed]
    pairs = PairSummary()
    report.comparisons = compare_locations("", locations, pairs, nearest=NEAREST)
    located = sum(1 for loc in locations if loc.has_point)
    report.other_pairs = pairs.to_dict(
        located * (located - 1) // 2 - len(report.comparisons), rule=_pairs_rule(NEAREST)
    )
    for loc in locations:
        report.warnings.extend(f"{loc.text!r}: {w}" for w in loc.warnings)
    report.sources = _sources(report.claims)
    return report


def _pairs_rule(nearest: int) -> str:
    return (
        f"pairs measured: each location against at most {nearest} located before it (in its window "
        f"of the text) and every --at location; each --at location against at most {nearest} before it"
    )


def check_claim(checker, claim: Claim, pool: list[tuple[int, Location]]) -> ClaimResult:
    """Check one claim against each ``(index, location)`` of ``pool``.

    A claim is ``inconsistent`` if any location contradicts it, ``consistent`` if every
    location agrees, ``unverifiable`` otherwise (see :func:`geoverify.model.overall_verdict`).
    """
    from geoverify.checks.evidence import Evidence

    if not pool:
        return ClaimResult(claim, UNVERIFIABLE, Evidence(reason="no location to test against"))
    checks = [checker.check(claim, loc, index) for index, loc in pool]
    verdict = overall_verdict((c.verdict for c in checks), every=True)
    deciding = next((c for c in checks if c.verdict == verdict), checks[0])
    evidence = deciding.evidence if isinstance(deciding.evidence, Evidence) else Evidence.of(**deciding.evidence)
    evidence = evidence.with_(location=deciding.location_index)
    if verdict == UNVERIFIABLE and not evidence.reason:
        evidence = evidence.with_(reason="some locations agree and others could not be tested")
    return ClaimResult(claim, verdict, evidence, checks)


def _sources(results: Iterable[ClaimResult]) -> list[str]:
    seen: list[str] = []
    for result in results:
        for c in result.checks:
            for s in c.evidence.get("sources", []) or []:
                if s and s not in seen:
                    seen.append(s)
    return seen


@dataclass
class _Found:
    """A location as one window read it: its offsets in the window's normalised text (what
    the claim extractor sees) beside the location with window-original offsets."""

    loc: Location
    norm_start: int
    norm_end: int


@dataclass
class _Pending:
    window: Window
    norm: Any  # geoverify.text.normalise.Normalised
    found: list[_Found]


class Verifier:
    """Verify a text window by window; :meth:`run` yields the report's parts as they are final.

    Events (``(kind, value)``), in this order overall: ``("location", Location)`` in text
    order (the list index is the location's number in the report); interleaved
    ``("claim", ClaimResult)``, ``("mention", Claim)``, ``("comparison", dict)``,
    ``("warning", str)``; at the end the ``at`` locations, then ``("done", None)``.

    Numbering: the ``at`` locations come after every text location in the report, and how
    many text locations there are is known only at the end of a stream. Until then the
    ``k``-th ``at`` location is numbered ``AT_BASE + k`` in claims and comparisons;
    :meth:`fix_index` gives the final number (:meth:`collect` and the streamed JSON
    writer apply it).
    """

    #: Provisional number of the ``k``-th ``at`` location is ``AT_BASE + k``.
    AT_BASE = 1 << 60

    def __init__(self, at: Iterable = (), all_mentions: bool = False, checker=None, nearest: int = NEAREST):
        self.given = [parse_location(a) for a in at]
        self.all_mentions = all_mentions
        self.checker = checker
        self.nearest = nearest
        self.n_text = 0
        self.verdicts: set[str] = set()
        self.sources: list[str] = []
        self._auth: list[tuple[int, int, int, Location]] = []  # (abs start, abs end, number, Location)
        self._last_end = -1
        self.pairs = PairSummary()  # the pairs not meant to be one place, measured
        self.n_located = sum(1 for g in self.given if g.has_point)
        self.n_listed = 0

    def fix_index(self, i: int) -> int:
        """The final number of a location numbered ``i`` during the run."""
        return self.n_text + (i - self.AT_BASE) if i >= self.AT_BASE else i

    @property
    def verdict(self) -> str:
        return overall_verdict(self.verdicts)

    def other_pairs(self) -> dict:
        """The summary of the pairs not listed (``other_pairs`` of the report; final at the end)."""
        total = self.n_located * (self.n_located - 1) // 2 - self.n_listed
        return self.pairs.to_dict(total, fix=self.fix_index, rule=_pairs_rule(self.nearest))

    # -- the whole stream ---------------------------------------------------------------
    def run(self, windows: Iterable[Window]) -> Iterator[tuple[str, Any]]:
        pending: _Pending | None = None
        for w in windows:
            p, owned = self._read(w)
            for loc in owned:
                yield "location", loc
                for warning in loc.warnings:
                    yield "warning", f"{loc.text!r}: {warning}"
            if pending is not None:
                yield from self._claims(pending)
                self._prune(w.offset)
            pending = p
        if pending is not None:
            yield from self._claims(pending)
        for loc in self.given:
            yield "location", loc
            for warning in loc.warnings:
                yield "warning", f"{loc.text!r}: {warning}"
        numbers = [self.AT_BASE + k for k in range(len(self.given))]
        for entry in compare_locations("", self.given, self.pairs, nearest=self.nearest, numbers=numbers):
            self.n_listed += 1
            yield "comparison", entry
        yield "done", None

    def collect(self, events: Iterable[tuple[str, Any]]) -> Report:
        """Gather the events into one :class:`~geoverify.model.Report` (for the formats that
        need the whole report; memory grows with the output)."""
        report = Report()
        for kind, value in events:
            if kind == "location":
                report.locations.append(value)
            elif kind == "claim":
                report.claims.append(value)
            elif kind == "mention":
                report.mentions.append(value)
            elif kind == "comparison":
                report.comparisons.append(value)
            elif kind == "warning":
                report.warnings.append(value)
        for result in report.claims:
            for c in result.checks:
                c.location_index = self.fix_index(c.location_index)
            if isinstance(result.evidence.get("location"), int):
                result.evidence = result.evidence.with_(location=self.fix_index(result.evidence["location"]))
        for entry in report.comparisons:
            entry["locations"] = [self.fix_index(i) for i in entry["locations"]]
        report.sources = list(self.sources)
        report.other_pairs = self.other_pairs()
        return report

    # -- per window ---------------------------------------------------------------------
    def _read(self, w: Window) -> tuple[_Pending, list[Location]]:
        textnorm = _lazy.textnorm
        with textnorm.reading_once(w.text):  # normalise and the extractor's prefilter read its characters once
            norm = textnorm.normalise(w.text)
            locs = locate_read(norm.text)
        spans = [(loc.start, loc.end) for loc in locs]
        textnorm.map_locations(norm, locs)
        found = [_Found(loc, s, e) for loc, (s, e) in zip(locs, spans)]
        owned = []
        for f in found:
            a_start = f.loc.start + w.offset
            if w.owns(f.loc.start) and a_start >= self._last_end:
                loc = replace(
                    f.loc,
                    start=a_start,
                    end=f.loc.end + w.offset,
                    alternatives=list(f.loc.alternatives),
                    warnings=list(f.loc.warnings),
                )
                self._auth.append((loc.start, loc.end, self.n_text, loc))
                self._last_end = loc.end
                self.n_text += 1
                self.n_located += loc.has_point
                owned.append(loc)
        return _Pending(w, norm, found), owned

    def _claims(self, p: _Pending) -> Iterator[tuple[str, Any]]:
        extract_claims = _lazy.extract_claims
        textnorm = _lazy.textnorm
        w = p.window
        lo, hi = w.offset, w.offset + len(w.text)
        by_span = {(s, e): (g, loc) for s, e, g, loc in self._auth if s >= lo and e <= hi}
        # the numbered locations this window read, in the window's normalised offsets
        local, numbers, located = [], [], []
        for f in p.found:
            hit = by_span.get((f.loc.start + w.offset, f.loc.end + w.offset))
            if hit is None:
                continue
            local.append(replace(f.loc, start=f.norm_start, end=f.norm_end))
            numbers.append(hit[0])
            located.append(hit[1])
        checker = self.checker
        if checker is None:
            checker = _lazy.ClaimChecker(context=w.text)
        if local:
            claims, mentions = extract_claims(p.norm.text, local, lookup=checker.lookup)
        else:
            claims, mentions = _extracted(checker, p.norm.text)
        textnorm.map_claims(p.norm, claims)
        textnorm.map_claims(p.norm, mentions)
        claims = [c for c in claims if w.owns(c.start)]
        mentions = [m for m in mentions if w.owns(m.start)]
        if self.all_mentions:
            claims = sorted(claims + mentions, key=lambda c: c.start)
            mentions = []
        for claim in claims:
            yield "claim", self._check(checker, claim, w, local, numbers, located)
        for m in mentions:
            yield "mention", _shift(m, w.offset)
        # comparisons: each owned location with the NEAREST before it in this window and the
        # `at` locations; listed when meant to be one place, else into the summary
        rel = [replace(loc, start=loc.start - w.offset, end=loc.end - w.offset) for loc in located]
        given = [(self.AT_BASE + k, g) for k, g in enumerate(self.given)]
        entries = []
        for j, b in enumerate(rel):
            if not w.owns(b.start):
                continue
            before = [(numbers[i], rel[i]) for i in range(max(0, j - self.nearest), j)]
            entries.extend(compare_with(w.text, b, numbers[j], before, self.pairs))
            entries.extend(compare_with(w.text, b, numbers[j], given, self.pairs))
        entries.sort(key=lambda e: tuple(e["locations"]))
        self.n_listed += len(entries)
        for entry in entries:
            if "verdict" in entry:
                self.verdicts.add(entry["verdict"])
            yield "comparison", entry

    def _check(
        self, checker, claim: Claim, w: Window, local: list[Location], numbers: list[int], located: list[Location]
    ) -> ClaimResult:
        """Check one claim against its tied location, or against the NEAREST located
        locations of the window and every ``at`` location; numbers in the result are the
        report's."""
        if claim.location_index is not None and claim.location_index < len(local):
            tied = claim.location_index
            claim.location_index = numbers[tied]
            pool = [(numbers[tied], located[tied])]
        else:
            order = sorted(
                range(len(local)), key=lambda i: (_gap(local[i].start, local[i].end, claim.start, claim.end), i)
            )
            keep = sorted(order[: self.nearest])
            pool = [(numbers[i], located[i]) for i in keep] + [(self.AT_BASE + k, g) for k, g in enumerate(self.given)]
            claim.location_index = None
        result = check_claim(checker, claim, pool)
        _shift(claim, w.offset)
        self.verdicts.add(result.verdict)
        for src in _sources([result]):
            if src not in self.sources:
                self.sources.append(src)
        return result

    def _prune(self, before: int) -> None:
        """Forget numbered locations that no later window can see."""
        keep = next((i for i, item in enumerate(self._auth) if item[1] >= before), len(self._auth))
        if keep:
            del self._auth[:keep]


#: Texts whose claims are remembered per gazetteer (an LRU; a batch's descriptions repeat:
#: "Birao town" 25 times among the CAR events), and the longest text remembered.
EXTRACT_MEMO_ENTRIES = 4096
EXTRACT_MEMO_MAX_CHARS = 2000


def _extracted(checker, text: str) -> tuple[list[Claim], list[Claim]]:
    """``extract_claims(text, [], lookup=checker.lookup)``, remembered for a text with no
    location of its own: the claims are a function of the text and the lookup, whose answers
    the checker memoises for the process (:attr:`ClaimChecker.extractions` is kept beside
    them). The caller gets fresh copies (the pipeline moves a claim's offsets and ties it to
    a location)."""
    memo = getattr(checker, "extractions", None)
    if memo is None or len(text) > EXTRACT_MEMO_MAX_CHARS:
        return _lazy.extract_claims(text, [], lookup=checker.lookup)
    hit = memo.get(text)
    if hit is None:
        claims, mentions = _lazy.extract_claims(text, [], lookup=checker.lookup)
        hit = ([_fresh_claim(c) for c in claims], [_fresh_claim(m) for m in mentions])
        try:
            memo[text] = hit
            while len(memo) > EXTRACT_MEMO_ENTRIES:
                memo.popitem(last=False)
        except KeyError:  # another thread emptied it meanwhile
            pass
        return claims, mentions
    try:
        memo.move_to_end(text)
    except KeyError:
        pass
    return [_fresh_claim(c) for c in hit[0]], [_fresh_claim(m) for m in hit[1]]


def _fresh_claim(claim: Claim) -> Claim:
    """A copy of ``claim`` whose fields (and its listed alternatives') can be set without
    touching the original (levels are frozen, tuples immutable)."""
    out = copy.copy(claim)
    if claim.alternatives:
        out.alternatives = tuple(_fresh_claim(a) for a in claim.alternatives)
    return out


def _gap(s1: int, e1: int, s2: int, e2: int) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, s2 - e1, s1 - e2)


def _shift(obj, by: int):
    obj.start += by
    obj.end += by
    return obj


__all__ = [
    "Verifier",
    "verify",
    "verify_file",
    "check",
    "locate",
    "locate_read",
    "parse_location",
    "recover_short_codes",
    "check_claim",
    "NEAREST",
]
