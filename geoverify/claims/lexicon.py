"""Word lists behind claim extraction (private to :mod:`geoverify.claims.extract`).

Everything here is plain data plus a few folding helpers, so the rules in
:mod:`geoverify.claims.grammar` read like the documentation:

- countries (every UN member and observer state plus a few territories) with
  their English names, adjectives and demonyms, as ISO 3166-1 alpha-2 codes;
- capital cities (for "Moscow plans", "Kyiv's fears": a capital named as an actor
  is a government, not a place) and seats of government ("the Kremlin");
- macro-regions and continents ("Russian Far East", "Asia");
- feature words (facility, settlement, administrative, natural), distance units,
  qualifiers, compass points;
- the cue words of the subject, destination, event, organisation and person rules.

The gazetteer (``lookup``) is consulted only for names this module does not
know; country names and adjectives are answered here first so that extraction
without a gazetteer behaves the same as with one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------------------
# folding

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ``text`` and unify apostrophes and dashes (for dictionary keys only)."""
    return text.translate(_APOSTROPHES).lower()


# ---------------------------------------------------------------------------
# countries: "ISO2|name, name, ...|adjective, adjective, ..."

_COUNTRIES = """
AF|Afghanistan|Afghan
AL|Albania|Albanian
DZ|Algeria|Algerian
AD|Andorra|Andorran
AO|Angola|Angolan
AG|Antigua and Barbuda|Antiguan
AR|Argentina|Argentine, Argentinian
AM|Armenia|Armenian
AU|Australia|Australian
AT|Austria|Austrian
AZ|Azerbaijan|Azerbaijani, Azeri
BS|Bahamas, The Bahamas|Bahamian
BH|Bahrain|Bahraini
BD|Bangladesh|Bangladeshi
BB|Barbados|Barbadian
BY|Belarus|Belarusian, Belarussian
BE|Belgium|Belgian
BZ|Belize|Belizean
BJ|Benin|Beninese
BT|Bhutan|Bhutanese
BO|Bolivia|Bolivian
BA|Bosnia and Herzegovina, Bosnia-Herzegovina, Bosnia|Bosnian
BW|Botswana|Botswanan
BR|Brazil|Brazilian
BN|Brunei|Bruneian
BG|Bulgaria|Bulgarian
BF|Burkina Faso|Burkinabe, Burkinabé
BI|Burundi|Burundian
KH|Cambodia|Cambodian
CM|Cameroon|Cameroonian
CA|Canada|Canadian
CV|Cape Verde, Cabo Verde|Cape Verdean
CF|Central African Republic|Central African
TD|Chad|Chadian
CL|Chile|Chilean
CN|China, People's Republic of China, PRC|Chinese
CO|Colombia|Colombian
KM|Comoros|Comorian
CG|Republic of the Congo, Congo-Brazzaville|
CD|Democratic Republic of the Congo, Democratic Republic of Congo, DR Congo, DRC, Congo-Kinshasa|
CR|Costa Rica|Costa Rican
CI|Ivory Coast, Côte d'Ivoire, Cote d'Ivoire|Ivorian
HR|Croatia|Croatian
CU|Cuba|Cuban
CY|Cyprus|Cypriot
CZ|Czech Republic, Czechia|Czech
DK|Denmark|Danish
DJ|Djibouti|Djiboutian
DM|Dominica|
DO|Dominican Republic|
EC|Ecuador|Ecuadorian, Ecuadorean
EG|Egypt|Egyptian
SV|El Salvador|Salvadoran, Salvadorean
GQ|Equatorial Guinea|Equatoguinean
ER|Eritrea|Eritrean
EE|Estonia|Estonian
SZ|Eswatini, Swaziland|Swazi
ET|Ethiopia|Ethiopian
FJ|Fiji|Fijian
FI|Finland|Finnish
FR|France|French
GA|Gabon|Gabonese
GM|Gambia, The Gambia|Gambian
GE|Georgia|Georgian
DE|Germany|German
GH|Ghana|Ghanaian
GR|Greece|Greek
GD|Grenada|Grenadian
GT|Guatemala|Guatemalan
GN|Guinea|Guinean
GW|Guinea-Bissau|Bissau-Guinean
GY|Guyana|Guyanese
HT|Haiti|Haitian
HN|Honduras|Honduran
HU|Hungary|Hungarian
IS|Iceland|Icelandic
IN|India|Indian
ID|Indonesia|Indonesian
IR|Iran|Iranian
IQ|Iraq|Iraqi
IE|Ireland|Irish
IL|Israel|Israeli
IT|Italy|Italian
JM|Jamaica|Jamaican
JP|Japan|Japanese
JO|Jordan|Jordanian
KZ|Kazakhstan|Kazakh, Kazakhstani
KE|Kenya|Kenyan
KI|Kiribati|
KP|North Korea, Democratic People's Republic of Korea, DPRK|North Korean
KR|South Korea, Republic of Korea, ROK|South Korean
XK|Kosovo|Kosovar
KW|Kuwait|Kuwaiti
KG|Kyrgyzstan, Kirghizia|Kyrgyz
LA|Laos|Laotian, Lao
LV|Latvia|Latvian
LB|Lebanon|Lebanese
LS|Lesotho|
LR|Liberia|Liberian
LY|Libya|Libyan
LI|Liechtenstein|
LT|Lithuania|Lithuanian
LU|Luxembourg|Luxembourgish
MG|Madagascar|Malagasy
MW|Malawi|Malawian
MY|Malaysia|Malaysian
MV|Maldives|Maldivian
ML|Mali|Malian
MT|Malta|Maltese
MH|Marshall Islands|Marshallese
MR|Mauritania|Mauritanian
MU|Mauritius|Mauritian
MX|Mexico|Mexican
FM|Micronesia|Micronesian
MD|Moldova|Moldovan
MC|Monaco|Monegasque
MN|Mongolia|Mongolian
ME|Montenegro|Montenegrin
MA|Morocco|Moroccan
MZ|Mozambique|Mozambican
MM|Myanmar, Burma|Burmese
NA|Namibia|Namibian
NR|Nauru|Nauruan
NP|Nepal|Nepali, Nepalese
NL|Netherlands, The Netherlands, Holland|Dutch
NZ|New Zealand|
NI|Nicaragua|Nicaraguan
NE|Niger|Nigerien
NG|Nigeria|Nigerian
MK|North Macedonia, Macedonia|Macedonian
NO|Norway|Norwegian
OM|Oman|Omani
PK|Pakistan|Pakistani
PW|Palau|Palauan
PS|Palestine, State of Palestine|Palestinian
PA|Panama|Panamanian
PG|Papua New Guinea|
PY|Paraguay|Paraguayan
PE|Peru|Peruvian
PH|Philippines, The Philippines|Filipino, Philippine
PL|Poland|Polish
PT|Portugal|Portuguese
QA|Qatar|Qatari
RO|Romania|Romanian
RU|Russia, Russian Federation|Russian
RW|Rwanda|Rwandan
KN|Saint Kitts and Nevis|
LC|Saint Lucia|
VC|Saint Vincent and the Grenadines|
WS|Samoa|Samoan
SM|San Marino|
ST|Sao Tome and Principe, São Tomé and Príncipe|
SA|Saudi Arabia|Saudi
SN|Senegal|Senegalese
RS|Serbia|Serbian
SC|Seychelles|
SL|Sierra Leone|Sierra Leonean
SG|Singapore|Singaporean
SK|Slovakia|Slovak
SI|Slovenia|Slovenian, Slovene
SB|Solomon Islands|
SO|Somalia|Somali
ZA|South Africa|South African
SS|South Sudan|South Sudanese
ES|Spain|Spanish
LK|Sri Lanka|Sri Lankan
SD|Sudan|Sudanese
SR|Suriname|Surinamese
SE|Sweden|Swedish
CH|Switzerland|Swiss
SY|Syria|Syrian
TW|Taiwan|Taiwanese
TJ|Tajikistan|Tajik
TZ|Tanzania|Tanzanian
TH|Thailand|Thai
TL|East Timor, Timor-Leste|Timorese
TG|Togo|Togolese
TO|Tonga|Tongan
TT|Trinidad and Tobago|Trinidadian
TN|Tunisia|Tunisian
TR|Turkey, Türkiye, Turkiye|Turkish
TM|Turkmenistan|Turkmen
TV|Tuvalu|
UG|Uganda|Ugandan
UA|Ukraine|Ukrainian
AE|United Arab Emirates, UAE|Emirati
GB|United Kingdom, UK, U.K., Britain, Great Britain|British
US|United States, United States of America, USA, U.S.A., US, U.S., America|American
UY|Uruguay|Uruguayan
UZ|Uzbekistan|Uzbek
VU|Vanuatu|
VA|Vatican City, Holy See|
VE|Venezuela|Venezuelan
VN|Vietnam, Viet Nam|Vietnamese
YE|Yemen|Yemeni
ZM|Zambia|Zambian
ZW|Zimbabwe|Zimbabwean
GL|Greenland|Greenlandic
HK|Hong Kong|
PR|Puerto Rico|Puerto Rican
EH|Western Sahara|Sahrawi
"""

