"""Claims and mentions in the five article excerpts (fixtures/articles, see SOURCES.md).

The expected values were read off the articles by hand: what each sentence says
about where the footage/site is (claims), and why every other place is named
(mentions with a reason).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geoverify.claims.extract import extract_claims
from geoverify.model import Location

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


def read(name: str) -> str:
    (path,) = ARTICLES.glob(f"{name}_*.txt")
    return path.read_text(encoding="utf-8")


def summary(claims):
    return [(c.kind, c.text, c.target) for c in claims]


def levels(claim):
    """The claim's chain as (name, kind) pairs, most specific first."""
    return [(lv.name, lv.kind.value) for lv in claim.chain]


def mention(mentions, text, nth=0):
    found = [m for m in mentions if m.text == text]
    assert len(found) > nth, f"no mention {text!r} (#{nth}) in {[m.text for m in mentions]}"
    return found[nth]


def check_spans(text, claims, mentions):
    for items in (claims, mentions):
        for c in items:
            assert text[c.start : c.end] == c.text
        starts = [c.start for c in items]
        assert starts == sorted(starts), "each list is in text order"


@pytest.fixture(scope="module")
def art001_locations():
    text = read("001")
    a = text.index("44.326859, 131.668647")
    p = text.index("8MG9+PFR")
    return text, [
        Location(44.326859, 131.668647, "decimal", "44.326859, 131.668647", a, a + 21),
        Location(
            None, None, "pluscode-short", "8MG9+PFR", p, p + 8, code="8MG9+PFR", locality="Sergeevka, Primorsky Krai"
        ),
    ]


def test_000_training_in_eastern_russia_and_the_wrong_conclusion():
    text = read("000")
    claims, mentions = extract_claims(text)
    check_spans(text, claims, mentions)
    assert summary(claims) == [
        ("within", "training in eastern Russia", "Russia"),
        ("within", "in Ukraine", "Ukraine"),  # the conclusion's wrong claim about the footage
    ]
    east = claims[0]
    assert east.direction == "eastern" and east.countries == ("RU",)
    # the sentence of the conclusion is about the video
    assert "video showing" in text[max(0, claims[1].start - 90) : claims[1].start]
    reasons = {(m.text, m.reason) for m in mentions}
    assert ("Ukrainian", "nationality") in reasons
    assert ("North Korean", "nationality") in reasons
    assert ("Pyongyang", "government (capital)") in reasons  # "troops sent by Pyongyang"
    # "The presence of North Korean soldiers in Ukraine would ..." is not about the footage
    assert ("in Ukraine", "other subject") in reasons
    assert all(m.reason for m in mentions)


def test_001_claims_mentions_and_plus_code_locality(art001_locations):
    text, locations = art001_locations
    claims, mentions = extract_claims(text, locations)
    check_spans(text, claims, mentions)
    # a location phrase is one claim with a hierarchy: the camp in the Russian Far East, and
    # Sergeevka in Primorsky Krai (the plus code's locality)
    assert summary(claims) == [
        ("within", "training on a Russian military base", "Russia"),
        ("within", "at a Russian military camp", "Russia"),
        ("place", "Sergeevsky military camp in the Russian Far East", "Sergeevsky"),
        ("near", "near North Korea", "North Korea"),
        ("within", "training in Russia", "Russia"),
        ("place", "Sergeevka, Primorsky Krai", "Sergeevka"),
    ]
    by_text = {c.text: c for c in claims}
    camp = by_text["Sergeevsky military camp in the Russian Far East"]
    assert camp.feature_hint == "military camp" and camp.location_index is None
    assert levels(camp) == [("Sergeevsky", "facility"), ("Russian Far East", "country")]
    assert camp.countries == ("RU",)
    assert by_text["near North Korea"].countries == ("KP",)
    assert by_text["training on a Russian military base"].feature_hint == "military base"
    # the plus code's locality is tied to the plus code (index 1), nothing else is tied
    locality = by_text["Sergeevka, Primorsky Krai"]
    assert locality.location_index == 1
    assert levels(locality) == [("Sergeevka", "unknown"), ("Primorsky", "admin1")]
    assert locality.countries == ("RU",)
    assert [c.text for c in claims if c.location_index is not None] == ["Sergeevka, Primorsky Krai"]

    assert mention(mentions, "North Korean").reason == "nationality"
    assert mention(mentions, "Moscow").reason == "government (capital)"
    assert mention(mentions, "Pyongyang").reason == "government (capital)"
    kursk = mention(mentions, "Russia’s Kursk Oblast")
    assert (kursk.reason, kursk.target, kursk.countries) == ("destination", "Kursk Oblast", ("RU",))
    assert mention(mentions, "in Ukraine", 0).reason == "event"  # "War in Ukraine"
    assert mention(mentions, "in Ukraine", 1).reason == "destination"  # "ready to fight" in Ukraine
    assert mention(mentions, "Russia", 0).reason == "page furniture"  # NEXT Russia on the verge ...
    assert mention(mentions, "Russia", 0).start > text.index("NEXT")
    ukraine = [m.reason for m in mentions if m.target == "Ukraine"]
    assert set(ukraine) >= {"organisation", "government", "named in passing"}
    # nothing from the tweet credit, months or the URL
    assert not any("GeoConfirmed" in c.text or "August" in c.text for c in claims + mentions)


