"""Speed of the pytest plugin (issue 5): 100 case files run through ``geo_case`` in one session.

A throwaway project with one test parametrised over 100 case files (the shipped
cases in fixtures/cases, repeated under new ids) is run by pytest in a
subprocess; the figure is the wall-clock time of that run, the session-scoped
gazetteer loading once included.

Run: ``.venv/bin/python bench/bench_cases.py`` (or ``make bench``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
N = 100

TEST = """\
from geoverify.pytest_plugin import assert_case

def test_case(geo_case, geoverify_verifier):
    assert_case(geo_case, geoverify_verifier)
"""


def main() -> None:
    shipped = sorted(CASES.glob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = tmp / "cases"
        cases.mkdir()
        (cases / "articles").mkdir()
        for article in (ROOT / "fixtures" / "articles").glob("*.txt"):
            (cases / "articles" / article.name).write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
        for i in range(N):
            src = shipped[i % len(shipped)]
            text = src.read_text(encoding="utf-8")
            text = re.sub(r"^id: (.+)$", lambda m: f"id: {m.group(1)}-{i:03d}", text, count=1, flags=re.M)
            text = text.replace("text_file: ../articles/", "text_file: articles/")
            (cases / f"{i:03d}-{src.name}").write_text(text, encoding="utf-8")
        (tmp / "test_many.py").write_text(TEST, encoding="utf-8")
        t = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--geoverify-cases",
                str(cases),
                str(tmp / "test_many.py"),
            ],
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - t
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
    print(
        f"{N} case files through the pytest plugin: {wall:.1f} s wall for the whole pytest session "
        f"(aim < 10 s); pytest says: {tail}"
    )


if __name__ == "__main__":
    main()
