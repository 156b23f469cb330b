"""Documented thresholds for the vague words of location claims, and the figures that set them.

A verifier must be able to disagree with a threshold, so every verdict prints the threshold it
applied beside the measured figure, and every rule lives here, in one place, with its reasoning.
Thresholds scale with what they refer to: "near" a village is not "near" a country or a 4,000 km
border. Where a rule was calibrated, the figures come from real event data whose points are the
truth (UCDP GED, Central African Republic and the Ukraine dev half, precision 1-2), printed by
``bench/calibrate.py`` (skipped when ``../shared`` is absent) and ``make truth``.

Three verdicts, and the band between them
-----------------------------------------
A claim is **consistent** when a plausible reading of it holds, **inconsistent** only when every
plausible reading fails *and* the failing reading is the name's referent with certainty
(see "Referents"), and **unverifiable** otherwise, with the reason. Beyond the consistent limit
of a claim about a point (a town, a village, an area read around its centre), a band of
``POINT_DISAGREEMENT_KM`` (25 km) is unverifiable rather than inconsistent: gazetteers and
event databases put one town's point kilometres apart (UCDP's "Birao town" lies 16 km from
GeoNames' Birao; UCDP precision 2 means "within 25 km"). For districts, councils and register
villages the band is ``FINE_AREA_GREY_KM`` (10 km).

==============================  =====================================================================
claim                           consistent when (all distances geodesic, WGS84)
==============================  =====================================================================
at/in a named site              distance ≤ max(2 km, 3 × the site's stated precision)
at/in a populated place         distance ≤ urban radius + 3 km. One-claim UCDP rows, nearest reading
                                within 100 km: beyond the urban radius p90 2.0 km, p95 2.0 km
                                (UA villages), p95 1.0 km (UA towns), 0.0 km (cities); CAR towns
                                p90 0.7, p95 15.8 km (one town's points disagree: the grey band)
near a populated place          < 10k people: 10 km; < 100k: 20 km; < 1M: 30 km; ≥ 1M: 50 km
                                (+ urban radius beyond 1M). UA near-village p97 6.6 km beyond the
                                radius, CAR near-town p97 1.7 km
on the outskirts of X           distance ≤ urban radius + 5 km
a district of a city            the city's urban radius + 5 km (a district may lie at its city's
("Petrovsky district of         edge: UCDP codes Donetsk's Petrovskyi district 16.3 km from the
Donetsk")                       city's point, its radius being 12.0 km); the index has no city
                                districts
a front sector named by an      the town the adjective is of ("Krasnolymansk": Krasnyi Lyman, now
adjective ("Limansky            Lyman), before any look-alike of the adjective itself (Lymanka)
direction")
at an airport                   within half its longest runway + 1 km (at least 2 km); UCDP events
                                "at" four Ukrainian airports lie 0.0-0.4 km from them
a district / council (polygon)  inside, or within DISTRICT_CLAIM_TOLERANCE_KM (5 km) of its edge:
                                89.3 % of UCDP points named by a raion lie inside, 96.0 % within
                                5 km, 96.6 % within 10 km (n = 1,055); CAR sub-prefectures 95.0 %
                                inside, 98.1 % within 5 km (n = 1,576)
a district without a polygon    within DISTRICT_RADIUS_KM (35 km) + urban radius of the town it is
                                named after (a last resort; the index has geoBoundaries districts)
a village known only from the   inside the council (when it is the seat) or hromada that holds it,
register (KATOTTG)              or within SETTLEMENT_AREA_TOLERANCE_KM (5 km): 92.0 % inside,
                                98.0 % within 5 km, 99.0 % within 10 km (n = 710)
near a town known only by its   within 10 km of the district named after it (+ 5 km, as a register
district (a CAR sub-prefecture  village): near the town, not near a region of the district's size
seat with no point of its own)
a front sector ("X direction",  within FRONT_RADIUS_KM (100 km) of its town
"X axis" with no second town)
an area ("Donetsk area")        within AREA_RADIUS_KM (30 km) of its town
between A and B / on the A–B    within max(10 km, 15 % of A–B) of the geodesic between them; the ends
road                            are the pair of namesakes nearest the location no more than
                                BETWEEN_MAX_SPAN_KM apart (none: unverifiable), and failing decides
                                only when each end is its name's referent (see "Referents"). CAR dev:
                                5 false confirmations on lines to foreign namesakes (Zangba in China)
                                gone (confirmed 59.5 -> 59.2 %), not flagged 97.1 -> 97.2 %;
                                unverifiable, not inconsistent, within a third of a road's length of
                                the line or POINT_DISAGREEMENT_KM beyond the limit (ROAD_WINDING_SHARE);
                                Ukraine: caught 92.6 -> 92.3 % (four pairs of common village names)
near a region (admin-1,         distance to its polygon ≤ clamp(0.5 × √area, 25, 150) km
macro-region)
near a country                  distance to its polygon ≤ clamp(√area, 50, 500) km
near a border                   distance to the border line ≤ clamp(2 % of its length, 25, 100) km
at/on the border                distance to the border line ≤ 5 km
in a region or country          inside its polygon; within the boundary source's accuracy of the
                                edge (1 km countries, 2 km admin-1 and macro-regions, 4 km for
                                Natural Earth's Kyiv City) counts as inside, with a warning; a city
                                speakers count as part of the region around it (Kyiv in Kyiv
                                Oblast, Sevastopol in Crimea: ``data/enclaves.json``) counts
N km from X                     between 0.6 × N and 1.3 × N (stated figures are often road
                                distances, longer than the geodesic, or rounded), each bound moved
                                by half X's urban radius, the location's precision and 1 km;
                                unverifiable between 0.4 × N and 2.0 × N. UCDP rows whose point is
                                not X itself: |measured − N| / N has p50 15 %, p80 35 %, p90 61 %
                                (n = 136). A point *on* X (84 such claims) is unverifiable: event
                                databases code an event to its nearest known town
within N km of X                an upper bound: distance ≤ N (+ X's urban radius and the precision)
more than / less than N km      at least N − tolerance / at most N + tolerance
direction of X                  the bearing from X lies within the word's sector (±45° for N, NE
                                ...; ±22.5° for NNE ...), the location outside X's urban radius
"northern X" (no macro-region)  the bearing from X's reference point within ±67.5° of the word
==============================  =====================================================================

Referents: when a failing reading makes a claim inconsistent
------------------------------------------------------------
(:func:`geoverify.checks.readings.decisive`; figures from ``bench/calibrate.py``: failing nearest
readings at the true point, which would be false alarms if trusted, against those at the point
moved 150 km, which would be catches.)

- a named site, a region, a district inside the phrase's qualifiers: always;
- a populated place of at least NOTABLE_POPULATION (50,000): 13 false alarms, 459 catches;
- a place whose name the gazetteer has only once in its country, of at least 1,000 people: 8 false
  alarms, 463 catches;
- a place with DOMINANCE (5) times the people of its largest namesake: 0 false alarms, 60 catches;
- anything else ("a small place of a common name"): 108 false alarms against 243 catches, so it
  does not decide; the claim is judged at its next qualifier, else unverifiable;
- a Ukrainian village in the national register: every namesake of the register failing decides
  where the location is in Ukraine or the qualifiers put the name there (the register is complete);
  so does a gazetteer place linked to the register when the qualifiers hold it ("Donetsky village,
  Luhansk oblast" failing 150 km from Donetskyi: Ukraine dev caught 92.3 -> 92.5 %, nothing else
  changed);
- a place the phrase calls a town or a city ("Pervomaisk town"), of at least UNIQUE_MIN_POPULATION,
  whose every namesake in reach is also a town of that size: the known towns all failing decides
  (cities500 holds every place of 500 people or more; a missing town is unlikely). Ukraine dev: caught
  92.6 -> 92.8 %, no new false alarm on either set;
- far abroad (another country, not named, more than ABROAD_PLAUSIBLE_KM away): only a city of
  NOTABLE_ABROAD_POPULATION, or a notable place no other place is named like while the location's
  country is well covered by the gazetteer (COVERED_PLACES_PER_1000_KM2);
- an approximate (typo or skeleton) match never decides.
- a town the gazetteer knows only by a commune of its name (no point, no sub-prefecture of that name:
  CAR's 175 communes) holds inside the commune but never decides: communes are also named after rivers
  and peoples ("Kotto" for a village "Kotto 3" 362 km away; "Galabadja", a Bangui quarter, 104 km from
  the commune). Deciding would have caught 0.5 points more on the CAR dev set for 3 false alarms;
  confirming only: CAR confirmed 60.3 -> 60.7 %, nothing else changed. A sub-prefecture or an airstrip
  of the name comes first (tighter).
- a town known only by its airstrip stands anywhere within TOWN_AIRSTRIP_KM of it, for "at" claims as
  for directions (it had been held to an airport's own 2 km): CAR confirmed 60.7 -> 61.0 %.
- a facility the index lacks, named by an adjective like a town's ("the Proletarskaya mine"), is read
  around the town but decides only in the town's country, as a proxy does (it may be named after the
  word: Donbas has Soviet "proletarian" mines 320 km from Proletarsk, Rostov oblast). Ukraine dev: not
  flagged 98.3 -> 98.4 %, confirmed 95.2 -> 95.3 %; CAR unchanged (a facility written with the town's
  own name, "a peacekeeping base in Boali", still decides abroad).
- a front sector ("X direction", "the X axis"): every town of the name of at least
  FRONT_TOWN_MIN_POPULATION people, spelt as the gazetteer spells it, in the location's country, a
  country the text names or within ABROAD_PLAUSIBLE_KM, failing decides (no hamlet the gazetteer
  lacks names a front), and a notable town dominating its namesakes is the front's town even where
  the location's country holds a small namesake ("Donetsk direction" is not Donetsk, Rostov oblast).
  Ukraine dev: caught 91.0 -> 91.8 %, not flagged 98.2 % unchanged; CAR unchanged (the far-abroad
  guard keeps "the Boyo axis" in CAR from failing on Boyo, Côte d'Ivoire);
- an airport the phrase names as one ("Donetsk airport") decides within ABROAD_PLAUSIBLE_KM across
  the border too (a town known only by its airstrip still decides only at home): Ukraine dev
  caught +0.3 points, nothing else changed;
- a name no look-up finds is read, when it can be, as a Russian spelling of a name of Ukraine's
  register (geoverify/gazetteer/register.py): the register names with its vowel-class key
  (consonants kept, vowel runs forgotten), its vowels agreeing (e, i, o, u, y interchangeable inside a
  word, as Russian е/о and Ukrainian і are; a stays a, but Ukrainian ia may answer Russian e; word
  endings free), at most RUSSIAN_FORM_MAX_NAMES names and within RUSSIAN_FORM_MAX_DISTANCE. Such a
  reading is the register's name, and decides as register readings do. On the Ukraine dev rows 55 of
  158 unfound claims had a key match before the vowel test; with it: confirmed 94.2 -> 94.4 %, caught
  90.7 -> 91.0 %, not flagged 98.3 -> 98.2 % (one false alarm: "Novotoshkovka" read as
  Новотишківка, while the village meant is Новотошківське, whose Russian name UCDP mangled).

The *urban radius* of a populated place is the radius of a disc holding its population at 2,000
inhabitants per km² (a typical built-up density), at least 0.5 km: about 0.7 km for a village of
3,000, 15 km for a city of 1.4 million. GeoNames gives a place as one point, so a claim about a city
is measured from that point and the radius absorbs the city's extent.
"""