#: Names that stand for more than one country: recognised as countries, but
#: their ISO code is left out (a verifier would otherwise check the wrong one).
_AMBIGUOUS_COUNTRIES = {
    "Congo": ("CD", "CG"),
    "Korea": ("KP", "KR"),
}
_AMBIGUOUS_ADJECTIVES = {
    "Congolese": ("CD", "CG"),
    "Korean": ("KP", "KR"),
    "Dominican": ("DM", "DO"),
}

#: Capital cities (English names and common variants) -> ISO2.
_CAPITALS = """
Kabul AF|Tirana AL|Algiers DZ|Luanda AO|Buenos Aires AR|Yerevan AM|Canberra AU|Vienna AT|Baku AZ
Nassau BS|Manama BH|Dhaka BD|Minsk BY|Brussels BE|Belmopan BZ|Porto-Novo BJ|Thimphu BT|La Paz BO|Sucre BO
Sarajevo BA|Gaborone BW|Brasília BR|Brasilia BR|Sofia BG|Ouagadougou BF|Gitega BI|Bujumbura BI
Phnom Penh KH|Yaoundé CM|Yaounde CM|Ottawa CA|Praia CV|Bangui CF|N'Djamena TD|Ndjamena TD|Santiago CL
Beijing CN|Peking CN|Bogotá CO|Bogota CO|Moroni KM|Brazzaville CG|Kinshasa CD|Yamoussoukro CI|Abidjan CI
Zagreb HR|Havana CU|Nicosia CY|Prague CZ|Copenhagen DK|Santo Domingo DO|Quito EC|Cairo EG
San Salvador SV|Malabo GQ|Asmara ER|Tallinn EE|Mbabane SZ|Addis Ababa ET|Suva FJ|Helsinki FI|Paris FR
Libreville GA|Banjul GM|Tbilisi GE|Berlin DE|Accra GH|Athens GR|Guatemala City GT|Conakry GN|Bissau GW
Georgetown GY|Port-au-Prince HT|Tegucigalpa HN|Budapest HU|Reykjavik IS|Reykjavík IS|New Delhi IN
Jakarta ID|Tehran IR|Teheran IR|Baghdad IQ|Dublin IE|Jerusalem IL|Rome IT|Kingston JM|Tokyo JP|Amman JO
Astana KZ|Nur-Sultan KZ|Nairobi KE|Pyongyang KP|Seoul KR|Pristina XK|Kuwait City KW|Bishkek KG
Vientiane LA|Riga LV|Beirut LB|Maseru LS|Monrovia LR|Tripoli LY|Vaduz LI|Vilnius LT
Antananarivo MG|Lilongwe MW|Kuala Lumpur MY|Malé MV|Male MV|Bamako ML|Valletta MT|Nouakchott MR
Port Louis MU|Mexico City MX|Chișinău MD|Chisinau MD|Kishinev MD|Ulaanbaatar MN|Ulan Bator MN
Podgorica ME|Rabat MA|Maputo MZ|Naypyidaw MM|Nay Pyi Taw MM|Windhoek NA|Kathmandu NP|Amsterdam NL
The Hague NL|Wellington NZ|Managua NI|Niamey NE|Abuja NG|Skopje MK|Oslo NO|Muscat OM|Islamabad PK
Ramallah PS|Panama City PA|Port Moresby PG|Asunción PY|Asuncion PY|Lima PE|Manila PH|Warsaw PL
Lisbon PT|Doha QA|Bucharest RO|Moscow RU|Kigali RW|Apia WS|Riyadh SA|Dakar SN|Belgrade RS|Victoria SC
Freetown SL|Bratislava SK|Ljubljana SI|Honiara SB|Mogadishu SO|Pretoria ZA|Juba SS|Madrid ES
Colombo LK|Khartoum SD|Paramaribo SR|Stockholm SE|Bern CH|Damascus SY|Taipei TW|Dushanbe TJ
Dodoma TZ|Bangkok TH|Dili TL|Lomé TG|Lome TG|Nuku'alofa TO|Port of Spain TT|Tunis TN|Ankara TR
Ashgabat TM|Kampala UG|Kyiv UA|Kiev UA|Abu Dhabi AE|London GB|Washington US|Washington D.C. US
Montevideo UY|Tashkent UZ|Port Vila VU|Caracas VE|Hanoi VN|Sanaa YE|Sana'a YE|Lusaka ZM|Harare ZW
"""

