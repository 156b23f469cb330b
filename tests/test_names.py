"""Name folding, transliteration, skeleton keys, feature words and adjectival forms
(geoverify.gazetteer.names: pure functions, no index needed).

Expected spellings are the ones GeoNames and the press use for these places
(GeoNames cities500 alternate names of Kharkiv 706483, Kyiv 703448,
Zaporizhzhia 687700, Dnipro 709930, Mykolaiv 700569, Sergeyevka 2020626) and
the transliteration tables of BGN/PCGN, ISO 9 and Ukraine's national system.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoverify.gazetteer import names as N


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Kramators'k", "kramatorsk"),
        ("Kramators’k", "kramatorsk"),
        ("Sant Julià de Lòria", "sant julia de loria"),
        ("  KHARKIV  ", "kharkiv"),
        ("Zaporizhzhia-Oblast", "zaporizhzhia oblast"),
        ("Kurskaya oblast'", "kurskaya oblast"),
        ("Сергеевка", "сергеевка"),
        ("Ёлкино", "елкино"),  # ё/е
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
    ],
)
def test_fold(raw, folded):
    assert N.fold(raw) == folded


@pytest.mark.parametrize(
    "cyr, latin",
    [
        ("Харків", "kharkiv"),
        ("Харьков", "kharkov"),
        ("Сергеевка", "sergeevka"),
        ("Щёлково", "shchelkovo"),
        ("Київ", "kiiv"),  # ї loses its diaeresis in folding: і
        ("Сергиевский", "sergievskiy"),  # й is kept
        ("Подъячево", "podyachevo"),
    ],
)
def test_cyrillic_to_latin(cyr, latin):
    assert N.cyrillic_to_latin(cyr) == latin


# Spellings of one place that must share a skeleton key.
SAME_SKELETON = [
    ["Sergeevka", "Sergeyevka", "Sergejevka", "Sergeewka", "Сергеевка"],  # BGN, ISO/German, Cyrillic
    ["Sergievskij", "Sergiyevskiy", "Sergievsky", "Сергиевский"],  # -ij/-iy/-y, scientific
    ["Kharkiv", "Harkiv", "Kharkiw", "Харків"],
    ["Semyonovka", "Semenovka", "Semjonowka", "Семёновка"],  # ё after a consonant
    ["Yoshkar-Ola", "Joshkar-Ola", "Йошкар-Ола"],
    ["Kharkov", "Khar'kov", "Харьков"],
    ["Kyiv", "Kyyiv", "Київ"],
    ["Kiev", "Kiyev", "Киев"],
    ["Zaporizhzhia", "Zaporizhzhya", "Запоріжжя", "Zaporižžja"],  # Ukrainian national, ISO 9
    ["Zaporozhye", "Zaporozh'ye", "Zaporozhe", "Запорожье"],
    ["Mykolaiv", "Mykolayiv", "Миколаїв"],
    ["Nikolaev", "Nikolayev", "Николаев"],
    ["Luhansk", "Lugansk", "Луганськ"],
    ["Khmelnytskyi", "Khmelnitskiy", "Khmelnytskyy", "Хмельницкий"],
    ["Primorskiy kray", "Primorsky Krai", "Приморский край", "Primorskij kraj"],
    ["Shchyolkovo", "Shchelkovo", "Ščelkovo", "Щёлково"],
    ["Dzhankoi", "Džankoj", "Джанкой"],
]


@pytest.mark.parametrize("spellings", SAME_SKELETON, ids=lambda s: s[0])
def test_transliteration_variants_share_a_skeleton(spellings):
    keys = {N.skeleton(s) for s in spellings}
    assert len(keys) == 1, dict(zip(spellings, map(N.skeleton, spellings)))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Sergeevka", "Sergievka"),  # different names
        ("Kursk", "Kursky"),
        ("Kharkiv", "Kharkov"),  # Ukrainian vs Russian form: different spellings, joined by alternate names
        ("Donetsk", "Doneck Oblast"),
    ],
)
def test_different_names_keep_different_skeletons(a, b):
    assert N.skeleton(a) != N.skeleton(b)


def test_skeleton_of_other_scripts_is_empty():
    assert N.skeleton("哈尔科夫") == ""
    assert N.fold("哈尔科夫") == "哈尔科夫"


@pytest.mark.parametrize(
    "text, base, hint, cls",
    [
        ("sergeevka training ground", "sergeevka", "training ground", "military"),
        ("sergievsky training ground", "sergievsky", "training ground", "military"),
        ("sergeevsky military camp", "sergeevsky", "military camp", "military"),
        ("belbek airbase", "belbek", "airbase", "military"),
        ("belbek air base", "belbek", "airbase", "military"),
        ("kursk oblast", "kursk", "oblast", "admin"),
        ("primorsky krai", "primorsky", "krai", "admin"),
        ("primorskiy kray", "primorskiy", "krai", "admin"),
        ("kursk region", "kursk", "region", "admin"),
        ("bakhmut raion", "bakhmut", "district", "district"),
        ("republic of dagestan", "dagestan", "republic", "admin"),
        ("the city of kharkiv", "kharkiv", "city", "settlement"),
        ("village of sergeevka", "sergeevka", "village", "settlement"),
        ("полигон сергеевка", "сергеевка", "training ground", "military"),
        ("Сергеевский полигон", "сергеевский", "training ground", "military"),
        ("Курская область", "курская", "oblast", "admin"),
        ("Приморский край", "приморский", "krai", "admin"),
        ("kharkiv", "kharkiv", None, None),
        ("oblast", "oblast", None, None),  # nothing would be left: not stripped
    ],
)
def test_split_feature(text, base, hint, cls):
    assert N.split_feature(N.fold(text)) == (base, hint, cls)


@pytest.mark.parametrize(
    "adjective, noun",
    [
        ("Sergeevsky", "Sergeevka"),
        ("Sergeyevskiy", "Sergeevka"),
        ("Sergeevskii", "Sergeyevka"),
        ("Сергеевский", "Сергеевка"),
        ("Sergievsky", "Sergievka"),
        ("Kurskaya", "Kursk"),
        ("Kurskoye", "Kursk"),
        ("Donetskaya", "Donetsk"),
        ("Donetska", "Donetsk"),
        ("Primorsky", "Primorye"),
        ("Kharkivska", "Kharkiv"),
        ("Pervomaysky", "Pervomaysk"),
    ],
)
def test_adjective_bases_reach_the_noun(adjective, noun):
    assert N.skeleton(noun) in N.adjective_bases(N.skeleton(adjective))


@pytest.mark.parametrize("word", ["Sergeevka", "Kursk", "Kharkiv", "Moscow", "Kramatorsk"])
def test_nouns_are_not_adjectives(word):
    assert N.adjective_bases(N.skeleton(word)) == []


@pytest.mark.parametrize(
    "text, base, poss",
    [
        ("Russia's", "Russia", True),
        ("Russia’s", "Russia", True),
        ("Ukraine's", "Ukraine", True),
        ("the Philippines'", "the Philippines", True),
        ("Kursk", "Kursk", False),
        ("Kramators'k", "Kramators'k", False),
    ],
)
def test_strip_possessive(text, base, poss):
    assert N.strip_possessive(text) == (base, poss)


def test_analyse_training_ground_adjective():
    qa = N.analyse("Sergievsky Training Ground")
    assert qa.feature_hint == "training ground" and qa.hint_class == "military"
    hows = {v.how for v in qa.variants}
    assert {"as-written", "without-feature", "adjective"} <= hows
    assert N.skeleton("Sergievka") in {v.skeleton for v in qa.variants if v.how == "adjective"}
    assert qa.variants[0].weight == 1.0 and all(v.weight < 1 for v in qa.variants[1:])


def test_analyse_leading_article():
    folds = [v.fold for v in N.analyse("the Russian Far East").variants]
    assert folds[:2] == ["the russian far east", "russian far east"]
    assert [v.fold for v in N.analyse("The Hague").variants][:2] == ["the hague", "hague"]


def test_analyse_possessive():
    qa = N.analyse("Russia's")
    assert qa.possessive and qa.variants[0].fold == "russia"


def test_name_keys_of_a_region_derive_the_noun():
    keys = N.name_keys("Kurskaya oblast'", N.FLAG_NAME, derive=True)
    assert ("kurskaya oblast", N.skeleton("Kurskaya oblast"), N.FLAG_NAME) in keys
    assert ("kurskaya", N.skeleton("Kurskaya"), N.FLAG_BASE) in keys
    assert ("", "kursk", N.FLAG_DERIVED) in keys


def test_name_keys_skip_junk():
    assert N.name_keys("12345") == []
    assert N.name_keys("https://en.wikipedia.org/wiki/Kharkiv") == []
    assert N.name_keys("  ") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fold_is_idempotent_and_skeleton_total(text):
    f = N.fold(text)
    assert N.fold(f) == f
    assert f == f.strip() and "  " not in f
    s = N.skeleton(text)
    assert s == "" or all(c.isascii() for c in s)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґ", min_size=1, max_size=20))
def test_cyrillic_skeleton_matches_its_own_transliteration(word):
    # any Cyrillic word and its BGN-style romanisation land on the same key
    assert N.skeleton(word) == N.skeleton(N.cyrillic_to_latin(word))


@pytest.mark.parametrize(
    "folded, other",
    [
        ("st marc", "saint marc"),  # Saint-Marc, Haiti (GeoNames 3717588)
        ("saint bernard parish", "st bernard parish"),  # St. Bernard Parish, Louisiana (FIPS 22087)
        ("ste foy", "sainte foy"),
        ("sta cruz", "santa cruz"),
        ("main st", None),  # a street, not a saint
        ("stanley", None),
    ],
)
def test_saint_spellings(folded, other):
    assert N.saint_spelling(folded) == other


def test_analyse_reads_st_as_saint_below_the_name_as_written():
    qa = N.analyse("St. Marc")
    assert [v.how for v in qa.variants][:2] == ["as-written", "saint"]
    assert qa.variants[1].fold == "saint marc" and qa.variants[1].weight < qa.variants[0].weight


def test_resolve_finds_a_saint_in_either_spelling(index_available):
    import geoverify

    assert geoverify.resolve("St. Marc")[0].id == "geonames:3717588"
    assert geoverify.resolve("Saint Bernard Parish")[0].id == "admin2:US:22087"
