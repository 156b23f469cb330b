"""Case files from someone else (issue 17): no alias bombs, no reading outside the cases' directories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geoverify.cases import load_case
from geoverify.errors import CaseFileError

HEADER = """geoverify-case: 1
id: hostile
source: {citation: a test}
expect: {verdict: consistent}
"""

BOMB = HEADER + "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
)


def test_a_billion_laughs_is_refused_in_one_line(tmp_path):
    """It took 3.6 GB in `fixtures validate` and a MemoryError in pytest collection."""
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert str(info.value) == (
        f"{path}: line 6: YAML alias *a: aliases are not allowed in case files (write the value out)"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "geoverify", "fixtures", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [f"INVALID {info.value}"]


def _case(tmp_path, text_file) -> Path:
    cases = tmp_path / "project" / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    path = cases / "c.yaml"
    path.write_text(HEADER + f"text_file: {text_file!r}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("text_file", ["../../../../../../../etc/hostname", "/etc/hostname", "../../secret.txt"])
def test_a_text_file_outside_the_cases_is_refused(tmp_path, text_file):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    path = _case(tmp_path, text_file)
    with pytest.raises(CaseFileError, match=r"text_file: .* is outside .*project .*GEOVERIFY_CASE_TEXT_ROOT"):
        load_case(path)


def test_a_symbolic_link_out_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    path = _case(tmp_path, "link.txt")
    (path.parent / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(CaseFileError, match="is outside"):
        load_case(path)


def test_texts_beside_or_one_directory_up_are_read_and_others_by_opt_in(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "articles").mkdir(parents=True)
    (project / "articles" / "a.txt").write_text("the text", encoding="utf-8")
    assert load_case(_case(tmp_path, "../articles/a.txt")).text == "the text"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text("other text", encoding="utf-8")
    path = _case(tmp_path, str(tmp_path / "elsewhere" / "b.txt"))
    with pytest.raises(CaseFileError, match="is outside"):
        load_case(path)
    monkeypatch.setenv("GEOVERIFY_CASE_TEXT_ROOT", str(tmp_path / "elsewhere"))
    assert load_case(path).text == "other text"


def test_the_shipped_cases_still_load():
    from geoverify.cases import load_cases

    cases = load_cases(Path(__file__).resolve().parents[1] / "fixtures" / "cases")
    assert any("text_file" in c.data for c in cases)
    assert all(c.text for c in cases if "text_file" in c.data)


def test_a_case_file_too_large_or_not_regular_is_refused(tmp_path, monkeypatch):
    import os

    import geoverify.thresholds as th

    path = tmp_path / "big.yaml"
    path.write_text(HEADER + "title: " + "x" * 2000 + "\n", encoding="utf-8")
    monkeypatch.setattr(th, "MAX_CASE_FILE_BYTES", 1000)
    with pytest.raises(CaseFileError, match=r"big.yaml: 2,\d{3} bytes; a case file may have at most 1,000"):
        load_case(path)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CaseFileError, match="pipe.yaml: not a regular file"):
        load_case(fifo)
