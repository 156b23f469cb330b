"""Place-name normalisation: folding, transliteration, variants and match keys.

Pure functions, no I/O. The gazetteer stores two keys for every name and
computes the same two keys for every query:

``fold(name)``
    Case, diacritics, apostrophes and punctuation folded away, the script
    kept ("Kramators'k" -> ``kramatorsk``, "Сергеевка" -> ``сергеевка``).
    Equal fold keys are an exact match.

``skeleton(name)``
    A Latin "phonetic skeleton" that collapses the transliteration systems
    news copy uses for Russian and Ukrainian names (BGN/PCGN, ISO 9, the
    scientific system, Ukraine's national system and informal spellings):
    Sergeevka, Sergeyevka, Sergejevka, Sergeewka and Сергеевка all give
    ``sergevka``; Kharkiv, Harkiv and Харків give ``garkiv``. Equal
    skeletons are a transliteration-variant match.

:func:`analyse` turns a query into :class:`QueryVariant` s — the name as
written, the name without its feature word ("Sergeevka training ground" ->
"Sergeevka", hint "training ground"), without a possessive ("Russia's"), and
the nouns a Russian/Ukrainian adjective derives from ("Sergeevsky" ->
Sergeevka, Sergeevo, Sergeevsk ...). :func:`name_keys` gives the keys a
gazetteer name is stored under.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --------------------------------------------------------------------------
# Folding
# --------------------------------------------------------------------------

#: Letters NFKD does not decompose, and the transliteration diacritics whose
#: plain-ASCII spelling is a digraph (ISO 9 / scientific š č ž ŝ, ISO 9 â û ê).
_LATIN_SPECIAL = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "ł": "l",
    "Ł": "l",
    "ı": "i",
    "ħ": "h",
    "Ħ": "h",
    "ŧ": "t",
    "š": "sh",
    "Š": "sh",
    "č": "ch",
    "Č": "ch",
    "ž": "zh",
    "Ž": "zh",
    "ŝ": "shch",
    "Ŝ": "shch",
    "ĉ": "ch",
    "Ĉ": "ch",
    "ǆ": "dzh",
    "ǅ": "dzh",
    "â": "ya",
    "Â": "ya",
    "û": "yu",
    "Û": "yu",
    "ê": "ye",
    "Ê": "ye",
    "ǎ": "ya",
    "Ǎ": "ya",
    "ǔ": "yu",
    "Ǔ": "yu",
    "ë": "e",
    "Ë": "e",
    "ï": "yi",
    "Ï": "yi",
}
#: Marks that are not letters: apostrophes and prime signs used for ь/ъ,
#: quotes; removed without a space ("Kramators'k" -> kramatorsk).
_DROP_CHARS = "'’‘`´ʹʺʼʻʽˈ″′\"“”„«»‹›"
# й must survive the removal of combining marks (ё -> е and ї -> і are wanted)
_FOLD_TABLE = str.maketrans({**_LATIN_SPECIAL, **{c: None for c in _DROP_CHARS}, "й": "\ue000", "Й": "\ue000"})
_ASCII_DROP = str.maketrans({c: None for c in _DROP_CHARS if c.isascii()})
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_WORD = re.compile(r"[\W_]+")
_WORD_RUN = re.compile(r"[^\W_]+")  # the words _NON_WORD leaves (no word character is whitespace)
# The characters _FOLD_TABLE maps, for long texts: str.translate looks up every character of a
# non-ASCII text in the table; one regex scan finds the few that change (the same result).
_FOLD_CHANGES = {chr(k): v or "" for k, v in _FOLD_TABLE.items()}
_FOLD_CHARS = re.compile("[" + re.escape("".join(_FOLD_CHANGES)) + "]")
#: From this length on, :func:`_translate` scans for the characters to change.
_SCAN_TRANSLATE_FROM = 64


def _translate(text: str) -> str:
    """``text.translate(_FOLD_TABLE)``."""
    if len(text) < _SCAN_TRANSLATE_FROM:
        return text.translate(_FOLD_TABLE)
    return _FOLD_CHARS.sub(lambda m: _FOLD_CHANGES[m.group()], text)


def fold(text: str) -> str:
    """Fold case, diacritics and punctuation; keep the script.

    Parameters
    ----------
    text : str
        A place name in any script.

    Returns
    -------
    str
        Lower-case words separated by single spaces. ``ё`` becomes ``е``
        and ``ї`` becomes ``і`` (``й`` is kept), apostrophes vanish, other
        punctuation separates words.

    Examples
    --------
    >>> fold("Kramators'k")
    'kramatorsk'
    >>> fold("Sant Julià de Lòria")
    'sant julia de loria'
    >>> fold("Сергеевка") == fold("СЕРГЕЕВКА")
    True
    """
    if text.isascii():  # the common case, fast
        return " ".join(_NON_WORD.sub(" ", text.lower().translate(_ASCII_DROP)).split())
    return " ".join(_NON_WORD.sub(" ", _fold_chars(text)).split())


def fold_words(text: str) -> list[str]:
    """``fold(text).split()``, without joining and splitting again (long texts: the countries a
    document names).

    Folding is a function of each character alone (translation table, NFKD of one character,
    combining marks dropped, case folded: no step looks at a neighbour that could change which
    characters are words), so the text is folded in bulk: its UTF-8 bytes once through a table
    (ASCII letters lowered, the ASCII apostrophes and quotes dropped, every other ASCII
    character a separator, other bytes kept), then each distinct non-ASCII character replaced by
    its own fold, non-word characters by a space, and the words split at spaces. Identical to
    ``_WORD_RUN.findall`` over :func:`fold`'s characters (tested on random Unicode text);
    ~3x faster on news text with a few non-ASCII characters.
    """
    s = text.encode("utf-8", "surrogatepass").translate(_WORD_BYTES, _ASCII_DROP_BYTES)
    out = s.decode("utf-8", "surrogatepass")
    if not out.isascii():
        replace = {}
        for c in set(s.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")):  # its non-ASCII characters
            f = _char_fold(c)
            if f != c:
                replace[c] = f
        for f in replace.values():
            if not f.isascii() and any(ch in replace for ch in f):  # a fold another would fold again
                return _WORD_RUN.findall(_fold_chars(text))
        for c, f in replace.items():
            out = out.replace(c, f)
    return out.split()


#: fold_words' byte table: ASCII letters and digits kept (upper case lowered), other ASCII bytes a
#: space, bytes of non-ASCII characters (>= 0x80 in UTF-8) kept; the ASCII characters
#: :func:`fold` drops are deleted.
_WORD_BYTES = bytes((c + 32 if 65 <= c <= 90 else c) if (c >= 128 or chr(c).isalnum()) else 32 for c in range(256))
_ASCII_DROP_BYTES = "".join(c for c in _DROP_CHARS if c.isascii()).encode()
_ASCII_BYTES = bytes(range(128))


@lru_cache(maxsize=4096)
def _char_fold(c: str) -> str:
    """The fold of one non-ASCII character, its non-word characters as spaces."""
    return _NON_WORD.sub(" ", _fold_chars(c))


def _fold_chars(text: str) -> str:
    """The character folding of :func:`fold` on a non-ASCII text (before words are split)."""
    text = _translate(text)
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()
    if "\ue000" in text:
        text = text.replace("\ue000", "й")
    return text


# --------------------------------------------------------------------------
# Transliteration
# --------------------------------------------------------------------------

#: Cyrillic -> Latin on folded text (so ё/ї have already lost their marks:
#: е, і; й is kept). BGN/PCGN-like; Ukrainian letters included; the skeleton erases
#: the differences between systems.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ye",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "yi",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ё": "e",
    "ў": "u",
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dzh",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ӣ": "i",
    "ӯ": "u",
    "ҳ": "h",
    "ҷ": "j",
    "ѣ": "e",
    "ѳ": "f",
    "ѵ": "i",
}
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_ONLY = re.compile(r"^[a-z0-9 ]*$")


def has_cyrillic(text: str) -> bool:
    """True if ``text`` contains a Cyrillic letter."""
    return _HAS_CYRILLIC.search(text) is not None


def cyrillic_to_latin(text: str) -> str:
    """Transliterate Cyrillic (Russian, Ukrainian, Belarusian, ...) to Latin.

    A BGN/PCGN-style romanisation of the *folded* text (lower case, no
    ё/й marks); Latin characters pass through.

    >>> cyrillic_to_latin("Харків")
    'kharkiv'
    >>> cyrillic_to_latin("Сергеевка")
    'sergeevka'
    """
    return fold(text).translate(_CYRILLIC_TABLE)


# Consonant digraphs and letters that transliteration systems spell
# differently, longest first. kh/h/g share a class because Ukrainian г is
# romanised h (Luhansk) where Russian г is g (Lugansk) and х is kh or h.
_SKELETON_SUBS = [
    ("shtsh", "s"),
    ("shch", "s"),
    ("tsch", "c"),
    ("sch", "s"),
    ("dzh", "j"),
    ("zh", "z"),
    ("sh", "s"),
    ("ch", "c"),
    ("kh", "g"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("th", "t"),
    ("gh", "g"),
    ("ck", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("q", "k"),
    ("j", "y"),
    ("h", "g"),
]
_SKELETON_RE = re.compile("|".join(re.escape(a) for a, _ in _SKELETON_SUBS))
_SKELETON_MAP = dict(_SKELETON_SUBS)
_YO = re.compile(r"(?<=[bcdfgklmnprstvz])yo")  # ё after a consonant: Semyonovka = Semenovka
_YOT = re.compile(r"y(?=[aeiou])")  # ya/ye/yo/yu -> a/e/o/u (я, е, ё, ю)
_IOT = re.compile(r"(?<=[bcdfgklmnprstvz])i(?=[au]\b|[au][^aeiou])")  # Ukr. -ia/-iu
_REPEAT = re.compile(r"(.)\1+")


def skeleton(text: str) -> str:
    """The transliteration-invariant key of a name (Latin or Cyrillic).

    Collapses: kh/h and g (Ukrainian г), yo/ё/e after a consonant, zh/ž, sh/š, ch/č, ts/c,
    shch/sch/šč, j/y, yotated vowels (ya/ja/â, ye/je, yu/ju/û -> a, e, u),
    y/i (ы, и, і, -iy/-ij/-yi/-yy endings), Ukrainian -ia/-iu, w/v,
    doubled letters, ь/ъ (dropped by :func:`fold`).

    Returns ``""`` for names in other scripts (CJK, Arabic ...), which only
    match through :func:`fold`.

    >>> skeleton("Sergeyevka") == skeleton("Sergejevka") == skeleton("Сергеевка")
    True
    >>> skeleton("Primorskiy") == skeleton("Primorsky") == skeleton("Приморский")
    True
    """
    return skeleton_of_folded(fold(text))


def skeleton_of_folded(folded: str) -> str:
    """:func:`skeleton` of text that has already been through :func:`fold`."""
    s = folded.translate(_CYRILLIC_TABLE) if not folded.isascii() else folded
    if not _LATIN_ONLY.match(s):
        return ""
    s = _SKELETON_RE.sub(lambda m: _SKELETON_MAP[m.group()], s)
    s = _IOT.sub("y", s)
    s = _YO.sub("e", s)
    s = _YOT.sub("", s)
    s = s.replace("y", "i")
    return _REPEAT.sub(r"\1", s)


# --------------------------------------------------------------------------
# Feature words
# --------------------------------------------------------------------------

#: feature phrase (folded) -> (normalised hint, hint class). Classes:
#: ``military`` (prefers named sites), ``admin`` (prefers first-level
#: regions), ``district`` (second-level; neutral), ``settlement`` (prefers
#: populated places), ``country``.
FEATURE_WORDS: dict[str, tuple[str, str]] = {}


def _add(hint: str, cls: str, *phrases: str) -> None:
    for p in (hint, *phrases):
        FEATURE_WORDS[fold(p)] = (hint, cls)


_add(
    "training ground",
    "military",
    "training grounds",
    "military training ground",
    "military training grounds",
    "training range",
    "military training range",
    "training area",
    "military training area",
    "proving ground",
    "proving grounds",
    "test site",
    "test range",
    "firing range",
    "shooting range",
    "range",
    "polygon",
    "полигон",
    "военный полигон",
    "учебный полигон",
    "общевойсковой полигон",
    "полігон",
    "військовий полігон",
)
_add(
    "training facility",
    "military",
    "training center",
    "training centre",
    "military training center",
    "military training centre",
    "training base",
    "учебный центр",
    "навчальний центр",
)
_add(
    "military camp",
    "military",
    "military town",
    "garrison",
    "военный городок",
    "військове містечко",
    "army camp",
    "training camp",
    "военный лагерь",
)
_add("camp", "military", "camps", "лагерь", "табір")
_add(
    "military base",
    "military",
    "base",
    "army base",
    "naval base",
    "military unit",
    "military installation",
    "база",
    "военная база",
    "військова база",
    "воинская часть",
    "військова частина",
)
_add(
    "airbase", "military", "air base", "air force base", "military airfield", "авиабаза", "авіабаза", "военный аэродром"
)
_add("airfield", "military", "air field", "aerodrome", "airstrip", "аэродром", "аеродром")
_add(
    "checkpoint",
    "military",
    "check point",
    "border checkpoint",
    "border crossing",
    "crossing point",
    "блокпост",
    "контрольно пропускной пункт",
    "кпп",
    "пункт пропуска",
    "пункт пропуску",
)
_add("oblast", "admin", "oblast'", "obl", "область", "обл")
_add("krai", "admin", "kray", "krai'", "край")
_add("republic", "admin", "republic of", "республика", "республіка")
_add("autonomous okrug", "admin", "okrug", "autonomous district", "автономный округ")
_add("autonomous oblast", "admin", "автономная область")
_add(
    "region",
    "admin",
    "regions",
    "province",
    "governorate",
    "prefecture",
    "state",
    "voivodeship",
    "oblys",
    "регион",
    "регіон",
    "провинция",
)
_add(
    "district",
    "district",
    "raion",
    "rayon",
    "municipal district",
    "municipality",
    "county",
    "район",
    "муниципальный округ",
    "городской округ",
    "громада",
    "hromada",
)
_add("city", "settlement", "city of", "town", "город", "місто", "г")
_add(
    "village",
    "settlement",
    "selo",
    "село",
    "деревня",
    "derevnya",
    "hamlet",
    "khutor",
    "хутор",
    "stanitsa",
    "станица",
    "станиця",
    "aul",
    "аул",
)
_add(
    "settlement",
    "settlement",
    "urban-type settlement",
    "urban type settlement",
    "posyolok",
    "poselok",
    "pos",
    "посёлок",
    "поселок",
    "пос",
    "пгт",
    "смт",
    "селище",
    "selyshche",
    "rural settlement",
    "urban settlement",
    "suburb",
)

#: prefixes that come before a name ("the city of Kharkiv", "polygon X").
_PREFIX_OK = {"military", "admin", "settlement", "district"}
_MAX_FEATURE_WORDS = max(len(k.split()) for k in FEATURE_WORDS)
_ARTICLES = {"the", "a", "an"}


def split_feature(folded: str) -> tuple[str, str | None, str | None]:
    """Strip one feature phrase from the end (or start) of a folded name.

    Parameters
    ----------
    folded : str
        Output of :func:`fold`.

    Returns
    -------
    (base, hint, hint_class)
        ``base`` is the name without the phrase (the input when none was
        found or nothing would be left); ``hint`` the normalised feature
        ("training ground", "oblast", "krai"), ``hint_class`` its class.

    >>> split_feature("sergeevka training ground")
    ('sergeevka', 'training ground', 'military')
    >>> split_feature("полигон сергеевка")
    ('сергеевка', 'training ground', 'military')
    """
    words = folded.split()
    if words and words[0] in _ARTICLES:
        words = words[1:]
    if len(words) < 2:
        return " ".join(words), None, None
    for n in range(min(_MAX_FEATURE_WORDS, len(words) - 1), 0, -1):
        tail = " ".join(words[-n:])
        if tail in FEATURE_WORDS:
            base = words[:-n]
            if base and base[-1] == "of":  # "Republic of" written last? keep
                continue
            hint, cls = FEATURE_WORDS[tail]
            return " ".join(base), hint, cls
    for n in range(min(_MAX_FEATURE_WORDS + 1, len(words) - 1), 0, -1):
        head = words[:n]
        if head[-1] == "of" and n > 1:
            head = head[:-1]
        phrase = " ".join(head)
        if phrase in FEATURE_WORDS and FEATURE_WORDS[phrase][1] in _PREFIX_OK:
            hint, cls = FEATURE_WORDS[phrase]
            return " ".join(words[n:]), hint, cls
    return " ".join(words), None, None


# --------------------------------------------------------------------------
# Adjectival forms and possessives
# --------------------------------------------------------------------------

# Russian/Ukrainian adjectives of place names, in skeleton space: the stem
# ends in s (Sergeev-s-kiy, Kur-s-kaya) or c (Done-c-kaya = Донецкая); the
# ending collapses -iy/-ij/-y/-yi/-ii to i, -aya/-aja/-aia to a, -oye/-oe to oe.
_ADJ_END = re.compile(r"^(?P<stem>.{2,}?)(?P<sc>[sc])k(?:i|a|oe|oi|e|ie|ii|ogo|oi)$")
#: noun endings a "-sky" adjective is derived from: Sergeevka, Sergeevo,
#: Sergeev, Sergeevsk, Primorye (primore), Sergievsky (itself a name).
_NOUN_ENDINGS = ("ka", "o", "", "e", "a", "i", "sk")


def adjective_bases(skel: str) -> list[str]:
    """Skeletons of the place names a Russian/Ukrainian adjective may derive from.

    Parameters
    ----------
    skel : str
        A one-word :func:`skeleton` ("sergevski").

    Returns
    -------
    list of str
        Candidate noun skeletons, most likely first; empty when ``skel`` is
        not an adjective in -sky/-skiy/-skaya/-skoye/-ska/-ske/-tsky.

    >>> adjective_bases(skeleton("Sergeevsky"))[:3]
    ['sergevka', 'sergevo', 'sergev']
    >>> adjective_bases(skeleton("Kurskaya"))[0]
    'kursk'
    """
    m = _ADJ_END.match(skel)
    if not m:
        return []
    stem, sc = m.group("stem"), m.group("sc")
    out: list[str] = []
    if sc == "c":  # Donetskaya -> Donetsk; Yasinovatsky -> Yasinovata(ya), Bakhmutsky -> Bakhmut
        out.append(stem + "ck")
        out += [stem + "t" + end for end in ("a", "", "e", "o")]
        return out
    # Kurskaya -> Kursk first when the stem is short and ends in a consonant
    if len(stem) <= 4 or stem[-1] == "r":
        out.append(stem + "sk")
    for end in _NOUN_ENDINGS:
        cand = stem + end
        if cand not in out and len(cand) >= 3:
            out.append(cand)
    return out


_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’|'|’)$", re.IGNORECASE)


def strip_possessive(text: str) -> tuple[str, bool]:
    """Remove an English possessive: "Russia's" -> ("Russia", True).

    >>> strip_possessive("Russia’s")
    ('Russia', True)
    """
    stripped = text.rstrip()
    m = _POSSESSIVE.search(stripped)
    if not m or len(stripped) - len(m.group()) < 2:
        return text, False
    if m.group() in ("'", "’") and not stripped[:-1].endswith("s"):
        return text, False
    base = stripped[: m.start()] + ("s" if m.group().lower() in ("s'", "s’") else "")
    return base, True


# --------------------------------------------------------------------------
# Query analysis and stored keys
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryVariant:
    """One way of reading a query: its keys and how it was derived.

    Attributes
    ----------
    fold : str
        The exact-match key.
    skeleton : str
        The transliteration-variant key ("" for non-Latin/Cyrillic scripts).
    weight : float
        1.0 for the name as written; lower for derived readings.
    how : str
        ``as-written``, ``possessive``, ``without-feature``, ``adjective``.
    """

    fold: str
    skeleton: str
    weight: float
    how: str


@dataclass(frozen=True)
class QueryAnalysis:
    """A place-name query taken apart by :func:`analyse`."""

    text: str
    folded: str
    variants: tuple[QueryVariant, ...]
    feature_hint: str | None = None
    hint_class: str | None = None
    possessive: bool = False


#: Weights of derived query readings (multiplied into the match score).
W_POSSESSIVE = 1.0
W_WITHOUT_FEATURE = 0.97
W_ADJECTIVE = 0.88


#: Weight of a query read with "Saint" for "St." or the reverse (below the name as written, which wins
#: when the gazetteer has both spellings).
W_SAINT = 0.99
_SAINT_WORDS = {"st": "saint", "saint": "st", "ste": "sainte", "sainte": "ste", "sto": "santo", "sta": "santa"}


def saint_spelling(folded: str) -> str | None:
    """The other spelling of a folded name's saint word ("st marc" -> "saint marc", "saint bernard
    parish" -> "st bernard parish"), or None. Only a word followed by another: "Main St" is a street."""
    words = folded.split()
    out = [(_SAINT_WORDS.get(w, w) if k < len(words) - 1 else w) for k, w in enumerate(words)]
    return " ".join(out) if out != words else None