from __future__ import annotations

import math

SITE_AT_MIN_KM = 2.0
PLACE_AT_MARGIN_KM = 3.0
NEAR_SITE_KM = 5.0
OUTSKIRTS_MARGIN_KM = 5.0
AT_BORDER_KM = 5.0
COUNTRY_EDGE_TOLERANCE_KM = 1.0
REGION_EDGE_TOLERANCE_KM = 2.0
DISTANCE_REL_TOLERANCE = 0.20
DISTANCE_REL_TOLERANCE_APPROX = 0.30
DISTANCE_MIN_TOLERANCE_KM = 1.0
APPROXIMATE_WORDS = {"about", "around", "some", "roughly", "approximately", "approx", "circa", "nearly", "almost", "~"}
AT_LEAST_WORDS = {"more than", "over", "at least", "beyond", "further than"}
AT_MOST_WORDS = {"less than", "under", "up to", "at most", "no more than"}
WITHIN_WORDS = {"within"}


#: Approximate (skeleton or typo) matches below this score are not readings at all.
MIN_APPROXIMATE_SCORE = 0.8
#: A populated place this large is its name's referent wherever the location is:
#: failing with it makes a claim inconsistent.
NOTABLE_POPULATION = 50_000
#: A place whose name the gazetteer has only once in its country is the referent when it
#: has at least this many people (cities500 keeps places of >= 500).
UNIQUE_MIN_POPULATION = 1_000
#: A small place (below NOTABLE_POPULATION) unique or dominant in the gazetteer decides only within
#: this distance of the location: farther, a namesake the gazetteer lacks is likelier than an error
#: that large (UCDP true points: the 8 "unique" false alarms of bench/calibrate.py lie 466-1,162 km
#: from their candidate; catches at the point moved 150 km lie 100-300 km from it).
SMALL_PLACE_DECISIVE_KM = 400.0
#: A place with DOMINANCE times the people of its largest namesake (and at least
#: DOMINANT_MIN_POPULATION) is the referent of its name.
DOMINANCE = 5.0
DOMINANT_MIN_POPULATION = 5_000
#: A small place in another country than the location, not named by the text, farther
#: than this is not a plausible referent (a namesake of a place the gazetteer lacks).
ABROAD_PLAUSIBLE_KM = 500.0
#: ... unless it has at least this many people (then it is read wherever it is).
NOTABLE_ABROAD_POPULATION = 500_000
#: A country whose places the gazetteer holds at least this densely (per 1,000 km²) is
#: "covered": a place of a given name there would be in it (Ukraine 9.1, Poland 12.4,
#: Belarus 1.5; Central African Republic 0.08, Russia 0.31).
COVERED_PLACES_PER_1000_KM2 = 1.0
#: "northwestern X": the point's bearing from X's reference point within this of NW.
REGION_PART_HALF_WIDTH_DEG = 67.5
#: A name called a village is not read as a place larger than this.
VILLAGE_MAX_POPULATION = 20_000
#: Two spellings of one name (Zaitsevo / Zaitseve): at least this many letters each and
#: this normalised edit similarity (rapidfuzz ratio, 0-100); of settlements, both adjectives or both
#: nouns ("Dolzhanskiy" is not Dolzhanka, ratio 90: Ukraine dev not flagged 98.4 -> 98.5 %, caught
#: 92.8 -> 92.7 %, the row lost reading "Pervomaisky community" as the town Pervomaisk by that
#: accident).
VARIANT_MIN_LENGTH = 6
VARIANT_MIN_RATIO = 80.0
#: "Kharkov region" is Kharkivska oblast when Kharkiv is its largest city and has at least this many people.
REGION_CITY_MIN_POPULATION = 20_000
#: A district with no polygon in the index is read as the area within this radius of its
#: centre town (plus the town's urban radius).
DISTRICT_RADIUS_KM = 35.0
#: A council (hromada, city council, commune) with no polygon: radius around its seat.
COUNCIL_RADIUS_KM = 20.0
#: An airport not in the index: within this of the town it is named after.
AIRPORT_RADIUS_KM = 15.0
#: A facility (base, plant, checkpoint) not in the index: within this of its town.
FACILITY_RADIUS_KM = 15.0
#: "the Kupyansk direction", "the Batangafo axis": a front sector this deep around its town.
FRONT_RADIUS_KM = 100.0
#: "Ndele, Sam Ouandja": a town of at least this many people that does not lie in the
#: area of the bare name after it makes the pair a list of two places, not a hierarchy.
LIST_FALLBACK_MIN_POPULATION = 5_000
#: "Donetsk area", "the Bria region" read as an area: this radius around the place.
AREA_RADIUS_KM = 30.0
#: "near" a district or area read around a point: this much beyond its radius.
NEAR_AREA_EXTRA_KM = 10.0
#: A qualifier judged because the named place did not resolve ("near X village, Y
#: district" with no X in the gazetteer): "near" reaches this far beyond the qualifier.
NEAR_UNRESOLVED_REACH_KM = 10.0
#: Beyond a district's, commune's or register settlement's measured accuracy, this band is
#: unverifiable rather than inconsistent: UCDP points named by a raion lie 96.0 % within 5 km of it
#: and 96.6 % within 10 km; by a register village's area, 98.0 % within 5 km, 99.0 % within 10 km.
FINE_AREA_GREY_KM = 10.0
#: A town known only by its airstrip (OurAirports names strips after their towns): within this of it.
TOWN_AIRSTRIP_KM = 10.0
#: A qualifier that fails by at most this much while the name it qualifies holds at the location as a
#: namesake outside it ("near the village of Shirokino (Volnovakha district)" at Shyrokyne, 28 km
#: beyond Volnovakha raion in Novoazovsk raion) is a disagreement between the text's two levels, not a
#: wrong location: unverifiable, with both readings. A text that puts a village in the wrong district
#: names a neighbouring one. Ukraine dev, true points: five such false alarms failed their qualifier by
#: 14.7-49.6 km (Shirokino, Chornukhyne x2 "Popasna district", Lyman "Luhansk region", Trudovskiye
#: "Donetsk"); at the points moved 150 km, the namesakes that held by chance (Pobeda, Novogrigoryevka,
#: Kpokpo) lay 86-111 km beyond the qualifier. Ukraine not flagged 98.5 -> 98.8 %, caught unchanged.
QUALIFIER_CONFLICT_KM = 60.0
#: A register settlement (measured as the council or hromada holding it) counts as inside a
#: qualifier's polygon when at least this share of that area lies in it, or within the qualifier's
#: edge tolerance of it (``edge_tolerance_km``: locatepy's raion edges lie a median 1.2 km, p90 2.0 km
#: from the same raions drawn from the councils). Without the tolerance, 124 Ukraine dev rows lost
#: their village to the district ("Novokaterynivka village, Starobeshivskiy district": 46 % of the
#: village's council inside the raion) and were judged as the whole district; verdicts unchanged.
REGISTER_QUALIFIER_OVERLAP = 0.5
#: A candidate counts as inside a qualifier read around a point within this margin.
QUALIFIER_POINT_MARGIN_KM = 10.0
#: Measured accuracy of each polygon source at its edge (km), by region kind: a point this
#: close outside still counts as inside, and a candidate this close counts as qualified.
EDGE_TOLERANCE_KM = {"country": 1.0, "admin1": 2.0, "region": 2.0, "admin2": 3.0, "admin3": 2.0}
#: "between A and B", "on the A - B road": within this fraction of the A-B distance of the
#: geodesic line between them, at least BETWEEN_MIN_KM.
BETWEEN_FRACTION = 0.15
BETWEEN_MIN_KM = 10.0
#: Beyond that limit, a point is unverifiable rather than inconsistent while it lies within this share
#: of the ends' distance from the straight line, for a road or axis (roads wind: the road from Zemio
#: to Obo runs 28 km off the straight line at Kitesa, a sixth of its 156 km), or within
#: POINT_DISAGREEMENT_KM beyond the limit for any stretch (its ends are town points, which gazetteers
#: and event databases place that far apart). UCDP dev rows at their true points, distance from the
#: line / length: consistent up to 0.14, then false alarms at 0.18, 0.31 (roads), 0.42, 0.52, 0.56;
#: at the points moved 150 km every catch lies at 0.36 or more. Three road claims stop failing at their
#: true points (Kitesa; Pombolo; "15 km from Bangassou, on the Gambo axis", 35 km from GeoNames'
#: Bangassou): CAR not flagged 97.6 -> 97.7 % (two of the rows still fail on a stated distance), caught
#: unchanged; Ukraine unchanged.
ROAD_WINDING_SHARE = 1.0 / 3.0