def test_001_without_locations_still_reads_the_plus_code_locality():
    text = read("001")
    claims, _ = extract_claims(text)
    loc = [c for c in claims if c.text == "Sergeevka, Primorsky Krai"]
    assert [(c.kind, c.location_index, levels(c)) for c in loc] == [
        ("place", None, [("Sergeevka", "unknown"), ("Primorsky", "admin1")])
    ]


def test_002_sergeevka_border_and_furniture():
    text = read("002")
    claims, mentions = extract_claims(text)
    check_spans(text, claims, mentions)
    assert summary(claims) == [
        ("within", "Russian training grounds", "Russia"),
        ("place", "Sergeevka Training Facility", "Sergeevka"),
        ("within", "situated in eastern Russia", "Russia"),
        ("place", "Sergeevka Training Ground", "Sergeevka"),
        ("border", "situated near Russia's border with China", "Russia's border with China"),
    ]
    border = claims[-1]
    assert border.countries == ("RU", "CN") and border.qualifier == "near"
    assert claims[2].direction == "eastern"
    assert claims[3].feature_hint == "training ground"
    # the truncated caption above the full one is page furniture
    teaser = mention(mentions, "Sergeevka Training Facility")
    assert teaser.reason == "page furniture" and teaser.start < claims[1].start
    assert mention(mentions, "Kyiv").reason == "government (capital)"
    assert mention(mentions, "Russia", 0).reason == "destination"  # transported to Russia
    examples = [m for m in mentions if m.reason == "example list"]
    assert [m.text for m in examples] == ["Russia", "Ukraine"]
    assert mention(mentions, "in Asia").reason == "other subject"
    venezuela = [m for m in mentions if m.text in ("Venezuela", "Venezuelan", "U.S.")]
    assert len(venezuela) == 4 and {m.reason for m in venezuela} == {"page furniture"}


def test_003_far_east_training_ground_and_widget():
    text = read("003")
    claims, mentions = extract_claims(text)
    check_spans(text, claims, mentions)
    assert summary(claims) == [
        ("within", "in Russia’s far east", "Russian Far East"),
        ("border", "a training ground near Russia’s border with China", "Russia’s border with China"),
    ]
    assert claims[0].countries == ("RU",)
    assert claims[1].countries == ("RU", "CN") and claims[1].feature_hint == "training ground"
    assert mention(mentions, "in eastern Ukraine").reason == "other subject"
    assert mention(mentions, "South Korea").reason == "organisation"
    assert mention(mentions, "training in Russia").reason == "destination"  # sent for military training
    assert mention(mentions, "in Ukraine").reason == "destination"  # to be deployed in Ukraine
    # "24 C / Colombo" weather widget: Colombo is a capital the lexicon knows, but the line is furniture
    colombo = [m for m in mentions if m.text == "Colombo"]
    assert colombo == [] or colombo[0].reason == "page furniture"


def test_003_colombo_widget_is_furniture_when_recognised():
    def lookup(name):
        from geoverify.model import Place

        if name == "Colombo":
            return [
                Place("geonames:1248991", "Colombo", 6.93, 79.85, "place", "P.PPLC", "LK", population=648034, score=1.0)
            ]
        return []

    text = read("003")
    _, mentions = extract_claims(text, lookup=lookup)
    assert mention(mentions, "Colombo").reason == "page furniture"


def test_004_sergievsky_training_centre_and_not_places():
    text = read("004")
    claims, mentions = extract_claims(text)
    check_spans(text, claims, mentions)
    assert summary(claims) == [
        # "showed ... soldiers preparing for deployment at a Russian military training center"
        ("within", "at a Russian military training center", "Russia"),
        ("place", "Sergievsky Training Ground in Russia's Far East", "Sergievsky"),
    ]
    assert claims[0].countries == ("RU",) and claims[0].feature_hint == "military training center"
    assert claims[1].feature_hint == "training ground"
    assert levels(claims[1]) == [("Sergievsky", "facility"), ("Russian Far East", "country")]
    assert mention(mentions, "North Korean").reason == "nationality"
    war = mention(mentions, "Ukraine War")
    assert (war.reason, war.target) == ("event name", "Ukraine")
    # the Korean Central News Agency and the NIS are organisations, never places
    assert not any("News Agency" in c.text or "NIS" in c.text for c in claims + mentions)
    assert mention(mentions, "Korean").reason == "organisation"
    # "of Ukraine" inside "the Centre for Strategic Communication and Information Security of Ukraine"
    assert mention(mentions, "Ukraine").reason == "organisation"
    # "deployed to Russia", "transporting ... troops to Russia"
    assert [m.reason for m in mentions if m.text == "Russia"] == [
        "named in passing",
        "destination",
        "destination",
        "government",
    ]


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_every_article_round_trips(name):
    text = read(name)
    claims, mentions = extract_claims(text)
    for c in claims:
        assert c.role == "claim" and c.reason == ""
    for m in mentions:
        assert m.role == "mention" and m.reason
        assert m.location_index is None
    spans = sorted((c.start, c.end) for c in claims + mentions)
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:]):
        assert e1 <= s2, "claims and mentions never overlap"


def test_001_with_the_coordinate_extractor():
    """The whole extract step: locations from geoverify.notation, then claims tied to them."""
    from geoverify.notation import extract

    text = read("001")
    locations = extract(text)
    kinds = [loc.kind for loc in locations]
    assert "pluscode-short" in kinds
    code_index = kinds.index("pluscode-short")
    claims, _ = extract_claims(text, locations)
    tied = [(c.kind, c.text) for c in claims if c.location_index == code_index]
    assert tied == [("place", "Sergeevka, Primorsky Krai")]
