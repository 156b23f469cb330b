"""Ukrainian names for the settlement register (geoverify/gazetteer/build/ukraine.py); no index needed.

Known answers: the examples of the national transliteration table (Resolution of the Cabinet of
Ministers of Ukraine No 55 of 27 January 2010); council names as they stood in the pre-2020
register (Пісківська сільська рада had its seat in Піски, Сватівська міська рада in Сватове,
Бабчинецька in Бабчинці, Маловулизька in Мала Вулига, Попаснянська in Попасна), and the Russian
names of the same places (Пески, Андреевка, Новоселовское, Мирное, Ясиноватая).
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geoverify.gazetteer import names as N
from geoverify.gazetteer.build import ukraine as U

KMU_2010 = {
    "Алушта": "Alushta",
    "Борщагівка": "Borshchahivka",
    "Вінниця": "Vinnytsia",
    "Гадяч": "Hadiach",
    "Згорани": "Zghorany",
    "Ґалаґан": "Galagan",
    "Рівне": "Rivne",
    "Єнакієве": "Yenakiieve",
    "Наєнко": "Naienko",
    "Житомир": "Zhytomyr",
    "Закарпаття": "Zakarpattia",
    "Медвин": "Medvyn",
    "Іршава": "Irshava",
    "Їжакевич": "Yizhakevych",
    "Кадиївка": "Kadyivka",
    "Йосипівка": "Yosypivka",
    "Стрий": "Stryi",
    "Олексій": "Oleksii",
    "Київ": "Kyiv",
    "Миколаїв": "Mykolaiv",
    "Ніжин": "Nizhyn",
    "Решетилівка": "Reshetylivka",
    "Тернопіль": "Ternopil",
    "Ужгород": "Uzhhorod",
    "Харків": "Kharkiv",
    "Біла Церква": "Bila Tserkva",
    "Чернівці": "Chernivtsi",
    "Шостка": "Shostka",
    "Гоща": "Hoshcha",
    "Юрій": "Yurii",
    "Крюківка": "Kriukivka",
    "Яготин": "Yahotyn",
    "Костянтин": "Kostiantyn",
    "Знам'янка": "Znamianka",
    "Знам’янка": "Znamianka",
    "Феодосія": "Feodosiia",
}


@pytest.mark.parametrize("uk,latin", sorted(KMU_2010.items()))
def test_national_transliteration(uk, latin):
    assert U.translit_uk(uk) == latin


@pytest.mark.parametrize(
    "seat,council",
    [
        ("Піски", "Пісківська"),
        ("Сватове", "Сватівська"),
        ("Бабчинці", "Бабчинецька"),
        ("Мала Вулига", "Маловулизька"),
        ("Попасна", "Попаснянська"),
        ("Іванівка", "Іванівська"),
        ("Мирне", "Мирненська"),
        ("Покровськ", "Покровська"),
        ("Донецьк", "Донецька"),
        ("Ясинувата", "Ясинуватська"),
        ("Старобешеве", "Старобешівська"),
        ("Бахмут", "Бахмутська"),
    ],
)
def test_council_adjectives(seat, council):
    assert council.lower() in U.council_adjectives(seat)


@pytest.mark.parametrize(
    "uk,ru",
    [
        ("Піски", "Пески"),
        ("Андріївка", "Андреевка"),
        ("Новоселівське", "Новоселовское"),
        ("Мирне", "Мирное"),
        ("Билбасівка", "Былбасовка"),
        ("Старобешеве", "Старобешево"),
    ],
)
def test_russian_spellings_meet_through_the_skeleton(uk, ru):
    assert N.skeleton(ru) in {N.skeleton(v) for v in U.russian_variants(uk)}


@pytest.mark.parametrize(
    "noun,adjective",
    [
        ("Амвросиевка", "амвросиевский"),
        ("Ясиноватая", "ясиноватский"),
        ("Сватово", "сватовский"),
        ("Бахмут", "бахмутский"),
    ],
)
def test_russian_raion_adjectives(noun, adjective):
    assert adjective in U.russian_adjectives(noun)


def test_yasinovatsky_reads_back_to_yasinovataya():
    # the query side: "Yasinovatsky district" must reach the town's name Ясиноватая
    assert N.skeleton("Ясиноватая") in N.adjective_bases(N.skeleton("Yasinovatsky"))
    assert N.skeleton("Yasynuvata") in N.adjective_bases(N.skeleton("Yasynuvatskyi"))


@given(st.text(alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ’' -", max_size=30))
def test_transliteration_is_latin_and_total(text):
    out = U.translit_uk(text)
    assert all(not ("\u0400" <= ch <= "\u04ff") for ch in out)
    assert U.translit_uk(text) == out


def _xlsx(rows: list[list[str | None]]) -> bytes:
    """A minimal .xlsx with inline strings, as spreadsheet programs write them."""
    cells = []
    for r, row in enumerate(rows, start=1):
        cs = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row) if v is not None
        )
        cells.append(f'<row r="{r}">{cs}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{"".join(cells)}</sheetData></worksheet>'
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"></sst>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", shared)
    return buf.getvalue()


def test_read_katottg_levels():
    # the codifier's layout: a title row, a header, then codes of five levels, category, name
    data = _xlsx(
        [
            [None, None, None, None, None, "ЗАТВЕРДЖЕНО", None],
            [
                "Перший рівень",
                "Другий рівень",
                "Третій рівень",
                "Четвертий рівень",
                "Додатковий рівень",
                "Категорія об’єкта",
                "Назва об’єкта",
            ],
            ["UA14000000000091971", None, None, None, None, "O", "Донецька"],
            ["UA14000000000091971", "UA14160000000061982", None, None, None, "P", "Покровський"],
            ["UA14000000000091971", "UA14160000000061982", "UA14160190000059231", None, None, "H", "Очеретинська "],
            [
                "UA14000000000091971",
                "UA14160000000061982",
                "UA14160190000059231",
                "UA14160190380023078",
                None,
                "X",
                "Піски",
            ],
        ]
    )
    units = U.read_katottg(data)
    assert len(units) == 4
    pisky = units["UA14160190380023078"]
    assert (pisky.category, pisky.name, pisky.hromada, pisky.raion, pisky.oblast) == (
        "X",
        "Піски",
        "UA14160190000059231",
        "UA14160000000061982",
        "UA14000000000091971",
    )
    assert pisky.is_settlement and units["UA14160190000059231"].name == "Очеретинська"