#: Beyond the limit of an at/in/near claim about a point (a town, a village, a district
#: read around its centre), this band is unverifiable rather than inconsistent: gazetteers
#: and event databases put one town's point kilometres apart (UCDP "Birao town" is coded
#: 16 km from GeoNames' Birao; UCDP's precision 2 means "within 25 km").
POINT_DISAGREEMENT_KM = 25.0
#: Countries whose settlements the index holds from a complete national register (Ukraine's
#: KATOTTG): a name written as the register writes it and as no place abroad is called means one
#: of that register's settlements even where the location is across the border. Figures (eval.py
#: claims ukraine, not flagged / confirmed / caught): without 98.0 / 92.9 / 88.1 %, with
#: 98.0 / 92.9 / 89.4 %.
REGISTER_COUNTRIES = frozenset({"UA"})
#: The register categories (KATOTTG: city, settlement, village) a word admits: a city is a city;
#: news and event databases call villages towns and settlements, so those words admit all.
REGISTER_CATEGORIES_OF = {
    "city": frozenset({"city", "city with special status"}),
    "cities": frozenset({"city", "city with special status"}),
}
#: A register village's council or hromada whose bounding box is farther than this from the
#: point fails whatever its exact distance (the village reach, 10 km, + the area's 5 km accuracy
#: + the 25 km grey band, with margin), so it is not measured exactly unless listed.
REGISTER_FAR_KM = 60.0
#: Margin beyond a district's or council's tolerance, reach and grey band before its reading is
#: not measured exactly (the bounding-box bound is already conservative: 2 % + 1 km).
LAZY_MARGIN_KM = 10.0
#: Roots of the Soviet-era names Ukraine replaced in 2015-2016 (the decommunisation laws renamed
#: about 1,000 settlements: Leninske, Krasnyi Partyzan, Chervona Dibrova, Pervomaiske,
#: Kirovske, Dzerzhynsk ...). The register the index holds (KATOTTG, 2020 onwards) lists only the new
#: names, so a failing register namesake of such a name does not decide: the name may be the
#: former name of a village the register lists under another. Figures (eval.py claims ukraine,
#: not flagged / confirmed / caught): without 97.7 / 92.7 / 88.4 %, with 98.0 / 92.9 / 88.1 %.
RENAMED_ROOTS = {
    "UA": (
        "lenin",
        "krasn",
        "chervon",
        "oktyabr",
        "zhovtn",
        "kirov",
        "komsomol",
        "komintern",
        "dzerzh",
        "frunze",
        "kuibysh",
        "ordzhon",
        "voroshil",
        "sverdl",
        "kalinin",
        "chapa",
        "shchors",
        "radiansk",
        "sovetsk",
        "proletar",
        "zhdanov",
        "illich",
        "ilyich",
        "kotovsk",
        "artemivsk",
        "artemovsk",
        "petrovsk",
        "pervomai",
        "pervomay",
        "kommun",
        "partizan",
        "partyzan",
        "chkalov",
        "budenn",
        "budyonn",
        "telman",
        "engels",
        "karl",
        "marx",
        "lunachar",
        "zhovten",
        "oktiabr",
        "stakhanov",
        "ulyanov",
        "ulianov",
    )
}
#: Where towns are sparse the band widens to the distance from the town to its nearest
#: neighbour in the gazetteer, up to this. Figures (UCDP dev rows, eval.py claims): 25 km
#: everywhere gives CAR not flagged 96.1 %, Ukraine caught 88.4 %; 50 km everywhere 97.1 % /
#: 86.8 % (dense Ukrainian namesakes near a moved point turn grey); by neighbour distance 97.1 % /
#: 88.4 % (Bangassou's nearest neighbour is 56 km away, a Donbas village's about 5 km).
POINT_DISAGREEMENT_MAX_KM = 50.0
#: "N km from X": consistent between SHORT × N and LONG × N (a stated figure is often a
#: road distance, longer than the geodesic, or rounded); unverifiable between LOOSE_SHORT
#: × N and LOOSE_LONG × N; inconsistent beyond. Each bound moves by half X's urban radius
#: (from its edge or its centre), the location's precision and 1 km. Figures
#: (bench/calibrate.py, UCDP dev rows whose point is not the anchor town itself): the
#: relative error |measured − N| / N has p50 15 %, p80 35 %, p90 61 %.
DISTANCE_SHORT_FACTOR = 0.6
DISTANCE_LONG_FACTOR = 1.3
DISTANCE_LOOSE_SHORT_FACTOR = 0.4
DISTANCE_LOOSE_LONG_FACTOR = 2.0


