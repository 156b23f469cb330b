"""Write the golden outputs that tests/test_golden.py compares byte for byte.

Run from the project root when a change to the output is intended (and say why in the
commit): ``.venv/bin/python tests/golden/regen.py``. The inputs are the five seed
articles (fixtures/articles), each alone and with the GeoConfirmed point as ``--at``, the
case files (fixtures/cases) and the 96-row UCDP sample (tests/data), so a refactor that
changes any verdict, figure, key or order shows up as a diff.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
GEOCONFIRMED = "44.326859, 131.668647"


def cases() -> dict[str, str]:
    """name -> JSON text of every golden output."""
    import yaml

    from geoverify import report
    from geoverify.pipeline import check, verify

    out: dict[str, str] = {}
    for path in sorted((ROOT / "fixtures" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[f"article-{path.stem[:3]}"] = report.to_json(verify(text))
        out[f"article-{path.stem[:3]}-at"] = report.to_json(verify(text, at=[GEOCONFIRMED]))
    for path in sorted((ROOT / "fixtures" / "cases").glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if case.get("text"):
            rep = verify(case["text"], at=case.get("at") or [])
        else:
            rep = check(case.get("at") or [], case.get("claims") or [])
        out[f"case-{path.stem}"] = report.to_json(rep)
    with (ROOT / "tests" / "data" / "ucdp_ged_car_sample.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    lines = []
    for row in rows:
        text = (row.get("where_description") or "").strip()
        if not text or not row.get("latitude"):
            continue
        rep = verify(text, at=[f"{row['latitude']}, {row['longitude']}"])
        lines.append(
            json.dumps({"id": row["id"], "report": json.loads(report.to_json(rep))}, ensure_ascii=False, sort_keys=True)
        )
    out["ucdp-car-sample"] = "\n".join(lines)
    return out


def main() -> int:
    for name, text in cases().items():
        (HERE / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(list(HERE.glob('*.json')))} golden files to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