#: Seats and bodies of government named for the government itself.
_SEATS = {
    "Kremlin": "RU",
    "White House": "US",
    "Pentagon": "US",
    "Downing Street": "GB",
    "Whitehall": "GB",
    "Élysée": "FR",
    "Elysee": "FR",
    "Bankova": "UA",
    "Zhongnanhai": "CN",
    "Blue House": "KR",
    "Capitol Hill": "US",
    "Foggy Bottom": "US",
    "Quai d'Orsay": "FR",
}

#: Macro-regions and continents: name -> ISO2 codes (empty for multi-country regions).
_REGIONS = {
    "Russian Far East": ("RU",),
    "Siberia": ("RU",),
    "North Caucasus": ("RU",),
    "Urals": ("RU",),
    "Donbas": ("UA",),
    "Donbass": ("UA",),
    # the separatist entities, read as the oblasts they claim (macroregions.json: ua-dpr, ua-lpr)
    "Donetsk People's Republic": ("UA",),
    "Luhansk People's Republic": ("UA",),
    "Lugansk People's Republic": ("UA",),
    "DPR": ("UA",),
    "LPR": ("UA",),
    "DNR": ("UA",),
    "LNR": ("UA",),
    "Crimea": ("UA",),
    "Tibet": ("CN",),
    "Manchuria": ("CN",),
    "Gaza Strip": ("PS",),
    "Gaza": ("PS",),
    "West Bank": ("PS",),
    "Golan Heights": ("SY",),
    "Korean Peninsula": ("KP", "KR"),
    "Kashmir": (),
    "Kurdistan": (),
    "Balkans": (),
    "Caucasus": (),
    "Middle East": (),
    "Far East": (),
    "Scandinavia": (),
    "Sahel": (),
    "Horn of Africa": (),
    "Arctic": (),
    "Asia": (),
    "Europe": (),
    "Africa": (),
    "North America": (),
    "South America": (),
    "Latin America": (),
    "Oceania": (),
    "Antarctica": (),
    "Central Asia": (),
    "East Asia": (),
    "Southeast Asia": (),
    "South Asia": (),
    "Eastern Europe": (),
    "Western Europe": (),
    "Central Europe": (),
    "Central America": (),
    "West Africa": (),
    "East Africa": (),
    "Central Africa": (),
    "North Africa": (),
    "Southern Africa": (),
    "Baltics": (),
    "Black Sea": (),
    "Sea of Azov": (),
    "Sea of Japan": (),
    "Baltic Sea": (),
}