def distance_band_km(
    stated_km: float,
    qualifier: str | None,
    reference_radius_km: float,
    location_precision_km: float,
    loose: bool = False,
) -> tuple[float, float]:
    """The range of geodesic distances an "N km from X" claim allows (see the table)."""
    short, long = (
        (DISTANCE_LOOSE_SHORT_FACTOR, DISTANCE_LOOSE_LONG_FACTOR)
        if loose
        else (DISTANCE_SHORT_FACTOR, DISTANCE_LONG_FACTOR)
    )
    # measured from the town's point; "20 km from X" may count from its edge or its centre, so
    # half its urban radius is allowed either way
    slack = 0.5 * reference_radius_km + location_precision_km + DISTANCE_MIN_TOLERANCE_KM
    return max(0.0, short * stated_km - slack), long * stated_km + slack


def distance_band_words(qualifier: str | None) -> str:
    return (
        f"{DISTANCE_SHORT_FACTOR:g}–{DISTANCE_LONG_FACTOR:g} × the stated distance: stated figures are "
        "often road distances or rounded"
    )


def edge_tolerance_km(kind: str, region_id: str | None = None) -> float:
    """How far outside a polygon's edge a point still counts as inside (the source's accuracy)."""
    return EDGE_TOLERANCE_KM.get(kind, 2.0)