@lru_cache(maxsize=8192)
def analyse(text: str) -> QueryAnalysis:
    """Take a place-name query apart into the readings to look up.

    Parameters
    ----------
    text : str
        One name, without qualifiers ("Sergievsky Training Ground",
        "Russia's", "полигон Сергеевка").

    Returns
    -------
    QueryAnalysis
        Variants best first, deduplicated, with the feature hint found.
    """
    base_text, possessive = strip_possessive(text)
    folded = fold(base_text)
    variants: list[QueryVariant] = []
    seen: set[str] = set()

    def add(f: str, w: float, how: str, skel: str | None = None) -> None:
        if not f or f in seen:
            return
        seen.add(f)
        variants.append(QueryVariant(f, skeleton_of_folded(f) if skel is None else skel, w, how))

    add(folded, W_POSSESSIVE if possessive else 1.0, "possessive" if possessive else "as-written")
    first, _, rest = folded.partition(" ")
    if first in _ARTICLES and rest:  # "the Russian Far East"; "The Hague" keeps its own reading
        add(rest, 1.0, "possessive" if possessive else "as-written")
    base, hint, cls = split_feature(folded)
    if hint and base:
        add(base, W_WITHOUT_FEATURE, "without-feature")
    else:
        base = folded
    for v in list(variants):
        # "St. Marc" is Saint-Marc, "Saint Bernard Parish" St. Bernard Parish: the gazetteer keeps
        # one of the two spellings of a saint's name
        other = saint_spelling(v.fold)
        if other:
            add(other, v.weight * W_SAINT, "saint")
    # adjectives: derive nouns from the last word ("Sergeevsky", "Kurskaya")
    words = base.split()
    if words:
        last_skel = skeleton(words[-1])
        prefix = " ".join(skeleton(w) for w in words[:-1])
        for noun in adjective_bases(last_skel):
            key = f"{prefix} {noun}".strip()
            if key in seen:
                continue
            seen.add(key)
            variants.append(QueryVariant("", key, W_ADJECTIVE, "adjective"))
    return QueryAnalysis(text, folded, tuple(variants), hint, cls, possessive)


