"""Case files: a text, its locations, claims and the verdicts a correct verifier gives.

A case file is YAML or JSON, format version 1, validated against the JSON Schema
shipped in ``geoverify/schemas/case.schema.json``. Example::

    geoverify-case: 1
    id: sergeevka-geoconfirmed
    kind: article
    source:
      citation: GeoConfirmed (@GeoConfirmed), 18 Oct 2024, quoted in ...
      url: https://twitter.com/GeoConfirmed/status/1847225352281563393
    text_file: articles/001_a1998207a4a2e502.txt   # or text: "...", relative to this file
    at: ["44.326859, 131.668647"]                   # optional locations from elsewhere
    claims: ["near the China border"]               # optional claims typed separately
    tolerance_km: 2                                 # default tolerance of expected distances
    expect:
      verdict: consistent                           # overall (optional)
      locations:
        - {text: "44.326859, 131.668647", lat: 44.326859, lon: 131.668647, tolerance_m: 1}
      claims:
        - {text: "Russian Far East", verdict: consistent}
        - {text: "near North Korea", verdict: consistent, distance_km: 228}
      mentions: ["Kursk Oblast"]
      same_place: true

``expect.claims[].text`` is a substring of a reported claim's text; each
expectation must match at least one claim, and every claim it matches must
agree. A malformed file raises :class:`~geoverify.errors.CaseFileError` naming
the file and the field.

What a case file may not do (it may come from someone else): use YAML aliases (a
"billion laughs" file of a few hundred bytes expands to gigabytes), be larger than
:data:`geoverify.thresholds.MAX_CASE_FILE_BYTES`, or read a ``text_file`` outside its own
directory and the one above it (``../articles/x.txt`` is fine; ``/etc/hostname`` or
``../../../../etc/hostname`` are refused, symbolic links followed). A project that keeps its
texts elsewhere names that directory in ``GEOVERIFY_CASE_TEXT_ROOT`` (several separated by
``os.pathsep``): an opt-in of whoever runs the tests, never of the case file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from geoverify.errors import CaseFileError

CASE_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_TOLERANCE_KM = 1.0
DEFAULT_TOLERANCE_M = 10.0


@dataclass
class Case:
    """One loaded, validated case file."""

    path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def title(self) -> str:
        return self.data.get("title", self.id)

    @property
    def kind(self) -> str:
        return self.data.get("kind", "")

    @property
    def at(self) -> list[str]:
        return list(self.data.get("at", []))

    @property
    def claims(self) -> list[str]:
        return list(self.data.get("claims", []))

    @property
    def expect(self) -> dict[str, Any]:
        return self.data["expect"]

    @property
    def tolerance_km(self) -> float:
        return float(self.data.get("tolerance_km", DEFAULT_TOLERANCE_KM))

    @property
    def text(self) -> str:
        if "text" in self.data:
            return self.data["text"]
        if "text_file" in self.data:
            target = text_file_path(self.path, self.data["text_file"])
            try:
                return target.read_text(encoding="utf-8")
            except OSError as exc:
                raise CaseFileError(f"{self.path}: text_file: cannot read {target}: {exc.strerror}") from None
        return ""


@dataclass
class Outcome:
    """The result of running a case: the report and every expectation that failed."""

    case: Case
    report: Any
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The case-file JSON Schema shipped with the package."""
    text = resources.files("geoverify").joinpath("schemas/case.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def text_file_path(case_path: Path, text_file: str) -> Path:
    """Where a case's ``text_file`` is, if it may be read: inside the case file's directory or
    the one above it, or under a directory of ``GEOVERIFY_CASE_TEXT_ROOT``.

    Raises
    ------
    CaseFileError
        The path leads elsewhere (an absolute path, ``../../..``, a symbolic link out).
    """
    here = case_path.resolve().parent
    target = (here / text_file).resolve()
    roots = [here.parent] + [
        Path(r).expanduser().resolve() for r in os.environ.get("GEOVERIFY_CASE_TEXT_ROOT", "").split(os.pathsep) if r
    ]
    if not any(target == root or root in target.parents for root in roots):
        raise CaseFileError(
            f"{case_path}: text_file: {text_file!r} is outside {here.parent} (a case file may "
            "read texts only beside it or one directory up; name other directories in "
            "GEOVERIFY_CASE_TEXT_ROOT)"
        )
    return target


class _AliasRefused(Exception):
    def __init__(self, line: int, anchor: str):
        self.line, self.anchor = line, anchor


def _yaml_load(raw: str):
    """``yaml.safe_load`` without aliases: a case file never needs them, and a few hundred
    bytes of nested aliases ("billion laughs") expand to gigabytes."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise _AliasRefused(event.start_mark.line + 1, event.anchor)
            return super().compose_node(parent, index)

    loader = Loader(raw)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_case(path: str | Path) -> Case:
    """Load and validate one case file.

    Raises
    ------
    CaseFileError
        Unreadable, too large, not YAML/JSON, YAML with aliases, not valid against the schema
        (the message names the file and the field: ``expect.claims[1].verdict``), or a
        ``text_file`` outside the directories a case may read.
    """
    import stat

    from geoverify.thresholds import MAX_CASE_FILE_BYTES

    path = Path(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise CaseFileError(f"{path}: not a regular file")
        if st.st_size > MAX_CASE_FILE_BYTES:
            raise CaseFileError(f"{path}: {st.st_size:,} bytes; a case file may have at most {MAX_CASE_FILE_BYTES:,}")
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        if path.suffix == ".json":
            data = json.loads(raw)
        else:
            data = _yaml_load(raw)
    except _AliasRefused as exc:
        raise CaseFileError(
            f"{path}: line {exc.line}: YAML alias *{exc.anchor}: aliases are not allowed in "
            "case files (write the value out)"
        ) from None
    except RecursionError:
        raise CaseFileError(f"{path}: nested too deeply") from None
    except Exception as exc:  # yaml.YAMLError / json.JSONDecodeError: both say where
        where = " ".join(str(exc).split())
        raise CaseFileError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {where}") from None
    validate(data, path)
    case = Case(path, data)
    if "text_file" in data:
        target = text_file_path(path, data["text_file"])
        if not target.is_file():
            raise CaseFileError(f"{path}: text_file: no such file {data['text_file']!r}")
    return case


def validate(data: Any, path: Path | str = "<case>") -> None:
    """Validate case data against the schema; raise CaseFileError naming the first bad field."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.path), list(map(str, e.path))))
    if errors:
        err = errors[0]
        raise CaseFileError(f"{path}: {_field(err.absolute_path)}: {err.message}")


def _field(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def find_cases(directory: str | Path) -> list[Path]:
    """Every case file under ``directory`` (recursively), sorted."""
    directory = Path(directory)
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise CaseFileError(f"{directory}: no such directory of case files")
    return sorted(
        p for p in directory.rglob("*") if p.suffix in CASE_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


def load_cases(directory: str | Path) -> list[Case]:
    return [load_case(p) for p in find_cases(directory)]


def run_case(case: Case, verifier=None) -> Outcome:
    """Run a case through ``verify`` (or ``check`` for typed claims) and compare with ``expect``."""
    import geoverify

    verifier = verifier or geoverify
    if case.claims:
        report = verifier.check(case.at, case.claims)
    else:
        report = verifier.verify(case.text, at=case.at)
    outcome = Outcome(case, report)
    outcome.failures = compare(case, report)
    return outcome


def compare(case: Case, report) -> list[str]:
    """Every way ``report`` differs from the case's expectations, one line each."""
    from geoverify.geodesy import distance_km

    expect, failures = case.expect, []
    if "verdict" in expect and report.verdict != expect["verdict"]:
        failures.append(f"overall verdict is {report.verdict}, expected {expect['verdict']}")
    for i, want in enumerate(expect.get("locations", [])):
        label = f"expect.locations[{i}]"
        found = [
            loc
            for loc in report.locations
            if want.get("text", "") in loc.text and ("kind" not in want or loc.kind == want["kind"])
        ]
        if not found:
            failures.append(
                f"{label}: no location matching {want.get('text', '')!r}"
                f"{' of kind ' + want['kind'] if 'kind' in want else ''}"
            )
            continue
        loc = found[0]
        if "lat" in want and "lon" in want:
            if not loc.has_point:
                failures.append(f"{label}: {loc.text!r} has no position")
            else:
                off = distance_km(loc.lat, loc.lon, want["lat"], want["lon"]) * 1000
                tol = want.get("tolerance_m", DEFAULT_TOLERANCE_M)
                if off > tol:
                    failures.append(
                        f"{label}: {loc.text!r} read as {loc.lat:.6f}, {loc.lon:.6f}, "
                        f"{off:.1f} m from the expected {want['lat']}, {want['lon']} (tolerance {tol:g} m)"
                    )
        if "alternatives" in want and len(loc.alternatives) < want["alternatives"]:
            failures.append(
                f"{label}: {loc.text!r} has {len(loc.alternatives)} alternative readings, "
                f"expected at least {want['alternatives']}"
            )
    for i, want in enumerate(expect.get("claims", [])):
        label = f"expect.claims[{i}]"
        # a claim, or a qualifying level of a claim's chain ("Primorsky Krai" in
        # "Sergeevka, Primorsky Krai"), with its own verdict
        views = [v for r in report.claims for v in r.views()]
        found = [
            v
            for v in views
            if want["text"].lower() in v.text.lower() and ("kind" not in want or v.kind == want["kind"])
        ]
        if found and any(v.result.claim.text == v.text for v in found):
            found = [
                v
                for v in found
                if v.result.claim.text == v.text
                or v.result not in {x.result for x in found if x.result.claim.text == x.text}
            ]
        if not found:
            failures.append(
                f"{label}: no claim matching {want['text']!r} (claims: " + "; ".join(repr(v.text) for v in views) + ")"
            )
            continue
        for v in found:
            if v.verdict != want["verdict"]:
                failures.append(
                    f"{label}: {v.text!r} is {v.verdict}, expected {want['verdict']} ({_evidence_line(v.result)})"
                )
            if "distance_km" in want:
                got = v.evidence.get("distance_km")
                tol = want.get("tolerance_km", case.tolerance_km)
                if got is None or abs(got - want["distance_km"]) > tol:
                    failures.append(
                        f"{label}: {v.text!r} measured {got} km, expected {want['distance_km']} ± {tol:g} km"
                    )
            if "reference" in want and want["reference"].lower() not in str(v.evidence.get("reference", "")).lower():
                failures.append(
                    f"{label}: {v.text!r} measured against {v.evidence.get('reference')!r}, "
                    f"expected {want['reference']!r}"
                )
    for i, text in enumerate(expect.get("mentions", [])):
        if not any(text.lower() in m.text.lower() for m in report.mentions):
            failures.append(f"expect.mentions[{i}]: {text!r} is not reported as a mention")
        if any(text.lower() in r.claim.text.lower() for r in report.claims):
            failures.append(f"expect.mentions[{i}]: {text!r} is checked as a claim")
    if "same_place" in expect:
        pairs = report.comparisons
        other = report.other_pairs or {}
        measured = len(pairs) + (other.get("measured") or 0)
        same = (
            None
            if not measured
            else (all(c["same_place"] for c in pairs) and other.get("same_place", 0) == other.get("measured", 0))
        )
        if same is None:
            failures.append("expect.same_place: fewer than two located locations to compare")
        elif same != expect["same_place"]:
            far = other.get("farthest")
            failures.append(
                f"expect.same_place: locations are {'' if same else 'not '}the same place ("
                + "; ".join(
                    [f"{c['distance_m']} m apart" for c in pairs]
                    + ([f"up to {far['distance_km']} km apart"] if far else [])
                )
                + ")"
            )
    return failures


def _evidence_line(result) -> str:
    from geoverify.report import measured, threshold

    bits = [measured(result), threshold(result), str(result.evidence.get("reference", ""))]
    return ", ".join(b for b in bits if b)


def verdict_table(report, width: int | None = None) -> str:
    """A plain-text verdict table, for assertion messages (see :func:`geoverify.report.text.verdict_table`)."""
    from geoverify.report.text import verdict_table as _table

    return _table(report, width)