def qualifier_tolerance_km(kind: str) -> float:
    """How far outside a qualifier's polygon a candidate may lie and still be qualified by it."""
    return edge_tolerance_km(kind) + 3.0


def between_km(length_km: float) -> float:
    return max(BETWEEN_MIN_KM, BETWEEN_FRACTION * length_km)


def between_words() -> str:
    return f"max({BETWEEN_MIN_KM:g} km, {BETWEEN_FRACTION:.0%} of the distance between the ends)"


def distance_tolerance_words(qualifier: str | None) -> str:
    rel = DISTANCE_REL_TOLERANCE_APPROX if (qualifier or "").lower() in APPROXIMATE_WORDS else DISTANCE_REL_TOLERANCE
    return f"{rel:.0%} of the stated distance"


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def urban_radius_km(population: int | None) -> float:
    """Radius (km) of a disc holding ``population`` at 2,000 people per km², at least 0.5 km."""
    if not population or population <= 0:
        return 0.5
    return max(0.5, math.sqrt(population / 2000.0 / math.pi))


def at_site_km(precision_m: float | None) -> float:
    return max(SITE_AT_MIN_KM, 3.0 * (precision_m or 0.0) / 1000.0)


def at_place_km(population: int | None) -> float:
    return urban_radius_km(population) + PLACE_AT_MARGIN_KM