#: A country and a compass/region head -> the canonical macro-region name
#: ("Russia's far east", "the Russian Far East", "far eastern Russia").
REGION_OF_COUNTRY = {
    ("RU", "far east"): "Russian Far East",
    ("RU", "far eastern"): "Russian Far East",
}


@dataclass(frozen=True)
class Entry:
    """One lexicon entry.

    ``cls`` is ``country``, ``adjective``, ``capital``, ``region`` or ``seat``.
    ``countries`` holds ISO2 codes (empty when the name is ambiguous).
    """

    name: str
    cls: str
    countries: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()


def _build() -> dict[str, Entry]:
    table: dict[str, Entry] = {}

    def add(name: str, cls: str, countries: tuple[str, ...], ambiguous: tuple[str, ...] = ()):
        key = fold(name)
        if key not in table:
            table[key] = Entry(name, cls, countries, ambiguous)

    for line in _COUNTRIES.strip().splitlines():
        iso, names, adjectives = line.split("|")
        for name in names.split(","):
            if name.strip():
                add(name.strip(), "country", (iso,))
        for adj in adjectives.split(","):
            if adj.strip():
                add(adj.strip(), "adjective", (iso,))
    for name, codes in _AMBIGUOUS_COUNTRIES.items():
        add(name, "country", (), codes)
    for name, codes in _AMBIGUOUS_ADJECTIVES.items():
        add(name, "adjective", (), codes)
    for row in _CAPITALS.split("|"):
        row = " ".join(row.split())
        if not row:
            continue
        name, iso = row.rsplit(" ", 1)
        add(name, "capital", (iso,))
    for name, iso in _SEATS.items():
        add(name, "seat", (iso,))
    for name, region_codes in _REGIONS.items():
        add(name, "region", region_codes)
    return table


#: folded name -> Entry. Keys may span several words ("north korean").
LEXICON: dict[str, Entry] = _build()
#: Longest key, in words.
LEXICON_MAX_WORDS = max(len(k.split()) for k in LEXICON)
#: First words of every key (to skip lexicon matching quickly).
LEXICON_FIRST_WORDS = frozenset(k.split()[0] for k in LEXICON)

#: ISO2 -> the country's first (canonical) English name.
COUNTRY_NAME: dict[str, str] = {}
#: ISO2 -> adjective.
COUNTRY_ADJECTIVE: dict[str, str] = {}
for _e in LEXICON.values():
    if _e.cls == "country" and _e.countries:
        COUNTRY_NAME.setdefault(_e.countries[0], _e.name)
    elif _e.cls == "adjective" and _e.countries:
        COUNTRY_ADJECTIVE.setdefault(_e.countries[0], _e.name)

# ---------------------------------------------------------------------------
# feature words (matched case-insensitively, longest first; several words allowed)

FACILITY_FEATURES = frozenset(
    """
training ground|training grounds|training range|training area|training centre|training center|training camp
training facility|training base|training polygon|military training center|military training centre
military training ground|military camp|military base|military facility|military airfield|military unit
army base|army camp|air base|airbase|air field|airfield|airport|airstrip|naval base|navy base|base|camp
range|firing range|proving ground|test site|launch site|cosmodrome|spaceport|polygon|garrison|barracks
depot|ammunition depot|arsenal|port|seaport|harbour|harbor|refinery|oil refinery|plant|power plant
power station|nuclear power plant|factory|dam|bridge|railway station|train station|station|checkpoint
border crossing|crossing|mine|mining site|mining center|mining centre|site|idp camp|idp site|refugee camp
prison|penal colony|hospital|market|cattle market|compound|encampment|outpost|facility|headquarters base
aerodrome|heliport|air strip|npp|tpp|thermal power plant|border checkpoint|crossing point|coke plant
coke and chemical plant|chemical plant|direction|axis|sector|front|frontline|salient|bulge
аэропорт|аеропорт|аэродром|аеродром|направление|напрямок
""".replace("\n", "|")
    .strip("|")
    .split("|")
)

SETTLEMENT_FEATURES = frozenset(
    """
town|city|village|villages|hamlet|settlement|locality|neighbourhood|neighborhood|quarter|suburb|township
urban-type settlement|market town|port city|border town|city centre|city center|town centre|town center
settlements|smt|selo|khutir|khutor|stanitsa|stanytsia|microdistrict
город|місто|село|селище|посёлок|поселок|смт|пгт|хутор|хутір|станиця|станица
""".replace("\n", "|")
    .strip("|")
    .split("|")
)

ADMIN_FEATURES = frozenset(
    """
oblast|oblast'|krai|kray|province|region|prefecture|sub-prefecture|subprefecture|governorate|district
области|областью|району|районе|района|регіону|регионе
raion|rayon|okrug|autonomous okrug|autonomous region|autonomous republic|county|state|territory
municipality|commune|canton|voivodeship|department|federal district|republic|emirate|parish|area
obl|oblt|oblasti|voblast|gebiet|obwód|obwod|hromada|city council|town council|village council
city municipality|raions|rayons|districts|regions
область|області|обл|район|р-н|громада|регион|регіон|республика|республіка
""".replace("\n", "|")
    .strip("|")
    .split("|")
)

