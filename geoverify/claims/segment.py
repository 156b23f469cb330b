"""Tokens, lines, paragraphs, sentences and page furniture (private to claim extraction).

The text is tokenised once with one regular expression; every later rule works on
token indices and reports character offsets taken from the tokens, so spans are
always exact Python ``str`` offsets of the input (nothing is ever re-derived from
a lower-cased or normalised copy).

Segmentation rules
------------------
- A *line* ends at ``\\n``. A *paragraph* is a run of lines between blank lines.
- A *sentence* never crosses a line end. Inside a line it ends at ``.``, ``!``,
  ``?``, ``…`` or ``...`` followed by an upper-case word, a digit, a quote or the
  end of the line, unless the ``.`` closes an abbreviation ("Oct. 8",
  "St. Petersburg", "U.S. President") or an initial ("J. Smith").

Page furniture rules (each gives the reason ``"page furniture"``)
-----------------------------------------------------------------
F1 navigation: a line starting with ``PREV``/``NEXT`` or "Previous/Next article".
F2 site chrome: a short line (≤ 12 words) starting with "Read also", "Related",
   "Skip to content", "Subscribe", "Exit mobile version", "Top 10 Stories" ...
F3 zone: a heading line that is exactly "Related", "Read also:", "Comments",
   "Related articles", "Latest" ... makes every following line furniture, until
   a paragraph of at least 20 words that carries a subject cue (the article
   resumes).
F4 teaser: a line that ends with a truncation ellipsis ("Venezuela's President...").
F5 weather widget: a temperature line ("24 C", "-3 °F") and the short line after it.
F6 short line: in a prose document (one line has ≥ 12 words), a line of at most
   4 words without sentence punctuation, digits, a locative word or a feature word
   ("Colombo", "Visit Ukraine", "Hot-Topics").
None of these apply to a line that holds a location (coordinates, plus code) or
sits right next to one, nor to a *description*: a whole text of at most 40 words
without a finite verb of prose ("is", "was", "has", "said", "shows" ...), such as a
caption, a UCDP ``where_description`` or a ``--claim`` phrase.

A *dateline* ("KYIV, Ukraine (AP) —") is recognised at the start of a paragraph;
its names are mentions with reason ``"dateline"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from geoverify.claims import lexicon as lx

_TOKEN_RE = re.compile(
    r"""
    (?P<u>(?:https?://|www\.)\S+|[@#][^\W_]\w*)
  | (?P<a>(?:[^\W\d_]\.){2,})
  | (?P<n>\d+(?:[.,]\d+)*)
  | (?P<w>[^\W\d_]+(?:['’‐‑\-–][^\W\d_]+)*)
  | (?P<nl>\n)
  | (?P<p>\.\.\.|…|[^\s\w])
    """,
    re.VERBOSE,
)
_POSSESSIVE = ("'s", "’s", "'S", "’S")

#: Words that mark a locative or relation (a line holding one is not a bare label).
_LOCATIVE_WORDS = frozenset(
    {
        "in",
        "near",
        "at",
        "from",
        "of",
        "inside",
        "outside",
        "close",
        "north",
        "south",
        "east",
        "west",
        "border",
        "km",
        "miles",
    }
)
_TEMPERATURE_RE = re.compile(r"^[-+−]?\d+(?:[.,]\d+)?\s*°?\s*[CF]$")
_DATELINE_RE = re.compile(
    r"\s*([A-Z][A-Z'’.\- ]{2,}(?:,\s*[A-Z][\w'’.\- ]{1,40})?)\s*(?:\([^)\n]{1,40}\))?\s*[—–-]{1,2}\s"
)
_FURNITURE_PREFIXES = (
    "read also",
    "read more",
    "also read",
    "see also",
    "related",
    "recommended",
    "advertisement",
    "sponsored",
    "share this",
    "share on",
    "follow us",
    "sign in",
    "subscribe",
    "skip to content",
    "exit mobile version",
    "leave a reply",
    "please enter your",
    "top 10 stories",
    "most read",
    "you may also like",
    "more from",
    "more stories",
    "recent articles",
    "go top",
    "copyright",
    "©",
    "all rights reserved",
    "tags:",
    "topics:",
    "click here",
    "cookie",
    "ⓕ font-size",
    "font-size",
)
_NAV_RE = re.compile(
    r"^(?:PREV|NEXT)\b|^(?:previous|next)\s+(?:article|post|story)\b|^(?:previous|next):", re.IGNORECASE
)
_NAV_UPPER_RE = re.compile(r"^(?:PREV|NEXT)\b")


@dataclass(slots=True)
class Token:
    """One token: ``kind`` is ``w`` word, ``a`` dotted abbreviation (U.S.), ``n`` number,
    ``p`` punctuation, ``s`` possessive ('s), ``u`` URL/handle/e-mail, ``nl`` newline,
    ``x`` masked (inside a location span)."""

    start: int
    end: int
    text: str
    kind: str
    low: str
    cap: bool
    line: int = 0


@dataclass(slots=True)
class Sentence:
    first: int  # first token index
    last: int  # one past the last token index
    start: int  # character offsets
    end: int
    line: int
    para: int
    index: int = 0
    cue: bool = False
    furniture: bool = False


@dataclass(slots=True)
class Line:
    start: int
    end: int
    first: int
    last: int
    para: int
    words: int = 0
    furniture: bool = False
    has_location: bool = False
    dateline_end: int = -1  # character offset where a dateline prefix ends


@dataclass
class Doc:
    text: str
    tokens: list[Token]
    lines: list[Line]
    sentences: list[Sentence]
    words: int
    description: bool = False  # a short text: every place in it is a claim
    prose: bool = False
    cue_doc: bool = False
    masked: list[tuple[int, int]] = field(default_factory=list)


def tokenize(text: str, masked: Sequence[tuple[int, int]] = ()) -> list[Token]:
    """Split ``text`` into tokens; tokens inside a ``masked`` span become kind ``x``."""
    tokens: list[Token] = []
    spans = sorted(masked)
    k = 0
    line = 0
    append = tokens.append
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or ""  # every alternative of _TOKEN_RE is a named group
        start, end = m.span()
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        if kind == "nl":
            append(Token(start, end, "\n", "nl", "\n", False, line))
            line += 1
            continue
        if k < len(spans) and spans[k][0] < end and start < spans[k][1]:
            append(Token(start, end, m.group(), "x", "", False, line))
            continue
        tok = m.group()
        if kind == "w" and len(tok) > 2 and tok.endswith(_POSSESSIVE):
            stem = tok[:-2]
            append(Token(start, end - 2, stem, "w", lx.fold(stem), stem[0].isupper(), line))
            append(Token(end - 2, end, tok[-2:], "s", "'s", False, line))
            continue
        append(Token(start, end, tok, kind, lx.fold(tok), tok[0].isupper(), line))
    return tokens


def _sentence_end(tokens: list[Token], k: int, last: int) -> bool:
    tok = tokens[k]
    if tok.kind != "p" or tok.text not in (".", "!", "?", "…", "...", ";"):
        return False
    if tok.text == ";":
        return False
    nxt = k + 1
    while nxt < last and tokens[nxt].kind == "p" and tokens[nxt].text in "”\"’')]»":
        nxt += 1
    if nxt >= last:
        return True
    after = tokens[nxt]
    if tok.text == ".":
        prev = tokens[k - 1] if k > 0 else None
        if prev is not None and prev.end == tok.start and prev.kind == "w":
            if prev.low in lx.ABBREVIATIONS and (
                after.kind == "n"
                or not after.cap
                or prev.low
                in (
                    "st",
                    "mt",
                    "mr",
                    "mrs",
                    "ms",
                    "dr",
                    "gen",
                    "lt",
                    "col",
                    "maj",
                    "capt",
                    "sgt",
                    "adm",
                    "gov",
                    "sen",
                    "rep",
                    "prof",
                )
            ):
                return False
            if len(prev.text) == 1 and prev.cap and after.cap:
                return False  # an initial: "J. Smith"
    if after.kind == "w" and not after.cap:
        return False
    return True


def segment(text: str, masked: Sequence[tuple[int, int]] = (), location_spans: Sequence[tuple[int, int]] = ()) -> Doc:
    """Tokenise and segment ``text``, mark furniture, cues and the document mode."""
    tokens = tokenize(text, masked)
    lines: list[Line] = []
    # lines and paragraphs
    para = 0
    blank_run = False
    line_start_char = 0
    n = len(tokens)
    i = 0
    while True:
        j = i
        while j < n and tokens[j].kind != "nl":
            j += 1
        end_char = tokens[j].start if j < n else len(text)
        if j == i:  # blank line (no tokens)
            blank_run = True
        else:
            if blank_run and lines:
                para += 1
            blank_run = False
            words = sum(1 for t in tokens[i:j] if t.kind in ("w", "a"))
            lines.append(Line(line_start_char, end_char, i, j, para, words))
        if j >= n:
            break
        line_start_char = tokens[j].end
        i = j + 1
    total_words = sum(line.words for line in lines)
    doc = Doc(text, tokens, lines, [], total_words)
    doc.masked = list(masked)
    doc.description = total_words <= 40 and not any(t.kind == "w" and t.low in lx.PROSE_VERBS for t in tokens)
    doc.prose = any(line.words >= 12 for line in lines)

    # locations per line (both lists are sorted: one merge-like pass)
    loc_spans = sorted(location_spans)
    p = 0
    for line in lines:
        while p < len(loc_spans) and loc_spans[p][1] <= line.start:
            p += 1
        q = p
        while q < len(loc_spans) and loc_spans[q][0] < line.end:
            if loc_spans[q][1] > line.start:
                line.has_location = True
                break
            q += 1

    # sentences
    sentences: list[Sentence] = []
    for li, line in enumerate(lines):
        a = line.first
        k = a
        while k < line.last:
            if _sentence_end(tokens, k, line.last):
                b = k + 1
                while b < line.last and tokens[b].kind == "p" and tokens[b].text in "”\"’')]»":
                    b += 1
                sentences.append(Sentence(a, b, tokens[a].start, tokens[b - 1].end, li, line.para))
                a = b
                k = b
                continue
            k += 1
        if a < line.last:
            sentences.append(Sentence(a, line.last, tokens[a].start, tokens[line.last - 1].end, li, line.para))
    for idx, s in enumerate(sentences):
        s.index = idx
    doc.sentences = sentences

    _mark_cues(doc)
    if not doc.description:
        _mark_furniture(doc)
        for s in sentences:
            s.furniture = lines[s.line].furniture
    _mark_datelines(doc)
    doc.cue_doc = any(s.cue and not s.furniture for s in sentences)
    return doc


def _mark_cues(doc: Doc) -> None:
    """A sentence is about the subject when it holds a subject cue, or when it opens with
    an anaphor ("It", "The site") right after such a sentence in the same paragraph."""
    toks = doc.tokens
    prev = None
    for s in doc.sentences:
        cue = False
        for k in range(s.first, s.last):
            t = toks[k]
            if t.low in lx.SUBJECT_CUES:
                if t.low in ("video", "videos") and k + 1 < s.last and toks[k + 1].low in lx.NON_FOOTAGE_AFTER_VIDEO:
                    continue
                cue = True
                break
        if not cue and prev is not None and prev.cue and prev.para == s.para:
            words = [t.low for t in toks[s.first : s.last] if t.kind == "w"][:2]
            if words and (words[0] in lx.ANAPHORS or " ".join(words) in lx.ANAPHORS):
                cue = True
        s.cue = cue
        prev = s


def _line_text(doc: Doc, line: Line) -> str:
    return doc.text[line.start : line.end].strip()


def _mark_furniture(doc: Doc) -> None:
    toks = doc.tokens
    lines = doc.lines
    # F4 needs the set of full lines to recognise a truncated duplicate; any truncated line is a teaser.
    zone = False
    zone_para = -1
    para_words: dict[int, int] = {}
    for line in lines:
        para_words[line.para] = para_words.get(line.para, 0) + line.words
    para_cue = {s.para for s in doc.sentences if s.cue}
    for li, line in enumerate(lines):
        if line.has_location or _next_to_location(lines, li):
            continue
        if zone and line.para != zone_para:
            # the article resumes with a long paragraph about the subject
            if para_words[line.para] >= 20 and line.para in para_cue:
                zone = False
        if zone:
            line.furniture = True
            continue
        text = _line_text(doc, line)
        if line.words > 12 and not text.endswith(("...", "…")):
            continue  # a line of prose
        folded = lx.fold(text)
        heading = folded.rstrip(" :").strip()
        if heading in lx.FURNITURE_ZONE_HEADINGS or folded in lx.FURNITURE_ZONE_HEADINGS:
            line.furniture = True
            zone = True
            zone_para = line.para
            continue
        if _NAV_UPPER_RE.match(text) or _NAV_RE.match(text):
            line.furniture = True
            continue
        if line.words <= 12 and folded.startswith(_FURNITURE_PREFIXES):
            line.furniture = True
            continue
        if "skip to content" in folded:
            line.furniture = True
            continue
        if text.endswith(("...", "…")) and line.words <= 40:
            line.furniture = True
            continue
        if _TEMPERATURE_RE.match(text):
            line.furniture = True
            if li + 1 < len(lines) and lines[li + 1].words <= 3:
                lines[li + 1].furniture = True
            continue
        if doc.prose and line.words <= 4 and not text.endswith((".", "!", "?", ":")):
            span = toks[line.first : line.last]
            if any(t.kind == "n" for t in span):
                line.furniture = True
                continue
            if any(t.low in _LOCATIVE_WORDS or t.low in lx.FEATURE_CLASS for t in span):
                continue
            line.furniture = True


def _next_to_location(lines: list[Line], li: int) -> bool:
    line = lines[li]
    for lj in (li - 1, li + 1):
        if 0 <= lj < len(lines) and lines[lj].para == line.para and lines[lj].has_location:
            return True
    return False


def _mark_datelines(doc: Doc) -> None:
    seen_para = -1
    for line in doc.lines:
        if line.para == seen_para:
            continue
        seen_para = line.para
        m = _DATELINE_RE.match(doc.text, line.start, line.end)
        if m and m.end(1) - m.start(1) >= 3:
            line.dateline_end = m.end()