def near_place_km(population: int | None) -> float:
    """ "Near" a populated place, by its population."""
    pop = population or 0
    if pop < 10_000:
        return 10.0
    if pop < 100_000:
        return 20.0
    if pop < 1_000_000:
        return 30.0
    return 50.0 + urban_radius_km(pop)


def outskirts_km(population: int | None) -> float:
    return urban_radius_km(population) + OUTSKIRTS_MARGIN_KM


def near_region_km(area_km2: float) -> float:
    return clamp(0.5 * math.sqrt(max(area_km2, 0.0)), 25.0, 150.0)


def near_country_km(area_km2: float) -> float:
    return clamp(math.sqrt(max(area_km2, 0.0)), 50.0, 500.0)


def near_border_km(length_km: float | None) -> float:
    if not length_km:
        return 25.0
    return clamp(0.02 * length_km, 25.0, 100.0)


def distance_tolerance_km(
    stated_km: float, qualifier: str | None, reference_radius_km: float, location_precision_km: float
) -> float:
    """Tolerance for an "N km from X" claim (see the module table)."""
    rel = DISTANCE_REL_TOLERANCE_APPROX if (qualifier or "").lower() in APPROXIMATE_WORDS else DISTANCE_REL_TOLERANCE
    return max(rel * stated_km, DISTANCE_MIN_TOLERANCE_KM) + reference_radius_km + location_precision_km


# -- Input and output limits --------------------------------------------------------------------
# Not verdict thresholds but bounds on what one input may cost; each refusal or cut says so in one
# line naming the limit.

