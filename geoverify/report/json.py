"""Streamed JSON: the report written while it is produced, byte for byte what
``json.dumps(..., ensure_ascii=False, indent=2)`` of the whole report writes.

Locations go straight to the output; claims, mentions, comparisons and warnings are
spooled to temporary files (one compact JSON line each) and copied after the locations,
so memory does not grow with the output.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from geoverify.text.stream import started

if TYPE_CHECKING:
    from geoverify.pipeline import Verifier


def _dump(value: Any, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    if depth and "\n" in text:
        text = text.replace("\n", "\n" + "  " * depth)
    return text


class JsonArrayWriter:
    """Writes a JSON array one element at a time, indented as ``json.dumps(indent=2)`` at
    nesting ``depth`` (0 for a top-level array)."""

    def __init__(self, out: IO[str], depth: int = 0):
        self.out = out
        self.depth = depth
        self.count = 0

    def add(self, value: Any) -> None:
        pad = "  " * (self.depth + 1)
        self.out.write(("[\n" if self.count == 0 else ",\n") + pad + _dump(value, self.depth + 1))
        self.count += 1

    def close(self) -> None:
        self.out.write("[]" if self.count == 0 else "\n" + "  " * self.depth + "]")


def write_json_array(out: IO[str], items: Iterable[Any]) -> int:
    """Write ``items`` as one JSON array followed by a newline; returns how many."""
    w = JsonArrayWriter(out)
    for item in items:
        w.add(item)
    w.close()
    out.write("\n")
    return w.count


class JsonObjectWriter:
    """Writes a JSON object key by key; a key's value is either a whole value or an array
    streamed with :meth:`array`."""

    def __init__(self, out: IO[str]):
        self.out = out
        self.keys = 0

    def _key(self, key: str) -> None:
        self.out.write(("{\n" if self.keys == 0 else ",\n") + "  " + json.dumps(key, ensure_ascii=False) + ": ")
        self.keys += 1

    def value(self, key: str, value: Any) -> None:
        self._key(key)
        self.out.write(_dump(value, 1))

    def array(self, key: str) -> JsonArrayWriter:
        self._key(key)
        return JsonArrayWriter(self.out, depth=1)

    def close(self) -> None:
        self.out.write("{}\n" if self.keys == 0 else "\n}\n")


def write_report_json(vs: Verifier, events: Iterable[tuple[str, Any]], out: IO[str]) -> str:
    """Write the verification report as JSON while it is produced; returns the verdict.

    Locations go straight to ``out``; claims, mentions, comparisons and warnings are
    spooled to temporary files (one compact JSON line each) and copied after the
    locations, so memory does not grow with the output.
    """
    events = started(events)  # an unreadable input fails before anything is written
    obj = JsonObjectWriter(out)
    locations = obj.array("locations")
    spools = {
        key: tempfile.TemporaryFile("w+", encoding="utf-8") for key in ("claims", "mentions", "comparisons", "warnings")
    }
    try:
        for kind, value in events:
            if kind == "location":
                locations.add(value.to_dict())
            elif kind in ("claim", "mention"):
                spools[kind + "s"].write(json.dumps(value.to_dict(), ensure_ascii=False) + "\n")
            elif kind == "comparison":
                spools["comparisons"].write(json.dumps(value, ensure_ascii=False) + "\n")
            elif kind == "warning":
                spools["warnings"].write(json.dumps(value, ensure_ascii=False) + "\n")
        locations.close()
        fixers = {
            "claims": lambda d: _fix_claim_dict(d, vs.fix_index),
            "mentions": lambda d: d,
            "comparisons": lambda d: {**d, "locations": [vs.fix_index(i) for i in d["locations"]]},
        }
        for key, fix in fixers.items():
            arr = obj.array(key)
            for item in _replay(spools[key]):
                arr.add(fix(item))
            arr.close()
        obj.value("other_pairs", vs.other_pairs())
        obj.value("verdict", vs.verdict)
        arr = obj.array("warnings")
        for item in _replay(spools["warnings"]):
            arr.add(item)
        arr.close()
        obj.value("sources", vs.sources)
        obj.close()
    finally:
        for f in spools.values():
            f.close()
    return vs.verdict


def _fix_claim_dict(d: dict, fix) -> dict:
    """A claim's location indices as final (see :meth:`geoverify.pipeline.Verifier.fix_index`)."""
    for c in d.get("checks") or ():
        if isinstance(c.get("location"), int):
            c["location"] = fix(c["location"])
    ev = d.get("evidence") or {}
    if isinstance(ev.get("location"), int):
        ev["location"] = fix(ev["location"])
    return d


def _replay(spool: IO[str]) -> Iterator[Any]:
    spool.flush()
    spool.seek(0)
    for line in spool:
        yield json.loads(line)


__all__ = ["JsonArrayWriter", "JsonObjectWriter", "write_json_array", "write_report_json"]