#: flags of stored names (``names.flag``), and the weight of a match on each.
FLAG_NAME, FLAG_ALT, FLAG_BASE, FLAG_DERIVED, FLAG_ADJECTIVE, FLAG_DEMONYM, FLAG_CODE = range(7)
FLAG_WEIGHT = {
    FLAG_NAME: 1.0,
    FLAG_ALT: 1.0,
    FLAG_BASE: 0.97,
    FLAG_DERIVED: 0.93,
    FLAG_ADJECTIVE: 1.0,
    FLAG_DEMONYM: 1.0,
    FLAG_CODE: 0.9,
}
FLAG_FORM = {FLAG_ADJECTIVE: "adjective", FLAG_DEMONYM: "demonym", FLAG_CODE: "code"}

_JUNK = re.compile(r"^\W*$|^\d+$|https?:|www\.")


def name_keys(name: str, flag: int = FLAG_ALT, derive: bool = False, strip: bool = True) -> list[tuple[str, str, int]]:
    """The ``(fold, skeleton, flag)`` keys a gazetteer name is stored under.

    Parameters
    ----------
    name : str
        A name or alias of a place.
    flag : int
        The flag of the name as given (:data:`FLAG_NAME`, :data:`FLAG_ALT`...).
    derive : bool
        Also store the noun a "-skaya oblast"/"-skiy kray" adjective comes from
        (used for first-level regions: "Kurskaya oblast'" -> ``kursk``).
    strip : bool
        Also store the name without its feature word (not for countries:
        "Republic of China" must not become "China").

    Returns
    -------
    list of (fold, skeleton, flag)
        The name itself, the name without a feature word (flag
        :data:`FLAG_BASE`) and, with ``derive``, the derived nouns (flag
        :data:`FLAG_DERIVED`, fold key empty: they match by skeleton only).
    """
    if not name or _JUNK.search(name):
        return []
    f = fold(name)
    if not f:
        return []
    out = [(f, skeleton_of_folded(f), flag)]
    if flag in (FLAG_CODE, FLAG_ADJECTIVE, FLAG_DEMONYM) or not strip:
        return out
    base, hint, _ = split_feature(f)
    if hint and base and base != f:
        out.append((base, skeleton_of_folded(base), FLAG_BASE))
    else:
        base = f
    if derive:
        words = base.split()
        if words:
            prefix = " ".join(skeleton(w) for w in words[:-1])
            bases = adjective_bases(skeleton(words[-1]))
            for noun in bases[:1]:
                out.append(("", f"{prefix} {noun}".strip(), FLAG_DERIVED))
    return out
