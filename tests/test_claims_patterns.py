"""Every claim pattern on synthetic sentences, the UCDP descriptions, and parse_claim.

Distances are checked against the exact unit definitions: 1 international mile =
1.609344 km, 1 nautical mile = 1.852 km, 1 foot = 0.3048 m.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geoverify.claims.extract import extract_claims, parse_claim
from geoverify.errors import ParseError
from geoverify.model import Place

DATA = Path(__file__).resolve().parent / "data"

MILE = 1.609344
NMI = 1.852

# sentence -> (kind, text, target, distance_km, qualifier, direction, countries)
PATTERNS = [
    # distances, units and qualifiers
    (
        "The video was filmed 20 km from Kramatorsk.",
        ("distance", "filmed 20 km from Kramatorsk", "Kramatorsk", 20.0, None, None, ()),
    ),
    (
        "The site lies 7 miles from the Ukraine border.",
        ("distance", "lies 7 miles from the Ukraine border", "Ukraine border", 7 * MILE, None, None, ("UA",)),
    ),
    (
        "The footage was shot about 50 kilometres north of Kharkiv.",
        ("distance", "shot about 50 kilometres north of Kharkiv", "Kharkiv", 50.0, "about", "N", ()),
    ),
    (
        "The camp is within 10 km of Bakhmut.",
        ("distance", "within 10 km of Bakhmut", "Bakhmut", 10.0, "within", None, ()),
    ),
    ("The base is 500 m from Avdiivka.", ("distance", "500 m from Avdiivka", "Avdiivka", 0.5, None, None, ())),
    # UCDP 23.1 (Ukraine): "One and a half kilometers from Slovyansk" had been a place claim on "One"
    (
        "One and a half kilometers from Slovyansk",
        ("distance", "One and a half kilometers from Slovyansk", "Slovyansk", 1.5, None, None, ()),
    ),
    (
        "It fell 2 and a half km north of Izium.",
        ("distance", "2 and a half km north of Izium", "Izium", 2.5, None, "N", ()),
    ),
    (
        "The base is 500 metres south-west of Avdiivka.",
        ("distance", "500 metres south-west of Avdiivka", "Avdiivka", 0.5, None, "SW", ()),
    ),
    (
        "The base is 800 meters from Avdiivka.",
        ("distance", "800 meters from Avdiivka", "Avdiivka", 0.8, None, None, ()),
    ),
    (
        "Geolocated footage shows the strike more than 30 mi NE of Donetsk.",
        ("distance", "more than 30 mi NE of Donetsk", "Donetsk", 30 * MILE, "more than", "NE", ()),
    ),
    (
        "It was filmed some 3.5 nautical miles off the coast of Crimea.",
        (
            "distance",
            "filmed some 3.5 nautical miles off the coast of Crimea",
            "Crimea",
            3.5 * NMI,
            "about",
            None,
            ("UA",),
        ),
    ),
    (
        "The ship was filmed 12 nm from Sevastopol.",
        ("distance", "filmed 12 nm from Sevastopol", "Sevastopol", 12 * NMI, None, None, ()),
    ),
    (
        "The camp is roughly 40 kilometers east of Kupiansk.",
        ("distance", "roughly 40 kilometers east of Kupiansk", "Kupiansk", 40.0, "about", "E", ()),
    ),
    (
        "The camp is approximately 15 km from Izium.",
        ("distance", "approximately 15 km from Izium", "Izium", 15.0, "about", None, ()),
    ),
    (
        "The video was filmed nearly 2 miles from the Russia-China border.",
        (
            "distance",
            "filmed nearly 2 miles from the Russia-China border",
            "Russia-China border",
            2 * MILE,
            "nearly",
            None,
            ("RU", "CN"),
        ),
    ),
    (
        "The convoy was seen almost 3 km from Vovchansk.",
        ("distance", "seen almost 3 km from Vovchansk", "Vovchansk", 3.0, "nearly", None, ()),
    ),
    (
        "The depot is over 100 km from Moscow.",
        ("distance", "over 100 km from Moscow", "Moscow", 100.0, "more than", None, ("RU",)),
    ),
    (
        "The depot is less than 5 km from Belgorod.",
        ("distance", "less than 5 km from Belgorod", "Belgorod", 5.0, "less than", None, ()),
    ),
    (
        "The depot is under 2 km from Belgorod.",
        ("distance", "under 2 km from Belgorod", "Belgorod", 2.0, "less than", None, ()),
    ),
    (
        "The footage was recorded up to 15 km from Pokrovsk.",
        ("distance", "recorded up to 15 km from Pokrovsk", "Pokrovsk", 15.0, "up to", None, ()),
    ),
    (
        "The video shows a convoy 12-13 km north of Bangui.",
        ("distance", "12-13 km north of Bangui", "Bangui", 12.5, "between", "N", ("CF",)),
    ),
    (
        "The video shows a position 1,5 km from Chasiv Yar.",
        ("distance", "1,5 km from Chasiv Yar", "Chasiv Yar", 1.5, None, None, ()),
    ),
    (
        "The video shows a position 2,000 feet from Chasiv Yar.",
        ("distance", "2,000 feet from Chasiv Yar", "Chasiv Yar", 0.6096, None, None, ()),
    ),
    (
        "The camp lies 20km from Kramatorsk.",
        ("distance", "lies 20km from Kramatorsk", "Kramatorsk", 20.0, None, None, ()),
    ),
    (
        "The camp lies a 50-kilometre drive, 50 kilometres (31 miles) from Kharkiv.",
        ("distance", "50 kilometres (31 miles) from Kharkiv", "Kharkiv", 50.0, None, None, ()),
    ),
    (
        "The site is five kilometres west of Lyman.",
        ("distance", "five kilometres west of Lyman", "Lyman", 5.0, None, "W", ()),
    ),
    (
        "The village lies 10 kilometres away from Siversk.",
        ("distance", "lies 10 kilometres away from Siversk", "Siversk", 10.0, None, None, ()),
    ),
    # directions (16 points)
    (
        "The video shows the town south of Kharkiv.",
        ("direction", "the town south of Kharkiv", "Kharkiv", None, None, "S", ()),
    ),
    (
        "The video was shot north-east of Izium.",
        ("direction", "shot north-east of Izium", "Izium", None, None, "NE", ()),
    ),
    ("The video was shot northeast of Izium.", ("direction", "shot northeast of Izium", "Izium", None, None, "NE", ())),
    ("The video was shot NE of Izium.", ("direction", "shot NE of Izium", "Izium", None, None, "NE", ())),
    (
        "The video was shot north-northwest of Izium.",
        ("direction", "shot north-northwest of Izium", "Izium", None, None, "NNW", ()),
    ),
    ("The video was shot ESE of Izium.", ("direction", "shot ESE of Izium", "Izium", None, None, "ESE", ())),
    (
        "Footage geolocated west of the Dnipro.",
        ("direction", "geolocated west of the Dnipro", "Dnipro", None, None, "W", ()),
    ),
    (
        "The blast was filmed just north of Vuhledar.",
        ("direction", "filmed just north of Vuhledar", "Vuhledar", None, "just", "N", ()),
    ),
    (
        "The video was filmed to the south of Toretsk.",
        ("direction", "filmed to the south of Toretsk", "Toretsk", None, None, "S", ()),
    ),
    # borders
    (
        "The video shows the camp near the China border.",
        ("border", "the camp near the China border", "China border", None, "near", None, ("CN",)),
    ),
    (
        "The base is near Russia's border with China.",
        ("border", "near Russia's border with China", "Russia's border with China", None, "near", None, ("RU", "CN")),
    ),
    ("The footage was filmed at the border.", ("border", "filmed at the border", "border", None, "at", None, ())),
    (
        "The footage shows troops on the Ukrainian border.",
        ("border", "on the Ukrainian border", "Ukrainian border", None, "on", None, ("UA",)),
    ),
    (
        "The convoy was filmed along the border with Belarus.",
        ("border", "filmed along the border with Belarus", "border with Belarus", None, "along", None, ("BY",)),
    ),
    (
        "The video was filmed close to the border between Russia and North Korea.",
        (
            "border",
            "filmed close to the border between Russia and North Korea",
            "border between Russia and North Korea",
            None,
            "close to",
            None,
            ("RU", "KP"),
        ),
    ),
    # near
    (
        "The video was filmed near North Korea.",
        ("near", "filmed near North Korea", "North Korea", None, "near", None, ("KP",)),
    ),
    (
        "The video was filmed close to Vladivostok.",
        ("near", "filmed close to Vladivostok", "Vladivostok", None, "close to", None, ()),
    ),
    (
        "The video was filmed on the outskirts of Kherson.",
        ("near", "filmed on the outskirts of Kherson", "Kherson", None, "outskirts", None, ()),
    ),
    (
        "The video was filmed not far from Vladivostok.",
        ("near", "filmed not far from Vladivostok", "Vladivostok", None, "not far from", None, ()),
    ),
    (
        "It was filmed on Kyiv's outskirts.",
        ("near", "filmed on Kyiv's outskirts", "Kyiv", None, "outskirts", None, ("UA",)),
    ),
    (
        "The video shows a road a few kilometres from Bakhmut.",
        ("near", "a few kilometres from Bakhmut", "Bakhmut", None, "a few km", None, ()),
    ),
    # within
    (
        "The images were taken in Primorsky Krai.",
        ("within", "taken in Primorsky Krai", "Primorsky Krai", None, None, None, ("RU",)),
    ),
    (
        "The video was filmed in Russia's Far East.",
        ("within", "filmed in Russia's Far East", "Russian Far East", None, None, None, ("RU",)),
    ),
    (
        "The video was filmed in eastern Russia.",
        ("within", "filmed in eastern Russia", "Russia", None, None, "eastern", ("RU",)),
    ),
    (
        "The video was filmed in far eastern Russia.",
        ("within", "filmed in far eastern Russia", "Russian Far East", None, None, None, ("RU",)),
    ),
    (
        "The footage shows troops in the east of Ukraine.",
        ("within", "in the east of Ukraine", "Ukraine", None, None, "eastern", ("UA",)),
    ),
    (
        "The footage shows troops in the far east of Russia.",
        ("within", "in the far east of Russia", "Russian Far East", None, None, None, ("RU",)),
    ),
    (
        "The video was filmed in the Russian Far East.",
        ("within", "filmed in the Russian Far East", "Russian Far East", None, None, None, ("RU",)),
    ),
    ("The video was filmed inside Russia.", ("within", "filmed inside Russia", "Russia", None, None, None, ("RU",))),
    (
        "The site is situated in eastern Russia.",
        ("within", "situated in eastern Russia", "Russia", None, None, "eastern", ("RU",)),
    ),
    (
        "The footage shows soldiers on a Russian military base.",
        ("within", "on a Russian military base", "Russia", None, None, None, ("RU",)),
    ),
    (
        "The video was filmed in Russian territory.",
        ("within", "filmed in Russian territory", "Russia", None, None, None, ("RU",)),
    ),
    (
        "The video was filmed in the Kharkiv region.",
        ("within", "filmed in the Kharkiv region", "Kharkiv region", None, None, None, ()),
    ),
    (
        "The video was filmed deep inside Russia.",
        ("within", "filmed deep inside Russia", "Russia", None, "deep", None, ("RU",)),
    ),
    # places
    (
        "The video shows the Sergeevka training ground.",
        ("place", "Sergeevka training ground", "Sergeevka", None, None, None, ()),
    ),
    ("The video was filmed in Sergeevka.", ("place", "Sergeevka", "Sergeevka", None, None, None, ())),
    ("The video was geolocated to Sergeevka.", ("place", "Sergeevka", "Sergeevka", None, None, None, ())),
    ("The video shows the Ukrainian town of Pokrovsk.", ("place", "Pokrovsk", "Pokrovsk", None, None, None, ("UA",))),
]


@pytest.mark.parametrize("sentence, expected", PATTERNS, ids=[p[0][:50] for p in PATTERNS])
def test_pattern(sentence, expected):
    claims, _ = extract_claims(sentence)
    assert len(claims) == 1, [c.text for c in claims]
    c = claims[0]
    kind, text, target, km, qualifier, direction, countries = expected
    assert (c.kind, c.text, c.target) == (kind, text, target)
    assert sentence[c.start : c.end] == c.text
    if km is None:
        assert c.distance_km is None
    else:
        assert c.distance_km == pytest.approx(km, rel=1e-9)
    assert c.qualifier == qualifier
    assert c.direction == direction
    assert c.countries == countries


def test_distance_text_is_verbatim_with_qualifier_and_conversion():
    claims, _ = extract_claims("Bria, about 600 km (360 miles) northeast of the capital Bangui")
    (d,) = [c for c in claims if c.kind == "distance"]
    assert d.distance_text == "about 600 km (360 miles)"
    assert (d.distance_km, d.direction, d.target, d.qualifier) == (600.0, "NE", "Bangui", "about")


def test_feature_hints():
    claims, _ = extract_claims("The video shows the camp near the China border.")
    assert claims[0].feature_hint == "camp"
    claims, _ = extract_claims("The video was filmed in the Sergeevsky military camp.")
    assert (claims[0].target, claims[0].feature_hint) == ("Sergeevsky", "military camp")
    claims, _ = extract_claims("The video shows Kursk Oblast.")
    assert (claims[0].kind, claims[0].target, claims[0].feature_hint) == ("within", "Kursk Oblast", "oblast")


def test_a_base_abroad_names_its_owner_not_its_place():
    claims, mentions = extract_claims("A Russian military base in Syria was shown in the video.")
    assert [(c.kind, c.text) for c in claims] == [("within", "in Syria")]
    assert [(m.text, m.reason) for m in mentions] == [("Russian", "nationality")]


def test_lists_share_their_relation():
    # one claim that holds when any listed place does
    claims, _ = extract_claims("The videos were filmed in Bakhmut, Soledar and Siversk.")
    assert [(c.kind, c.text) for c in claims] == [("place", "Bakhmut, Soledar and Siversk")]
    assert [(a.kind, a.target) for a in claims[0].alternatives] == [
        ("place", "Bakhmut"),
        ("place", "Soledar"),
        ("place", "Siversk"),
    ]


@pytest.mark.parametrize(
    "sentence, reason, text",
    [
        ("Moscow plans to send more troops, the video shows.", "government (capital)", "Moscow"),
        ("The video confirms Kyiv's fears.", "government (capital)", "Kyiv"),
        ("The video shows North Korean troops.", "nationality", "North Korean"),
        ("The video shows Ukrainian officials at a briefing.", "nationality", "Ukrainian"),
        ("The video shows the Russian President.", "nationality", "Russian"),
        ("The video shows troops who would be deployed to Kursk Oblast.", "destination", "Kursk Oblast"),
        ("The video shows soldiers sent to Russia.", "destination", "Russia"),
        ("The video shows men ready to fight in Ukraine.", "destination", "in Ukraine"),
        ("The video shows the convoy en route to Kherson.", "destination", "Kherson"),
        ("The video shows personnel in countries like Russia and Ukraine.", "example list", "Russia"),
        ("The video was released by the Kremlin.", "government (seat)", "Kremlin"),
        ("The video, released in Kyiv on Monday, shows a strike.", "other subject", "Kyiv"),
        ("The footage documents the war in Ukraine.", "event", "in Ukraine"),
        ("The video shows people from Chad.", "origin", "Chad"),
        # a heading is the way a place lies, not the place (UCDP CAR descriptions)
        ("Kopia 40 km east of Ippy in the direction of Bambari", "destination", "Bambari"),
        ("Kagoué 2 (located on the axis Kamba-kota - Ouogo towards Markounda)", "destination", "Markounda"),
        # a military formation named after a place or a word is not the place (UCDP Ukraine)
        ("in the zone of responsibility of the Skhid (East) operational-tactical group", "organisation", "Skhid"),
        ("The Khortytsia group of forces said the video shows a strike.", "organisation", "Khortytsia"),
    ],
)
def test_mentions_with_reasons(sentence, reason, text):
    claims, mentions = extract_claims(sentence)
    found = [m for m in mentions if m.text == text]
    assert found, [(m.text, m.reason) for m in mentions]
    assert found[0].reason == reason
    assert all(c.text != text for c in claims)


@pytest.mark.parametrize(
    "sentence",
    [
        "The video was filmed in August.",
        "They will be ready by November 1.",
        "The soldiers spoke in Korean.",
        "The form was written in Russian, while the sizes were in Korean.",
        "The video was published by the Centre for Strategic Communications.",
        "The National Intelligence Service said so in a video.",
        "President Volodymyr Zelensky said the video is real.",
        "The video was posted on X, formerly Twitter.",
        "The video was shared on Telegram on Friday.",
    ],
)
def test_never_claims(sentence):
    claims, mentions = extract_claims(sentence)
    assert claims == []
    assert all(m.reason != "" for m in mentions)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Smoke rises over Gaza City in this picture taken from southern Israel on October 30.",
            [("place", "Gaza City", "Gaza City"), ("within", "taken from southern Israel", "Israel")],
        ),
        (
            "Video shows smoke over Belgorod, Russia.",  # one phrase: Belgorod, qualified by Russia
            [("place", "Belgorod, Russia", "Belgorod")],
        ),
        (
            "Satellite images from Maxar show new trenches dug along the M-14 highway north of Mariupol.",
            [("direction", "north of Mariupol", "Mariupol")],
        ),  # Maxar is the provider, not a place
        (
            "According to the Institute for the Study of War, Russian forces advanced near Pokrovsk.",
            [("near", "near Pokrovsk", "Pokrovsk")],
        ),
        (
            "A drone struck an oil depot in Russia's Bryansk region overnight, Governor Alexander Bogomaz said.",
            [("within", "an oil depot in Russia's Bryansk region", "Bryansk region")],
        ),
        ("He was born in Odesa and moved to Lviv in 2014.", []),
    ],
)
def test_news_sentences(sentence, expected):
    claims, _ = extract_claims(sentence)
    assert [(c.kind, c.text, c.target) for c in claims] == expected


def test_dateline_is_a_mention():
    text = "KYIV, Ukraine (AP) — A video filmed near Bakhmut shows the strike."
    claims, mentions = extract_claims(text)
    assert [c.text for c in claims] == ["filmed near Bakhmut"]
    assert [(m.text, m.reason) for m in mentions] == [("KYIV", "dateline"), ("Ukraine", "dateline")]


def test_sentences_about_something_else_are_mentions_in_a_story_about_footage():
    text = (
        "A video shows soldiers at the Sergeevka training ground near the China border. "
        "Separately, officials said that shelling hit Kharkiv last week and that ten people died in "
        "Kupiansk. The analysts added that the footage had not been verified by anyone so far at all."
    )
    claims, mentions = extract_claims(text)
    assert [c.text for c in claims] == ["Sergeevka training ground", "near the China border"]
    assert [(m.text, m.reason) for m in mentions] == [("Kupiansk", "other subject")]


def test_an_event_report_without_subject_cues_keeps_its_claims():
    text = (
        "Rebels attacked the market in Bambari on Tuesday, and fighting spread to villages "
        "about 40 km north of Bria, where several houses were burnt and many people fled into the bush."
    )
    claims, _ = extract_claims(text)
    assert [(c.kind, c.target) for c in claims] == [("place", "Bambari"), ("distance", "Bria")]


# ---------------------------------------------------------------------------- UCDP

UCDP = json.loads((DATA / "ucdp_where_descriptions.json").read_text(encoding="utf-8"))
# description -> [(kind, target, distance_km, direction, qualifier)]
UCDP_EXPECTED = {
    "Bangassou town": [("place", "Bangassou", None, None, None)],
    "near Birao": [("near", "Birao", None, None, "near")],
    "Bambari (near)": [("near", "Bambari", None, None, "near")],
    "1km outside of Alindao": [("distance", "Alindao", 1.0, None, None)],
    "Beboura 1 village (26 km east of Paoua)": [
        ("place", "Beboura 1", None, None, None),
        ("distance", "Paoua", 26.0, "E", None),
    ],
    "Datoko village (7 km south of Alindao)": [
        ("place", "Datoko", None, None, None),
        ("distance", "Alindao", 7.0, "S", None),
    ],
    # a place followed by a relation in parentheses is the relation's anchor, not the event's place
    "Bouca (10 km south of)": [("distance", "Bouca", 10.0, "S", None)],
    "Bossangoa region (about 29 kilometres south of Bossangoa)": [
        ("within", "Bossangoa region", None, None, None),
        ("distance", "Bossangoa", 29.0, "S", "about"),
    ],
    "Bria, about 600 km (360 miles) northeast of the capital Bangui": [
        ("place", "Bria", None, None, None),
        ("distance", "Bangui", 600.0, "NE", "about"),
    ],
    "Bangassou, a strategic town 600km south-east of the capital, not far from the border with Congo.": [
        ("place", "Bangassou", None, None, None),
        ("border", "border with Congo", None, None, "not far from"),
    ],
    "Akosso town, CAR (around 10 km north of Ouadda town)": [
        ("place", "Akosso", None, None, None),
        ("distance", "Ouadda", 10.0, "N", "about"),
    ],
    "Bambari, a town 380 km (236 miles) northwest of Bangui": [
        ("place", "Bambari", None, None, None),
        ("distance", "Bangui", 380.0, "NW", None),
    ],
    "Combatant neighbourhood of the 8th arrondissement, near Bangui airport.": [
        ("place", "Combatant", None, None, None),
        ("near", "Bangui", None, None, "near"),
    ],
    "Bohong village western part of CAR near Cameroon border.": [
        ("place", "Bohong", None, None, None),
        ("border", "Cameroon border", None, None, "near"),
    ],
    "outside Bangui": [("near", "Bangui", None, None, "outside")],
    "Djemah town (north of)": [("direction", "Djemah", None, "N", None)],
    "Bangui city (five kilometers from the center of Bangui)": [("distance", "Bangui", 5.0, None, None)],
    "Central African Republic remote southeast": [("within", "Central African Republic", None, None, None)],
    "A village 60 km from Damara": [("distance", "Damara", 60.0, None, None)],
    "Batangafo 10 km from": [("distance", "Batangafo", 10.0, None, None)],
}


def test_ucdp_sample_is_attributed_and_complete():
    assert UCDP["license"] == "CC BY 4.0"
    assert "UCDP" in UCDP["source"] and "23.1" in UCDP["source"]
    assert "Sundberg" in UCDP["citation"]
    descriptions = [d["where_description"] for d in UCDP["descriptions"]]
    assert len(descriptions) == 20
    assert set(descriptions) == set(UCDP_EXPECTED)


@pytest.mark.parametrize("description", [d["where_description"] for d in UCDP["descriptions"]])
def test_ucdp_where_descriptions(description):
    claims, mentions = extract_claims(description)
    got = [
        (c.kind, c.target, c.distance_km, c.direction if c.kind in ("distance", "direction") else None, c.qualifier)
        for c in claims
    ]
    assert got == UCDP_EXPECTED[description]
    for c in claims:
        assert description[c.start : c.end] == c.text


def test_ucdp_details():
    claims, _ = extract_claims("Central African Republic remote southeast")
    assert (claims[0].countries, claims[0].direction) == (("CF",), "remote southeastern")
    claims, _ = extract_claims("Bambari, a town 380 km (236 miles) northwest of Bangui")
    assert claims[1].text == "a town 380 km (236 miles) northwest of Bangui"
    assert claims[1].feature_hint == "town"
    claims, _ = extract_claims(
        "Bangassou, a strategic town 600km south-east of the capital, not far from the border with Congo."
    )
    assert claims[1].countries == ()  # "Congo" is two countries: no code is guessed


# ---------------------------------------------------------------------------- parse_claim


@pytest.mark.parametrize(
    "phrase, kind, target, km, countries",
    [
        ("near the China border", "border", "China border", None, ("CN",)),
        ("Sergeevka", "place", "Sergeevka", None, ()),
        ("20 km from Kramatorsk", "distance", "Kramatorsk", 20.0, ()),
        ("in Primorsky Krai", "within", "Primorsky Krai", None, ("RU",)),  # a krai is Russian
        ("Primorsky Krai", "within", "Primorsky Krai", None, ("RU",)),
        ("eastern Russia", "within", "Russia", None, ("RU",)),
        ("near Russia's border with China", "border", "Russia's border with China", None, ("RU", "CN")),
        ("about 50 kilometres north of Kharkiv", "distance", "Kharkiv", 50.0, ()),
        ("near kramatorsk", "near", "kramatorsk", None, ()),
        ("15 miles from kramatorsk", "distance", "kramatorsk", 15 * MILE, ()),
        ("Sergeevka, Russia", "place", "Sergeevka", None, ("RU",)),
        ("Sergeevka, Primorsky Krai", "place", "Sergeevka", None, ("RU",)),  # the region's country
        ("  Sergeevka training ground  ", "place", "Sergeevka", None, ()),
    ],
)
def test_parse_claim(phrase, kind, target, km, countries):
    c = parse_claim(phrase)
    assert (c.text, c.start, c.end) == (phrase, 0, len(phrase))
    assert (c.kind, c.target, c.countries) == (kind, target, countries)
    assert c.distance_km == (pytest.approx(km) if km is not None else None)
    assert c.role == "claim" and c.location_index is None


def test_parse_claim_lowercase_name_needs_the_gazetteer():
    with pytest.raises(ParseError, match="capital letter"):
        parse_claim("sergeevka")

    def lookup(name):
        if name.lower() == "sergeevka":
            return [Place("geonames:2020626", "Sergeyevka", 44.33749, 131.66142, "place", "P.PPL", "RU", score=0.95)]
        return []

    c = parse_claim("sergeevka", lookup=lookup)
    assert (c.kind, c.target) == ("place", "sergeevka")


@pytest.mark.parametrize(
    "phrase, message",
    [
        ("", "empty claim"),
        ("   ", "empty claim"),
        ("North Korean", "nationality"),
        ("in August", "cannot read"),
        ("hello world", "cannot read"),
        ("20 km from", "cannot read"),
        ("near Bakhmut and 20 km from Kramatorsk", "2 claims"),
    ],
)
def test_parse_claim_errors(phrase, message):
    with pytest.raises(ParseError, match=message) as info:
        parse_claim(phrase)
    assert repr(phrase) in str(info.value)


def test_parse_claim_rejects_non_text():
    with pytest.raises(ParseError):
        parse_claim(None)
    with pytest.raises(ParseError):
        extract_claims(b"near Kyiv")


# ---------------------------------------------------------------------------- ties to locations


def _loc(text, coord, lat, lon):
    from geoverify.model import Location

    start = text.index(coord)
    return Location(lat, lon, "decimal", coord, start, start + len(coord))


def test_claim_in_the_sentence_of_a_coordinate_is_tied_to_it():
    text = "The strike was geolocated to 48.5, 37.9 near Bakhmut."
    claims, _ = extract_claims(text, [_loc(text, "48.5, 37.9", 48.5, 37.9)])
    assert [(c.text, c.location_index) for c in claims] == [("near Bakhmut", 0)]


def test_nearest_of_two_coordinates_in_a_sentence():
    text = "Two videos: 48.5, 37.9 (near Bakhmut) and 47.1, 37.5 (in Mariupol)."
    locs = [_loc(text, "48.5, 37.9", 48.5, 37.9), _loc(text, "47.1, 37.5", 47.1, 37.5)]
    claims, _ = extract_claims(text, locs)
    assert [(c.text, c.location_index) for c in claims] == [("near Bakhmut", 0), ("Mariupol", 1)]


def test_neighbouring_sentence_ties_but_another_paragraph_does_not():
    text = (
        "The video was geolocated by volunteers. Coordinates: 48.5, 37.9. It shows the outskirts "
        "of Bakhmut, with smoke rising over the town.\n\nA second video shows a convoy near Soledar "
        "that the volunteers could not place precisely at all."
    )
    claims, _ = extract_claims(text, [_loc(text, "48.5, 37.9", 48.5, 37.9)])
    assert [(c.text, c.location_index) for c in claims] == [("the outskirts of Bakhmut", 0), ("near Soledar", None)]


def test_a_coordinate_makes_its_sentence_about_the_subject():
    # the story is about a video (cue words), this sentence has none, but it holds the coordinate
    text = (
        "The video shows the aftermath of a strike and was shared widely on Monday.\n\n"
        "Officials later gave 48.5, 37.9, near Bakhmut, as the position of the crater."
    )
    claims, _ = extract_claims(text, [_loc(text, "48.5, 37.9", 48.5, 37.9)])
    assert [(c.text, c.location_index) for c in claims] == [("near Bakhmut", 0)]


@pytest.mark.parametrize(
    "caption, expected",
    [
        ("Filmed in Myla, Kyiv Oblast, Ukraine", ["Myla, Kyiv Oblast, Ukraine"]),
        ("Shot in Myla.", ["Myla"]),
        ("Located near Bakhmut", ["Located near Bakhmut"]),
        ("Geolocated to Pisky, Donetsk Oblast", ["Pisky, Donetsk Oblast"]),
    ],
)
def test_a_caption_opening_with_its_verb_claims_no_place_named_after_the_verb(caption, expected):
    # "Filmed" at the start of a caption is capitalised but is no place (it was claimed as one)
    claims, _ = extract_claims(caption)
    assert [c.text for c in claims] == expected


@pytest.mark.parametrize(
    "text, target, km",
    [
        ("Ngakobo located 60 km Bambari", "Bambari", 60.0),  # UCDP 158682
        ("Wandago à 58 kilomètres de la ville de Kabo", "Kabo", 58.0),  # UCDP's French
        ("Tagbara (75 Km de Bambari – Ippy)", "Bambari", 75.0),
    ],
)
def test_a_description_states_distances_without_from(text, target, km):
    claims, _ = extract_claims(text)
    found = [c for c in claims if c.kind.value == "distance"]
    assert [(c.target, c.distance_km) for c in found] == [(target, km)]


def test_road_towards_a_place_stays_a_road_claim():
    # "towards" after a road noun names the road's far end: the claim is the line from Bria
    claims, _ = extract_claims("3 km north of Bria on the road towards Ouadda.")
    road = [c for c in claims if c.qualifier == "road"]
    assert [(c.kind, c.anchors) for c in road] == [("between", ("Bria", "Ouadda"))]


@pytest.mark.parametrize(
    "text, anchors",
    [
        # UCDP 23.1 (CAR) writes roads by their two ends, with or without spaces around the dash
        ("on the Bria - Ippy road", ("Bria", "Ippy")),
        ("on the Bria-Ippy road", ("Bria", "Ippy")),
        ("Gbi-Gbi on the Batangafo–Bouca road", ("Batangafo", "Bouca")),
        ("Bangui-Damara road", ("Bangui", "Damara")),
        ("Attack at PK 40 on the Bangui-Damara highway.", ("Bangui", "Damara")),
    ],
)
def test_a_road_named_by_its_two_ends_is_a_line_between_them(text, anchors):
    # the second end before "road" is not a street named after a place ("Festivalnaya Street")
    import re

    claims, _ = extract_claims(text)
    road = [c for c in claims if c.qualifier == "road"]
    assert [c.kind for c in road] == ["between"], [(c.text, c.kind) for c in claims]
    # without the gazetteer a dash inside one word stays one anchor (the checker splits it at the name it knows)
    assert re.split(r"\s*[-–]\s*", "-".join(road[0].anchors)) == list(anchors)


def test_a_road_named_after_one_place_is_not_that_place():
    claims, _ = extract_claims("The checkpoint on Festivalnaya Street was shelled.")
    assert not [c for c in claims if c.target == "Festivalnaya"]
    # nor is the street noun itself a place ("Road" had been read as Rode, England)
    claims, _ = extract_claims("A roadblock on Bangui Road.")
    assert not [c for c in claims if c.target in ("Road", "Bangui")], [c.text for c in claims]


def test_a_village_part_numbered_i_keeps_its_numeral():
    # UCDP 23.1 (CAR): "Botto I", "Badene I", "Danda I" (parts of villages; "Botto III" is another); "I" is
    # a pronoun elsewhere
    claims, _ = extract_claims("Botto I")
    assert [c.target for c in claims] == ["Botto I"]
    claims, _ = extract_claims("Badene I village")
    assert [c.target for c in claims] == ["Badene I"]
    claims, _ = extract_claims("In Kyiv I saw the damage.")
    assert [c.target for c in claims] == ["Kyiv"]


def test_a_community_named_by_an_adjective_is_a_hromada_and_people_are_no_place():
    # UCDP 23.1 (Ukraine): "Chervonogrihorivska community." had given no claim at all
    claims, _ = extract_claims("Chervonogrihorivska community.")
    assert [c.feature_hint for c in claims] == ["community"] and claims[0].target.startswith("Chervonogrihorivska")
    # "the Muslim community", "the Fulani community" are people, not a place named Muslim or Fulani
    claims, _ = extract_claims("Shots were fired at the Muslim community.")
    assert "Muslim" not in [c.target for c in claims]
    claims, _ = extract_claims("Clashes in the Christian district of Bangui's PK5 neighbourhood")
    assert "Christian" not in [c.target for c in claims]