#: Warnings about location-looking text printed per text (``extract``); the rest are counted.
#: A 200 MB line of digits and "°" once printed 1,978,891 warning lines (166 MB of stderr); 100
#: fill a screen, and the count says how many more there were (``-v`` prints them all).
MAX_WARNINGS_PER_TEXT = 100
#: Longest physical line (bytes) of a CSV, TSV or JSON Lines input to ``batch``. UCDP GED's
#: longest row is under 2 KB and a whole press article in a cell about 100 KB; 64 MiB leaves
#: room for any real table while a /dev/zero-like input (6 GB in 9 s) stops at once.
MAX_RECORD_BYTES = 64 * 1024 * 1024
#: Longest cell (characters) of a CSV/TSV input, the ``csv`` module's field limit.
MAX_CELL_CHARS = 16 * 1024 * 1024
#: Largest case file (bytes); the shipped ones are under 4 KB.
MAX_CASE_FILE_BYTES = 16 * 1024 * 1024
#: An error line longer than this is cut, saying how much was left out (``check`` with 5,000
#: unexpected arguments printed a 115 KB line).
MAX_ERROR_LINE_CHARS = 1000


# --------------------------------------------------------------------------------------------------
# Resolving names (geoverify.gazetteer.store / rank)
# --------------------------------------------------------------------------------------------------

#: A typo-tolerant match (no exact or transliterated match exists) is kept only when the rapidfuzz ratio of
#: the query and the stored name, in Latin letters, is at least this (match score >= 0.74), or when the two
#: differ by two swapped adjacent letters (the commonest typing slip: "Kramatrosk", "Sergeevak"). On the
#: dev geoparsing corpora (English news and Wikipedia, 380 toponyms that matched nothing exactly), the best
#: typo match lay within 161 km of the truth for 13 of 25 at a ratio >= 94 but for 10 of 355 below it
#: ("Sinhalese" -> Sinkasse, "Darfur" -> Dufur, "Dorset" -> Dorst, "Greenlane" -> Greenland): a stranger,
#: so nothing is returned rather than a wrong place.
RESOLVE_TYPO_MIN_RATIO = 93
#: A name the text calls a first-level region ("Nana-Gribizi prefecture", "Ombelle Mpoko prefecture")
#: that matched nothing exactly is the region whose name it misspells when the rapidfuzz ratio is at
#: least REGION_TYPO_MIN_RATIO and no other region comes within REGION_TYPO_MARGIN of it: ~4,500
#: regions' 20,000 names, not 235,000 towns' (``Gazetteer.region_by_spelling``). Both CAR misspellings
#: score 92 with the next region 30 points behind; of the unfound region-designated names on both dev
#: sets, the best non-match scores 80 ("Nzako region": Naklo, Slovenia; "Dobropolye": Dobrepolje).
#: CAR dev: 6 rows read their prefecture.
REGION_TYPO_MIN_RATIO = 88
REGION_TYPO_MARGIN = 8
#: Shortest name (letters) for which a swapped pair of letters is accepted as a typo below that ratio.
RESOLVE_TYPO_TRANSPOSITION_MIN_LEN = 6
#: An alternate name whose transliteration skeleton has at least this rapidfuzz ratio to the main name's is a
#: spelling of the main name ("Odessa" for Odesa, "Kiev" for Kyiv, "Makeevka" for Makiyivka: 80-100), not another
#: name of the place ("Troy" for Shorewood, Illinois, "Franklin" for El Paso: below 40); only the latter is
#: ``alternate_name`` evidence against the place (gazetteer/rank.py).
RESOLVE_ALT_SPELLING_RATIO = 75

#: A short plus code in a text longer than twice this many characters is placed with the
#: countries named within this many characters before and after it (its paragraphs in a long
#: article or a dump of many), not the whole text; a shorter text is read whole. 2,000
#: characters is about 300 words, a few paragraphs: where a locality's country is named
#: (GeoConfirmed-style posts and news leads name it in the same or the previous sentence),
#: and little enough that a 10 MB dump with a code every 25 kB reads at extraction speed.
PLUSCODE_CONTEXT_CHARS = 2_000

