"""Claim extraction with the real gazetteer as ``lookup`` (skipped when the index is not built)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geoverify.claims.extract import extract_claims, parse_claim
from geoverify.model import Location

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def resolve(index_available):
    from geoverify.gazetteer import resolve as _resolve

    return _resolve


def read(name: str) -> str:
    (path,) = ARTICLES.glob(f"{name}_*.txt")
    return path.read_text(encoding="utf-8")


def test_articles_give_the_same_claims_with_the_gazetteer(resolve):
    for name in ("000", "001", "002", "003", "004"):
        text = read(name)
        plain, plain_m = extract_claims(text)
        rich, rich_m = extract_claims(text, lookup=resolve)
        assert [(c.kind, c.text, c.target) for c in rich] == [(c.kind, c.text, c.target) for c in plain]
        # mentions may only grow (names the gazetteer recognises), never change reason
        plain_set = {(m.start, m.reason) for m in plain_m}
        assert plain_set <= {(m.start, m.reason) for m in rich_m}


def test_001_locality_with_the_gazetteer(resolve):
    text = read("001")
    p = text.index("8MG9+PFR")
    locations = [
        Location(
            None, None, "pluscode-short", "8MG9+PFR", p, p + 8, code="8MG9+PFR", locality="Sergeevka, Primorsky Krai"
        )
    ]
    claims, _ = extract_claims(text, locations, lookup=resolve)
    tied = [(c.kind, c.target, c.countries) for c in claims if c.location_index == 0]
    # one claim: Sergeevka, qualified by Primorsky Krai (an admin-1 region of Russia), so the
    # phrase's country is Russia
    assert tied == [("place", "Sergeevka", ("RU",))]
    assert [(lv.name, lv.kind.value) for lv in claims[[c.location_index for c in claims].index(0)].chain] == [
        ("Sergeevka", "unknown"),
        ("Primorsky", "admin1"),
    ]


def test_003_colombo_widget(resolve):
    _, mentions = extract_claims(read("003"), lookup=resolve)
    colombo = [m for m in mentions if m.text == "Colombo"]
    assert [(m.reason, m.countries) for m in colombo] == [("page furniture", ("LK",))]


def test_gazetteer_classifies_unknown_names(resolve):
    # Ouaka is a prefecture (admin-1) of the Central African Republic: "within", CF
    claims, _ = extract_claims("in Bambari, Ouaka", lookup=resolve)
    assert [(c.kind, c.target, c.countries) for c in claims] == [("place", "Bambari", ("CF",))]
    assert [lv.name for lv in claims[0].chain] == ["Bambari", "Ouaka"]
    # "CAR" is the Central African Republic's usual abbreviation
    claims, _ = extract_claims("Akosso town, CAR (around 10 km north of Ouadda town)", lookup=resolve)
    assert [(c.kind, c.target) for c in claims] == [("place", "Akosso"), ("distance", "Ouadda")]
    assert claims[0].countries == ("CF",) and [lv.name for lv in claims[0].chain] == ["Akosso", "CAR"]
    # two letters that match an ISO code are not read as a country ("PK 13" is a kilometre post)
    claims, _ = extract_claims("Begoua YEMBI situé au PK 13 sur l’axe Bangui-Boali", lookup=resolve)
    assert "PK" not in [c.target for c in claims]


def test_people_and_organisations_stay_out_with_the_gazetteer(resolve):
    text = "President Volodymyr Zelensky and Kim Jong Un were named; CNN said the video was geolocated by GeoConfirmed."
    claims, mentions = extract_claims(text, lookup=resolve)
    assert claims == []
    assert mentions == []


def test_parse_claim_with_the_gazetteer(resolve):
    c = parse_claim("kramatorsk", lookup=resolve)
    assert (c.kind, c.target, c.text) == ("place", "kramatorsk", "kramatorsk")
    c = parse_claim("in Ouaka", lookup=resolve)
    assert (c.kind, c.target, c.countries) == ("within", "Ouaka", ("CF",))