NATURAL_FEATURES = frozenset(
    """
river|lake|sea|mountains|mountain|hills|hill|forest|island|islands|peninsula|bay|gulf|strait|valley
desert|coast|plateau|reservoir|canal|delta|basin|steppe|bush
""".replace("\n", "|")
    .strip("|")
    .split("|")
)

#: All feature words -> their class.
FEATURE_CLASS: dict[str, str] = {}
for _cls, _words in (
    ("natural", NATURAL_FEATURES),
    ("admin", ADMIN_FEATURES),
    ("settlement", SETTLEMENT_FEATURES),
    ("facility", FACILITY_FEATURES),
):
    for _w in _words:
        FEATURE_CLASS[_w] = _cls
FEATURE_MAX_WORDS = max(len(k.split()) for k in FEATURE_CLASS)

#: Feature words that are too common to mark a bare capitalised word as a place by
#: themselves in running prose ("Trump administration", "Security area").
WEAK_FEATURES = frozenset(
    {
        "area",
        "state",
        "department",
        "republic",
        "territory",
        "station",
        "range",
        "site",
        "market",
        "plant",
        "port",
        "base",
        "camp",
        "mine",
        "facility",
        "bush",
        "crossing",
        "quarter",
    }
)

#: Administrative words used by one country only: they tell the country of an
#: admin name without a gazetteer ("Primorsky Krai" is in Russia).
ADMIN_FEATURE_COUNTRY = {
    "krai": "RU",
    "kray": "RU",
    "okrug": "RU",
    "autonomous okrug": "RU",
    "federal district": "RU",
    "voivodeship": "PL",
}

#: "the town of X", "the village of X": prefix -> feature class.
PREFIX_FEATURES = {
    "town": "settlement",
    "city": "settlement",
    "village": "settlement",
    "villages": "settlement",
    "locality": "settlement",
    "port city": "settlement",
    "border town": "settlement",
    "port": "facility",
    "island": "natural",
    "region": "admin",
    "province": "admin",
    "prefecture": "admin",
    "sub-prefecture": "admin",
    "district": "admin",
    "oblast": "admin",
    "republic": "admin",
    "area": "admin",
    "capital": "settlement",
    "provincial capital": "settlement",
    "regional capital": "settlement",
    "municipality": "admin",
    "commune": "admin",
}

# ---------------------------------------------------------------------------
# distances

#: unit -> kilometres
UNITS = {
    "km": 1.0,
    "kms": 1.0,
    "kilometre": 1.0,
    "kilometres": 1.0,
    "kilometer": 1.0,
    "kilometers": 1.0,
    "klick": 1.0,
    "klicks": 1.0,
    "kilomètre": 1.0,
    "kilomètres": 1.0,
    "mètre": 0.001,
    "mètres": 0.001,
    "mile": 1.609344,
    "miles": 1.609344,
    "mi": 1.609344,
    "m": 0.001,
    "metre": 0.001,
    "metres": 0.001,
    "meter": 0.001,
    "meters": 0.001,
    "nautical mile": 1.852,
    "nautical miles": 1.852,
    "nm": 1.852,
    "nmi": 1.852,
    "ft": 0.0003048,
    "foot": 0.0003048,
    "feet": 0.0003048,
    "yard": 0.0009144,
    "yards": 0.0009144,
    "yd": 0.0009144,
}
#: Units of two words (matched before one-word units).
TWO_WORD_UNITS = {("nautical", "mile"), ("nautical", "miles")}

#: Words before a number -> normalised qualifier.
QUALIFIERS = {
    ("about",): "about",
    ("around",): "about",
    ("some",): "about",
    ("roughly",): "about",
    ("approximately",): "about",
    ("approx",): "about",
    ("approx", "."): "about",
    ("circa",): "about",
    ("ca", "."): "about",
    ("an", "estimated"): "about",
    ("~",): "about",
    ("nearly",): "nearly",
    ("almost",): "nearly",
    ("close", "to"): "nearly",
    ("more", "than"): "more than",
    ("over",): "more than",
    ("upwards", "of"): "more than",
    ("at", "least"): "at least",
    ("just", "over"): "more than",
    ("well", "over"): "more than",
    ("less", "than"): "less than",
    ("under",): "less than",
    ("fewer", "than"): "less than",
    ("just", "under"): "less than",
    ("below",): "less than",
    ("at", "most"): "up to",
    ("within",): "within",
    ("up", "to"): "up to",
    ("only",): "only",
    ("just",): "only",
}
QUALIFIER_MAX_WORDS = 2

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
    "half": 0.5,
}
#: Vague amounts: "a few kilometres from X" is read as a ``near`` claim.
VAGUE_AMOUNTS = {
    ("a", "few"),
    ("few",),
    ("several",),
    ("a", "couple", "of"),
    ("a", "short"),
    ("many",),
    ("dozens", "of"),
    ("hundreds", "of"),
    ("tens", "of"),
}

# ---------------------------------------------------------------------------
# compass

