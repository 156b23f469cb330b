"""Russian spellings of Ukrainian register names.

Ukraine's settlement register (KATOTTG, table ``settlements``) writes every settlement in
Ukrainian. Event databases and news from the Donbas write many of them in Russian, romanised:
``Tsvetnye Peski`` for Цвітні Піски, ``Schastie`` for Щастя, ``Zhelobok`` for Жолобок,
``Gorske`` for Гірське, ``Krakhmalnoe`` for Крохмальне. The two languages differ mostly in their
vowels (Russian е, о where Ukrainian has і; ``-ое``/``-ье`` endings for ``-е``/``-я``) and keep
the consonants, so :func:`vowel_class_key` keeps a name's consonants and the places of its
vowels, and forgets which vowels they are. :func:`russian_forms` answers a name no exact or
transliterated look-up found with the register names that share that key and are close to it
letter by letter (:data:`geoverify.thresholds.RUSSIAN_FORM_MAX_DISTANCE`).

The index keys the names when it is built (table ``register_keys``, :func:`keyed`); for a
gazetteer without that table the key table is built from its names on first use (about 30,000
names) and kept per index.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from geoverify import thresholds as th
from geoverify.gazetteer.names import _SKELETON_SUBS, cyrillic_to_latin

# Consonants spelled differently by romanisation systems share a class, as in the skeleton
# (:data:`geoverify.gazetteer.names._SKELETON_SUBS`), except the ones Russian and Ukrainian keep
# apart, which the skeleton merges: ж/з, ш/с, щ/ш and ч/ц (Zhelanne is not Зелене). Digits stand
# for those classes; j stays a letter here (a vowel for the key: Semjonovka).
_FINER = {"shtsh": "3", "shch": "3", "sch": "3", "dzh": "5", "zh": "1", "sh": "2", "tsch": "4", "ch": "4"}
_SUBS = [(a, _FINER.get(a, b)) for a, b in _SKELETON_SUBS if a != "j"]
_SUB_RE = re.compile("|".join(re.escape(a) for a, _ in _SUBS))
_SUB_MAP = dict(_SUBS)
_LETTERS = re.compile(r"^[a-z ]+$")
_VOWELS = re.compile(r"[aeiouyj]+")
_REPEAT = re.compile(r"(.)\1+")
_CONSONANT = re.compile(r"[^V ]")
_TABLES: dict[Any, dict[str, tuple[tuple[str, str], ...]]] = {}
_LOCK = threading.Lock()


def vowel_class_key(name: str) -> str:
    """The name romanised, with each consonant spelled one way (``kh``, ``h`` and ``g`` as one:
    Ukrainian г is romanised h where Russian г is g) and each run of vowels written ``V``:
    the key a Russian and a Ukrainian spelling of one name share.

    >>> vowel_class_key("Zhelobok") == vowel_class_key("Жолобок")
    True
    >>> vowel_class_key("Gorske") == vowel_class_key("Гірське")
    True
    """
    return _VOWELS.sub("V", _consonants(name))


def _consonants(name: str) -> str:
    """The name romanised, consonant classes written as one letter each (vowels kept)."""
    s = " ".join(cyrillic_to_latin(name).replace("-", " ").split())
    if not _LETTERS.match(s):
        return ""
    return _REPEAT.sub(r"\1", _SUB_RE.sub(lambda m: _SUB_MAP[m.group()], s))


def keyed(name: str) -> tuple[str, str, str] | None:
    """``(vowel_class_key(name), name, consonants)`` as the index stores a register name (table
    ``register_keys``), or None for a name with no key."""
    consonants = _consonants(name)
    if not consonants:
        return None
    return _VOWELS.sub("V", consonants), name, consonants


def _entries(gazetteer: Any, key: str) -> tuple[tuple[str, str], ...]:
    """The register names (name, consonant form) of one key: from the index's ``register_keys``
    when it has them, else from the key table built from its names."""
    lookup = getattr(gazetteer, "register_entries", None)
    if lookup is not None:
        found = lookup(key)
        if found is not None:
            if len(_CONSONANT.findall(key)) < th.RUSSIAN_FORM_MIN_CONSONANTS:
                return ()  # as the key table keeps them
            return found
    return _table(gazetteer).get(key, ())


def _table(gazetteer: Any) -> dict[str, tuple[tuple[str, str], ...]]:
    key = getattr(gazetteer, "path", None) or id(gazetteer)
    found = _TABLES.get(key)
    if found is not None:
        return found
    with _LOCK:
        found = _TABLES.get(key)
        if found is None:
            table: dict[str, list[tuple[str, str]]] = {}
            try:
                rows = gazetteer.register_names()
            except AttributeError:
                rows = []
            for name in rows:
                keyed_name = keyed(name)
                if keyed_name is None:
                    continue
                k, _, consonants = keyed_name
                if len(_CONSONANT.findall(k)) >= th.RUSSIAN_FORM_MIN_CONSONANTS:
                    entry = (name, consonants)
                    bucket = table.setdefault(k, [])
                    if entry not in bucket:
                        bucket.append(entry)
            found = {k: tuple(v) for k, v in table.items()}
            _TABLES[key] = found
    return found


def load(gazetteer: Any) -> None:
    """Build the key table of ``gazetteer``'s register now (once per index and process; a batch
    worker's warm-up), rather than on the first name no look-up found; nothing to do when the
    index keys its register names itself."""
    lookup = getattr(gazetteer, "register_entries", None)
    if lookup is None or lookup("") is None:
        _table(gazetteer)


def _vowels_agree(a: str, b: str) -> bool:
    """Do two spellings of one key (:func:`_consonants` forms) agree in the vowels Russian and
    Ukrainian keep apart? Word endings may differ (-oe / -e, -ie / -ia, -a / -e), and so may
    e, i, o, u and y inside a word (Russian е, о for Ukrainian і: Gorske / Гірське, Zhelobok /
    Жолобок); a stays a (Zhelanne is not Жилине), except that Ukrainian ia may answer Russian e
    (Kamenka / Кам'янка)."""
    for wa, wb in zip(a.split(), b.split(), strict=False):
        ra = [(m.group(), m.end() == len(wa)) for m in _VOWELS.finditer(wa)]
        rb = [m.group() for m in _VOWELS.finditer(wb)]
        if len(ra) != len(rb):
            return False
        for (va, final), vb in zip(ra, rb, strict=True):
            if final or ("a" in va) == ("a" in vb):
                continue
            with_a, other = (va, vb) if "a" in va else (vb, va)
            if not (other.strip("yij") == "e" and with_a.lstrip("yij") == "a" and with_a != "a"):
                return False
    return True


def russian_forms(gazetteer: Any, name: str) -> list[str]:
    """Register names (Ukrainian, as the register writes them) that ``name`` may be a Russian
    spelling of, closest first; empty when none agrees (:func:`_vowels_agree`, and within
    ``RUSSIAN_FORM_MAX_DISTANCE`` letter by letter) or too many do (a short key such as
    ``mVlV`` fits Мала, Мила and Міла alike and says nothing).

    Parameters
    ----------
    gazetteer : Gazetteer
        The open index (its ``register_names()``).
    name : str
        A name, Latin or Cyrillic, that no exact or transliterated look-up found.
    """
    from rapidfuzz.distance import Levenshtein

    key = vowel_class_key(name)
    if not key:
        return []
    entries = _entries(gazetteer, key)
    if not entries:
        return []
    mine = _consonants(name)
    scored = []
    for n, theirs in entries:
        if not _vowels_agree(mine, theirs):
            continue
        d = Levenshtein.normalized_distance(mine.replace("y", "i"), theirs.replace("y", "i"))
        if d <= th.RUSSIAN_FORM_MAX_DISTANCE:
            scored.append((d, n))
    names = list(dict.fromkeys(n for _, n in sorted(scored)))
    return names if len(names) <= th.RUSSIAN_FORM_MAX_NAMES else []


__all__ = ["vowel_class_key", "russian_forms", "load", "keyed"]
