"""Property tests: claim extraction never raises on any text and its spans are exact."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoverify.claims.extract import extract_claims, parse_claim
from geoverify.errors import ParseError, ResolveError
from geoverify.model import CLAIM_KINDS, Place

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that drive the grammar, so random sentences reach deep into it.
VOCAB = [
    "near",
    "in",
    "at",
    "on",
    "to",
    "from",
    "of",
    "the",
    "a",
    "km",
    "kilometres",
    "miles",
    "mi",
    "m",
    "nautical",
    "nm",
    "about",
    "within",
    "more",
    "than",
    "up",
    "north",
    "north-east",
    "NE",
    "SSW",
    "border",
    "with",
    "between",
    "and",
    ",",
    ".",
    "…",
    "...",
    "(",
    ")",
    "'s",
    "’s",
    "Russia",
    "Russian",
    "China",
    "North",
    "Korea",
    "Korean",
    "Far",
    "East",
    "far",
    "east",
    "eastern",
    "Kyiv",
    "Moscow",
    "Sergeevka",
    "training",
    "ground",
    "Training",
    "Ground",
    "Oblast",
    "Krai",
    "video",
    "filmed",
    "situated",
    "deployed",
    "sent",
    "countries",
    "like",
    "town",
    "of",
    "village",
    "capital",
    "PREV",
    "NEXT",
    "Related",
    "Read",
    "also:",
    "24",
    "C",
    "20",
    "1,5",
    "12-13",
    "2,600",
    "a",
    "few",
    "half",
    "\n",
    "\n\n",
    "outskirts",
    "vicinity",
    "War",
    "Centre",
    "President",
    "August",
    "8MG9+PFR",
    "X",
    "en",
    "route",
    "ready",
    "fight",
    "by",
    "Ukraine",
    "Ukraine's",
    "—",
    "KYIV",
    "(AP)",
    "base",
    "military",
    "camp",
    "Bambari",
    "(near)",
    "twenty-five",
    "hundred",
    "an",
    "U.S.",
    "https://t.co/x",
]


def check(text, claims, mentions):
    for items, role in ((claims, "claim"), (mentions, "mention")):
        starts = [c.start for c in items]
        assert starts == sorted(starts)
        for c in items:
            assert 0 <= c.start < c.end <= len(text)
            assert text[c.start : c.end] == c.text
            assert c.kind in CLAIM_KINDS
            assert c.role == role
            assert (c.reason != "") == (role == "mention")
            assert isinstance(c.target, str) and c.target
            if c.distance_km is not None:
                assert math.isfinite(c.distance_km) and c.distance_km >= 0
            assert all(isinstance(code, str) and len(code) == 2 for code in c.countries)
    spans = sorted((c.start, c.end) for c in claims + mentions)
    for (_, e1), (s2, _) in zip(spans, spans[1:]):
        assert e1 <= s2


def fake_lookup(name):
    if "x" in name.lower():
        raise ResolveError(f"cannot look up {name!r}")
    if len(name) % 3 == 0:
        return [Place(f"test:{name}", name, 10.0, 20.0, "admin1", "A.ADM1", "RU", score=0.95)]
    if len(name) % 3 == 1:
        return [Place(f"test:{name}", name, 10.0, 20.0, "place", "P.PPL", "UA", population=200_000, score=1.0)]
    return []


@SETTINGS
@given(st.text())
def test_any_text_never_raises_and_spans_match(text):
    claims, mentions = extract_claims(text)
    check(text, claims, mentions)


@SETTINGS
@given(
    st.lists(st.sampled_from(VOCAB), max_size=40),
    st.lists(st.sampled_from([" ", "", "\n", "  "]), min_size=40, max_size=40),
)
def test_grammar_words_in_any_order(words, seps):
    text = "".join(w + s for w, s in zip(words, seps))
    claims, mentions = extract_claims(text)
    check(text, claims, mentions)
    claims, mentions = extract_claims(text, lookup=fake_lookup)
    check(text, claims, mentions)


@SETTINGS
@given(st.lists(st.sampled_from(VOCAB), max_size=60))
def test_a_claim_survives_any_preceding_paragraph(words):
    prefix = " ".join(words)
    sentence = "The video was filmed 20 km from Kramatorsk."
    text = prefix + "\n\n" + sentence
    claims, mentions = extract_claims(text)
    check(text, claims, mentions)
    offset = len(prefix) + 2
    found = [c for c in claims + mentions if c.kind == "distance" and c.target == "Kramatorsk"]
    assert len(found) == 1
    assert found[0].distance_km == 20.0
    assert found[0].end == offset + len(sentence) - 1


@SETTINGS
@given(st.text(max_size=60))
def test_parse_claim_returns_a_whole_claim_or_a_parse_error(phrase):
    try:
        claim = parse_claim(phrase)
    except ParseError as exc:
        assert str(exc)
        return
    assert (claim.text, claim.start, claim.end) == (phrase, 0, len(phrase))
    assert claim.kind in CLAIM_KINDS and claim.role == "claim"


@SETTINGS
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=8))
def test_parse_claim_on_grammar_words(words):
    phrase = " ".join(words)
    try:
        claim = parse_claim(phrase, lookup=fake_lookup)
    except ParseError:
        return
    assert (claim.start, claim.end) == (0, len(phrase))