#: Compass words (no separators, lower-case) -> 16-point abbreviation.
COMPASS = {
    "north": "N",
    "northnortheast": "NNE",
    "northeast": "NE",
    "eastnortheast": "ENE",
    "east": "E",
    "eastsoutheast": "ESE",
    "southeast": "SE",
    "southsoutheast": "SSE",
    "south": "S",
    "southsouthwest": "SSW",
    "southwest": "SW",
    "westsouthwest": "WSW",
    "west": "W",
    "westnorthwest": "WNW",
    "northwest": "NW",
    "northnorthwest": "NNW",
}
COMPASS_ABBREVIATIONS = frozenset(COMPASS.values())
#: Adjectives ("eastern", "north-eastern") -> the compass point they name.
COMPASS_ADJECTIVES = {
    "northern": "N",
    "northeastern": "NE",
    "eastern": "E",
    "southeastern": "SE",
    "southern": "S",
    "southwestern": "SW",
    "western": "W",
    "northwestern": "NW",
}
#: Other containment qualifiers.
AREA_ADJECTIVES = frozenset(
    {
        "central",
        "far",
        "remote",
        "extreme",
        "deep",
        "upper",
        "lower",
        "coastal",
        "rural",
        "occupied",
        "mid",
        "greater",
        "inner",
        "outer",
    }
)


@lru_cache(maxsize=8192)
def compass_key(text: str) -> str:
    """``"North-East"`` -> ``"northeast"`` (drop separators, lower-case)."""
    return "".join(ch for ch in fold(text) if ch.isalpha())


# ---------------------------------------------------------------------------
# rule cue words (lower-case)

#: Words that make a sentence about the subject (the footage, its place, the site).
SUBJECT_CUES = frozenset(
    """
video videos footage film filmed filming clip clips image images imagery photo photos photograph
photographs photographed picture pictures pictured shot recorded recording geolocated geolocation
geolocate geolocating geolocates location scene shows showed showing shown depicts depicted depicting
captured spotted situated located coordinates satellite training trained drills exercise exercises
camp base facility site
""".split()
)
#: "video address", "video call": the word video not about footage.
NON_FOOTAGE_AFTER_VIDEO = frozenset(
    {
        "address",
        "addresses",
        "call",
        "calls",
        "link",
        "conference",
        "message",
        "statement",
        "speech",
        "interview",
        "game",
        "games",
    }
)
#: Sentence openers that carry the previous sentence's subject on.
ANAPHORS = frozenset(
    {
        "it",
        "they",
        "this",
        "these",
        "there",
        "here",
        "the video",
        "the footage",
        "the site",
        "the base",
        "the camp",
        "the location",
        "the place",
        "the images",
        "the clip",
        "the area",
    }
)

#: Words that, right before a locative preposition, belong to the claim
#: ("situated in eastern Russia", "training in Russia").
ANCHORS = frozenset(
    """
situated located based stationed positioned sited lies lying sits lie training trained drilling
gathered assembled camped filmed shot recorded taken geolocated spotted pictured photographed seen
""".split()
)

#: Verbs of motion: a place after them (to/into/towards, or "in" after the
#: participles) is where someone goes, not where the subject is.
MOTION_VERBS = frozenset(
    """
deploy deploys deployed deploying deployment redeploy redeployed send sends sent sending dispatch
dispatched dispatching dispatches transport transported transporting transports transfer transferred
transferring transfers move moved moving moves head heads headed heading travel travelled traveled
travelling traveling go goes going went bound relocate relocated relocating ship shipped flown flew
march marched marching advance advanced advancing return returned returning evacuate evacuated
flee fled fleeing bring brought bringing withdraw withdrew withdrawn take taken
""".split()
)
#: Motion participles after which "in X" is also a destination ("deployed in Ukraine").
MOTION_IN_VERBS = frozenset(
    {"deployed", "sent", "dispatched", "transported", "transferred", "redeployed", "relocated", "stationed-to"}
)
#: Verbs after "to": "ready to fight in Ukraine" is an intention, not a location.
INTENT_VERBS = frozenset(
    {
        "fight",
        "serve",
        "join",
        "support",
        "be",
        "deploy",
        "attack",
        "invade",
        "enter",
        "reach",
        "help",
        "assist",
        "reinforce",
        "participate",
        "go",
        "travel",
    }
)
#: Verbs after which "to X" means where the subject is found ("geolocated to X").
LOCATING_VERBS = frozenset(
    {"geolocated", "geolocate", "geolocates", "traced", "pinpointed", "matched", "located", "narrowed", "confirmed"}
)

#: Verbs after which a locative is about something other than the subject: where the
#: material was published or said ("released in Kyiv"), or a person's life ("born in Odesa").
#: Incidents: "explosion reported in X" says where the explosion was.
INCIDENT_NOUNS = frozenset(
    {
        "explosion",
        "explosions",
        "blast",
        "blasts",
        "strike",
        "strikes",
        "attack",
        "attacks",
        "shelling",
        "fire",
        "fires",
        "smoke",
        "fighting",
        "clashes",
        "interception",
        "interceptions",
        "incident",
        "incidents",
        "gunfire",
        "drone",
        "drones",
        "missile",
        "missiles",
        "sirens",
    }
)
OTHER_SUBJECT_VERBS = frozenset(
    {
        "released",
        "published",
        "posted",
        "shared",
        "announced",
        "said",
        "told",
        "reported",
        "stated",
        "speaking",
        "spoke",
        "held",
        "met",
        "signed",
        "uploaded",
        "broadcast",
        "aired",
        "circulated",
        "interviewed",
        "born",
        "raised",
        "grew",
        "lived",
        "studied",
        "educated",
        "buried",
        "married",
        "elected",
        "headquartered",
    }
)
#: Verbs after which "from X" is where the camera was ("taken from southern Israel").
VANTAGE_VERBS = frozenset(
    {"taken", "filmed", "shot", "seen", "photographed", "recorded", "viewed", "captured", "pictured"}
)