# ----------------------------------------------------------------------------
# Finer gazetteer layers (issue 12): the measured error of each source
# ----------------------------------------------------------------------------
# Measured on real points (UCDP GED Ukraine dev half, where_prec 1-2; UCDP GED CAR; GeoNames
# cities500 points of settlements the register names), see DATA.md "Finer layers" and
# bench/bench_layers.py (which prints these figures from ../shared/dev when it is there).
#
# District (admin-2) polygons, geoBoundaries ADM2 via locatepy, are coarse (median 9 vertices per
# Ukrainian raion): their edges lie a median 1.2 km (p90 2.0 km, max 4.8 km) from the same raions
# drawn from the finer council polygons, and US counties 0.25 km (median) from Census's.
DISTRICT_EDGE_TOLERANCE_KM = 2.0
# A point a source (UCDP) places in a named Ukrainian raion, read as either vintage (pre-2020 from
# locatepy, 2020 drawn from councils): 89.3 % inside, 92.7 % within 1 km, 96.0 % within 5 km,
# 96.6 % within 10 km (n = 1,055); CAR sub-prefectures: 95.0 % inside, 98.1 % within 5 km
# (n = 1,576). Misses beyond 5 km are mostly the source's own labels (17 Volnovakha events
# labelled Telmanove raion). So "in district X" is consistent within:
DISTRICT_CLAIM_TOLERANCE_KM = 5.0
# Hromadas and 2020 raions are unions of councils matched to the register: a settlement's GeoNames
# point lies in its hromada 94.6 % of the time (95.7 % within 1 km, 98.5 % within 5 km; n = 3,835),
# in its 2020 raion 97.0 % (97.6 % within 1 km, 99.5 % within 5 km; n = 3,893).
HROMADA_EDGE_TOLERANCE_KM = 2.0
# A council's polygon holds its seat village (GeoNames point) 98.1 % of the time, 98.7 % within 1 km
# (n = 2,839).
COUNCIL_SEAT_TOLERANCE_KM = 1.0
# A village known only from the register (no point) is bounded by its council (when it is the seat)
# or its hromada: UCDP points of the villages its rows name lie in that polygon 92.0 % of the time,
# 93.1 % within 1 km, 98.0 % within 5 km, 99.0 % within 10 km (n = 710, nearest namesake in the
# oblast); a village that is its council's seat and has no namesake in the oblast: 99.7 % inside
# (n = 365).
SETTLEMENT_AREA_TOLERANCE_KM = 5.0
# Natural Earth 1:10m admin-1 edges lie 0.3-0.9 km (mean offset) from the oblasts drawn from the
# councils, Chernivtsi 1.9 km, but Natural Earth's Kyiv City swallows Irpin (3.5 km), Vyshneve
# (3.7 km) and Hostomel: a per-region override of REGION_EDGE_TOLERANCE_KM where it is worse.
REGION_EDGE_TOLERANCE_OVERRIDES_KM = {"UA-30": 4.0}
# Airports (OurAirports reference points): UCDP events "at" Donetsk, Luhansk, Kramatorsk and
# Berdiansk airports lie 0.0-0.4 km from them; an airport reaches half its longest runway (1-2 km
# for most) from its reference point, so "at the airport" is consistent within
# max(AIRPORT_AT_MIN_KM, runway_km / 2 + AIRPORT_AT_MARGIN_KM).
AIRPORT_AT_MIN_KM = 2.0
AIRPORT_AT_MARGIN_KM = 1.0


def at_airport_km(runway_km: float | None) -> float:
    """ "At" an airport: within its longest runway's half-length plus a margin (at least 2 km)."""
    return max(AIRPORT_AT_MIN_KM, (runway_km or 0.0) / 2.0 + AIRPORT_AT_MARGIN_KM)


#: Russian spellings of Ukrainian register names (geoverify.gazetteer.register): a name no look-up
#: found is read as the register names sharing its vowel-class key (consonants kept, vowels
#: forgotten: Zhelobok / Жолобок, Gorske / Гірське, Tsvetnye Peski / Цвітні Піски) when its
#: transliteration skeleton is within this normalised edit distance of theirs, the key has at least
#: RUSSIAN_FORM_MIN_CONSONANTS consonants and at most RUSSIAN_FORM_MAX_NAMES names share it.
#: Figures: the Russian-spelling entry under "Referents" in this module's docstring.
RUSSIAN_FORM_MAX_DISTANCE = 0.4
RUSSIAN_FORM_MIN_CONSONANTS = 3
RUSSIAN_FORM_MAX_NAMES = 3
#: A front sector ("Kupyansk direction", "the Batangafo axis") is named after a town the war made
#: known, which the gazetteer holds: when every town of the name with at least this many people
#: fails, the claim is inconsistent (no hamlet the gazetteer lacks names a front).
FRONT_TOWN_MIN_POPULATION = 1_000
#: The two ends of one road, axis or stretch ("between A and B", "the A-B axis") lie at most this far
#: apart; pairs of namesakes farther apart are not a reading ("the Mobaye-Zangba axis" is not a line
#: to Zangba in China). UCDP dev rows (CAR, Ukraine): the ends of every such claim whose names the
#: gazetteer holds in the right country lie 6.6-313 km apart; the foreign pairs read before this rule
#: lay 1,782-11,246 km apart.
BETWEEN_MAX_SPAN_KM = 1_000.0
#: A name the gazetteer lacks whose first words name a town ("Avdiivka Coke [and Chemical Plant]",
#: "Mariupol Ilyich [steel plant]") is read around that town, as a facility named after it, when the
#: town has at least this many people (a hamlet's name opening an unknown name is more likely chance),
#: by its own name in any spelling (not an alternate: "Sam" is one of Damascus's), deciding only in
#: its country as a proxy does. CAR dev: confirmed 59.2 -> 59.4 %, caught 61.4 -> 61.5 %; without the
#: own-name and home rules, "Sam Ouandja" read as Damascus cost 0.3 points of not flagged.
NAMED_AFTER_TOWN_MIN_POPULATION = 10_000
