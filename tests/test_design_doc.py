"""docs/DESIGN.md documents the JSON contract as the code emits it: every enum value, every typed
evidence key and every key of the golden outputs is named there, so a new key or kind cannot
land without its line in the document (and the case-file schema accepts every claim kind)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from geoverify.checks.evidence import _ORDER
from geoverify.model import CLAIM_KINDS, LOCATION_KINDS, PlaceKind, Report, Verdict

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
GOLDEN = ROOT / "tests" / "golden"


def _documented() -> set[str]:
    """Every identifier written in backticks in docs/DESIGN.md."""
    return set(re.findall(r"[\w-]+", " ".join(re.findall(r"`([^`]*)`", DOC))))


def _golden_keys() -> set[str]:
    keys: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            keys.update(value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in GOLDEN.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "ucdp-car-sample":  # one JSON report per line
            for line in text.splitlines():
                walk(json.loads(line)["report"])
        else:
            walk(json.loads(text))
    return keys


def test_every_enum_value_is_documented():
    values = [v.value for v in Verdict] + list(CLAIM_KINDS) + [k.value for k in PlaceKind] + list(LOCATION_KINDS)
    missing = [v for v in values if f"`{v}`" not in DOC]
    assert not missing, f"docs/DESIGN.md does not name: {missing}"


def test_every_typed_evidence_key_is_documented():
    missing = [k for k in _ORDER if f"`{k}`" not in DOC]
    assert not missing, f"docs/DESIGN.md does not name these Evidence keys: {missing}"


def test_every_key_of_the_golden_outputs_is_documented():
    missing = sorted(_golden_keys() - _documented())
    assert not missing, f"keys in tests/golden/ that docs/DESIGN.md does not name: {missing}"


def test_the_report_keys_in_their_order():
    keys = list(Report().to_dict())
    block = DOC.split("### 3.1", 1)[0]
    positions = [block.find(f'"{k}":') for k in keys]
    assert -1 not in positions and positions == sorted(positions), keys


def test_the_case_schema_accepts_every_claim_kind():
    schema = json.loads((ROOT / "geoverify" / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    claim = schema["properties"]["expect"]["properties"]["claims"]["items"]["properties"]
    assert tuple(claim["kind"]["enum"]) == CLAIM_KINDS


def test_contributing_shows_every_module_in_its_tree():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    tree = text.split("```\ngeoverify/\n", 1)[1].split("```", 1)[0]
    names = set(re.findall(r"[\w.]+\.py|[\w]+/", tree))
    package = ROOT / "geoverify"
    missing = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if (p.name if p.name != "__init__.py" or p.parent == package else p.parent.name + "/") not in names
    )
    assert not missing, f"CONTRIBUTING.md's tree does not show: {missing}"