#: Nouns of big political events: "the war in Ukraine" names the war, not a place of the subject.
EVENT_NOUNS = frozenset(
    {
        "war",
        "conflict",
        "invasion",
        "occupation",
        "aggression",
        "crisis",
        "involvement",
        "intervention",
        "incursion",
        "annexation",
        "campaign",
        "wars",
        "conflicts",
        "revolution",
        "genocide",
    }
)
#: Capitalised last words that make a name an event or treaty ("Ukraine War", "Minsk Agreements").
EVENT_WORDS = frozenset(
    {
        "war",
        "wars",
        "conflict",
        "invasion",
        "crisis",
        "revolution",
        "offensive",
        "campaign",
        "operation",
        "games",
        "olympics",
        "cup",
        "summit",
        "agreement",
        "agreements",
        "treaty",
        "accord",
        "accords",
        "protocol",
        "protocols",
        "declaration",
        "charter",
        "pact",
        "talks",
        "forum",
        "festival",
        "championship",
        "expo",
        "convention",
        "process",
        "format",
        "uprising",
    }
)

#: A Slavic adjective's ending, in Latin or Cyrillic letters (folded): -skiy, -skaya, -ske, -ское, -ське ...
#: ("Proletarskaya", "Pervomaisky", "Майорське"; not the nouns "Pokrovsk", "Dolzhanka", "Майорка").
SLAVIC_ADJECTIVE_END = re.compile(
    r"(?:sk|ck|zk|сь?к|ць?к|зь?к)(?:aya|aja|iy|ii|yi|ij|oye|oe|oy|yy|y|a|e|ая|ий|ое|ой|а|е)$"
)

#: Nouns after which "to X" / "towards X" names the far end of a road ("on the road towards Ouadda", "the
#: axis to Bambari"): a road claim (claims.chains), not a heading (claims.grammar).
ROAD_TO_NOUNS = ("road", "route", "axis", "axe", "highway")

#: Capitalised words that make a name an organisation.
ORG_WORDS = frozenset(
    """
centre center agency service services ministry council committee institute institution university
college academy army forces force navy guard guards command corps news headquarters party bank
company corporation group foundation association organisation organization office department bureau
commission court parliament government police brigade regiment division battalion union league club
times post herald network television tv radio press media daily gazette journal tribune telegraph
guardian monde intelligence security communication communications affairs defence defense directorate
assembly senate congress duma rada cabinet administration authority fund program programme project
initiative inc ltd llc airlines airways railways telecom federation commissariat kgb fsb gru sbu
""".split()
)
#: Words that precede or open a person's name.
PERSON_TITLES = frozenset(
    """
president presidents prime minister ministers chancellor king queen prince princess emperor pope
sheikh emir sultan general gen colonel col lieutenant lt major maj captain capt sergeant sgt admiral
marshal commander governor mayor senator sen rep representative ambassador secretary chairman
chairwoman chair chief director head leader spokesman spokesperson spokeswoman mr mrs ms dr prof
professor patriarch ayatollah dictator premier envoy journalist reporter correspondent analyst
officer soldier commander-in-chief vice deputy foreign defense defence interior justice finance
""".split()
)
#: Title words that are only person titles when capitalised before a name (not "foreign", "vice").
STRONG_TITLES = frozenset(
    """
president prime minister chancellor king queen prince princess emperor pope sheikh emir sultan
general gen colonel col lieutenant lt major maj captain capt sergeant sgt admiral marshal commander
governor mayor senator sen rep ambassador secretary chairman chief director leader spokesman
spokesperson spokeswoman mr mrs ms dr prof professor patriarch ayatollah dictator premier envoy
""".split()
)

#: Nouns that make "X's <noun>" a government or organisation, not a place.
GOVERNMENT_HEADS = frozenset(
    """
fears fear plans plan government officials official president leader leaders minister ministry
military army forces troops intelligence chief spokesperson spokesman authorities authority
apprehensions concerns concern position response decision policy claims claim statement denials
denial conflict war invasion involvement aggression regime parliament foreign defence defense
security allies ally partners partner support interests embassy ambassador envoy side efforts
offensive attack attacks strategy goals demands leadership administration cabinet state-run media
""".split()
)
#: Verbs that make a capital or country the actor ("Moscow plans", "Kyiv said").
ACTOR_VERBS = frozenset(
    """
said says say plans planned plan claims claimed claim denied denies deny announced announces
warned warns accused accuses launched launches began begins begin has have had is was were are
would will may might could can wants wanted sent sends sending deployed deploys supplied supplies
supplying preparing prepares responded responds insisted insists rejected rejects confirmed confirms
agreed agrees decided decides signed signs approved approves threatened threatens urged urges
continues continued hopes hoped believes believed fears feared sees saw
""".split()
)

#: "countries like X and Y" / "such as": names in these lists are examples.
EXAMPLE_HEADS = frozenset(
    {
        "countries",
        "nations",
        "states",
        "places",
        "regions",
        "regimes",
        "cities",
        "areas",
        "allies",
        "partners",
        "territories",
    }
)

#: Months and days (never names of places here).
MONTHS_DAYS = frozenset(
    """
january february march april may june july august september october november december jan feb mar
apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon
tue tues wed thu thur thurs fri sat sun
""".split()
)

#: Capitalised words that never start or continue a place name (function words, pronouns,
#: sentence adverbs, headline furniture).
STOP_CAPS = (
    frozenset(
        """
the a an in on at of to from by for with and or but nor near into onto inside within outside
around about across along towards toward between among amid despite upon after before during since
until while when where which who whom whose what why how this that these those it its he she they
we i you his her their our my your there here if as so then than also yet not no yes all any each
every some many much more most other another such only just even still however moreover meanwhile
furthermore reportedly recently allegedly apparently according sources source read related prev
next previous latest comments share video videos photo photos watch live update updated breaking
exclusive opinion analysis editorial advertisement sponsored subscribe sign skip exit menu home
north south east west northern southern eastern western central far upper lower new old
mr mrs ms dr st mt unverified unconfirmed verified is are was were be been has have had do does did
will would can could should may might must
geolocated geolocation geolocate drone drones shelling shelled explosion explosions blast blasts
strike strikes attack attacks footage video photo image images coordinates location fighting clashes
missile missiles interception smoke fire fires update breaking
координати координаты обстріл обстрел обстріли обстрелы вибух вибухи взрыв взрывы удар удари удары
атака атаки відео видео фото геолокація геолокация
""".split()
    )
    | ANCHORS
    | VANTAGE_VERBS
    | OTHER_SUBJECT_VERBS
    | LOCATING_VERBS
)
# The verb sets: a caption opens with its verb ("Filmed in Myla, ...", "Posted near Bakhmut"),
# and the capital letter there makes no name.
# Note: "north/south/new/far/central" are in STOP_CAPS only as *single-word* starters;
# multi-word names ("North Korea", "New Zealand", "Far East") are matched by the lexicon first,
# and generic chunks may continue with them ("Sergeevka North").

#: Words that look like institution names, not places ("in Congress").
NOT_PLACES = frozenset(
    {
        "town",
        "city",
        "village",
        "settlement",
        "district",
        "region",
        "area",
        "locality",
        # faiths ("at the Muslim community", "the Christian quarter"): people, not places
        "muslim",
        "christian",
        "catholic",
        "protestant",
        "jewish",
        "hindu",
        "buddhist",
        # street and road nouns on their own ("on Bangui Road": the street is named after Bangui)
        "road",
        "street",
        "avenue",
        "highway",
        "boulevard",
        "lane",
        "congress",
        "parliament",
        "senate",
        "duma",
        "rada",
        "nato",
        "un",
        "eu",
        "cnn",
        "bbc",
        "reuters",
        "twitter",
        "x",
        "telegram",
        "facebook",
        "youtube",
        "tiktok",
        "instagram",
        "god",
        "internet",
        "web",
    }
)

#: Headings after which the rest of the page is furniture ("Related", "Read also:").
FURNITURE_ZONE_HEADINGS = frozenset(
    {
        "related",
        "related articles",
        "related posts",
        "related stories",
        "related news",
        "read also",
        "read also:",
        "read more",
        "read more:",
        "more stories",
        "recommended",
        "you may also like",
        "recent articles",
        "latest",
        "latest news",
        "most read",
        "most popular",
        "comments",
        "leave a reply",
        "top 10 stories",
        "more from",
        "see also",
        "see also:",
        "also read",
        "also read:",
        "trending",
        "popular",
    }
)

#: Finite verbs that make a short text prose rather than a description (a caption,
#: a ``where_description``): in prose, an unknown capitalised word is not assumed a place.
PROSE_VERBS = frozenset(
    """
is are was were be been being am has have had will would shall should can could may might must
did does do said says say told tells shows showed show named called claims claimed reported
""".split()
)

#: Words after an adjective that make "in <Adjective> <word>" a place ("in Russian territory").
TERRITORY_NOUNS = frozenset(
    {
        "territory",
        "territories",
        "soil",
        "airspace",
        "waters",
        "land",
        "lands",
        "side",
        "border",
        "borders",
        "hands",
        "control",
    }
)
#: Words after "in <Adjective>" that show a language ("spoke in Korean while ...").
LANGUAGE_FOLLOWERS = frozenset(
    {
        "and",
        "or",
        "while",
        "but",
        "with",
        "as",
        "to",
        "by",
        "for",
        "from",
        "on",
        "at",
        "in",
        "language",
        "text",
        "accent",
        "subtitles",
        "captions",
        "script",
        "translation",
        "dialect",
    }
)

#: Tokens ending a sentence that are abbreviations when followed by a lower-case
#: word or a number ("Oct. 8", "St. Petersburg").
ABBREVIATIONS = frozenset(
    """
mr mrs ms dr st mt ft no nos vs etc approx gen lt col maj capt sgt adm gov sen rep prof inc ltd co corp
jan feb mar apr jun jul aug sep sept oct nov dec est fig ca al jr sr
""".split()
)
