"""The pytest plugin, tested the way pytest plugins are tested: throwaway projects run by pytester.

The throwaway projects only have geoverify installed (the plugin loads through
its ``pytest11`` entry point); they write their own case files.
"""

import textwrap

import pytest

pytest_plugins = ["pytester"]

GOOD_CASE = """\
geoverify-case: 1
id: sergeevka-border
kind: border-distance
source:
  citation: GeoConfirmed (@GeoConfirmed), 18 Oct 2024
at: ["44.326859, 131.668647"]
claims: ["near Russia's border with China", "in Primorsky Krai"]
expect:
  verdict: consistent
  claims:
    - {text: "border with China", verdict: consistent, distance_km: 35.1, tolerance_km: 1}
    - {text: "Primorsky Krai", verdict: consistent}
"""

WRONG_CASE = GOOD_CASE.replace("id: sergeevka-border", "id: wrong-expectation").replace(
    '{text: "Primorsky Krai", verdict: consistent}', '{text: "Primorsky Krai", verdict: inconsistent}'
)

MALFORMED_CASE = GOOD_CASE.replace("id: sergeevka-border", "id: malformed").replace(
    '{text: "Primorsky Krai", verdict: consistent}', '{text: "Primorsky Krai", verdict: maybe}'
)

CASE_TEST = """\
import pytest
from geoverify.pytest_plugin import assert_case

@pytest.mark.geoverify_cases("cases")
def test_case(geo_case, geoverify_verifier):
    assert_case(geo_case, geoverify_verifier)
"""


@pytest.fixture
def project(pytester):
    pytester.makepyfile(test_cases=CASE_TEST)
    pytester.mkdir("cases")
    return pytester


def _write_case(pytester, name, text):
    (pytester.path / "cases" / name).write_text(text, encoding="utf-8")


def test_a_passing_case_passes(project):
    _write_case(project, "good.yaml", GOOD_CASE)
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_wrong_case_fails_with_the_verdict_table(project, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # no cell wraps (wrapping: tested below)
    _write_case(project, "wrong.yaml", WRONG_CASE)
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "case wrong-expectation" in out
    assert "expect.claims[1]: 'in Primorsky Krai' is consistent, expected inconsistent" in out
    # the verdict table, not a bare AssertionError
    assert "claim" in out and "verdict" in out and "threshold" in out
    assert "border with China" in out


def test_a_malformed_case_errors_alone_naming_file_and_field(project):
    """Only that case errors, in one line, without a pluggy traceback; the module's other cases
    and tests run (a collection error used to stop the whole module)."""
    _write_case(project, "bad.yaml", MALFORMED_CASE)
    _write_case(project, "good.yaml", GOOD_CASE)
    project.makepyfile(test_other="def test_unrelated():\n    pass\n")
    (project.path / "test_cases.py").write_text(CASE_TEST + "\n\ndef test_same_module():\n    pass\n", encoding="utf-8")
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    out = result.stdout.str()
    assert "ERROR at setup of test_case[bad.yaml]" in out
    (line,) = [ln for ln in out.splitlines() if ln.startswith("malformed case file:")]
    assert "bad.yaml: expect.claims[1].verdict: 'maybe' is not one of" in line
    assert "pluggy/" not in out and "Traceback" not in out and "geoverify/cases.py" not in out


def test_the_command_line_option_points_at_a_directory(pytester):
    pytester.makepyfile(
        test_opt="""
        from geoverify.pytest_plugin import assert_case

        def test_case(geo_case, geoverify_verifier):
            assert_case(geo_case, geoverify_verifier)
    """
    )
    pytester.mkdir("elsewhere")
    (pytester.path / "elsewhere" / "good.yaml").write_text(GOOD_CASE, encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--geoverify-cases", "elsewhere")
    result.assert_outcomes(passed=1)


def test_geo_case_without_cases_is_a_usage_error(pytester):
    pytester.makepyfile(
        test_none="""
        def test_case(geo_case):
            pass
    """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    assert "--geoverify-cases" in result.stdout.str() + result.stderr.str()


def test_assertion_helpers(pytester, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no cell wraps (wrapping: tested below)
    pytester.makepyfile(
        test_helpers=textwrap.dedent("""
        import pytest
        from geoverify.pytest_plugin import (GeoverifyAssertion, assert_in_region, assert_within_km,
                                             assert_consistent)

        POINT = "44.326859, 131.668647"

        def test_within(geoverify_verifier):
            assert_within_km(POINT, "Russia's border with China", 40, verifier=geoverify_verifier)

        def test_within_fails_with_the_measured_distance(geoverify_verifier):
            with pytest.raises(GeoverifyAssertion) as info:
                assert_within_km(POINT, "Russia's border with China", 20, verifier=geoverify_verifier)
            assert "km from" in str(info.value) and "limit 20 km" in str(info.value)

        def test_in_region(geoverify_verifier):
            assert_in_region(POINT, "Primorsky Krai", verifier=geoverify_verifier)

        def test_not_in_region(geoverify_verifier):
            with pytest.raises(GeoverifyAssertion) as info:
                assert_in_region(POINT, "Kursk Oblast", verifier=geoverify_verifier)
            assert "inconsistent" in str(info.value)

        def test_consistent_text(geoverify_verifier):
            assert_consistent("The video was filmed in Primorsky Krai, near the China border.",
                              at=[POINT], verifier=geoverify_verifier)

        def test_inconsistent_text(geoverify_verifier):
            with pytest.raises(GeoverifyAssertion) as info:
                assert_consistent("The video was filmed in Kursk Oblast.", at=[POINT],
                                  verifier=geoverify_verifier)
            assert "Kursk Oblast" in str(info.value)
    """)
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_the_shipped_cases_pass(pytester):
    """Every case file in fixtures/cases passes through the plugin (100 cases run fast: see bench)."""
    from pathlib import Path

    cases = Path(__file__).resolve().parent.parent / "fixtures" / "cases"
    pytester.makepyfile(
        test_shipped="""
        from geoverify.pytest_plugin import assert_case

        def test_case(geo_case, geoverify_verifier):
            assert_case(geo_case, geoverify_verifier)
    """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--geoverify-cases", str(cases))
    n = len([p for p in cases.iterdir() if p.suffix in (".yaml", ".yml", ".json")])
    result.assert_outcomes(passed=n)


def test_without_an_index_each_test_says_so_in_one_line(pytester, monkeypatch):
    pytester.makepyfile(
        test_noindex=textwrap.dedent("""
        from geoverify.testing import assert_in_region

        def test_fixture(geoverify_verifier):
            pass

        def test_helper():
            assert_in_region("44.326859, 131.668647", "Primorsky Krai")

        def test_unrelated():
            pass
    """)
    )
    monkeypatch.setenv("GEOVERIFY_DATA_DIR", str(pytester.path / "no-data"))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    out = result.stdout.str()
    assert "Traceback" not in out and "DataError" not in out and "store.py" not in out
    lines = [ln for ln in out.splitlines() if ln.startswith("geoverify: ")]
    assert len(lines) == 2
    for line in lines:
        assert str(pytester.path / "no-data") in line and "geoverify data build" in line
        assert "--geoverify-skip-missing-index" in line

    skipped = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--geoverify-skip-missing-index", "-rs")
    skipped.assert_outcomes(passed=1, skipped=2)
    assert "Traceback" not in skipped.stdout.str()
    skips = [ln for ln in skipped.stdout.lines if ln.startswith("SKIPPED")]
    assert [ln.split(" geoverify: ")[0] for ln in skips] == [
        "SKIPPED [1] test_noindex.py:3:",
        "SKIPPED [1] test_noindex.py:6:",
    ]


def test_a_failed_assertion_shows_the_whole_evidence_at_the_tests_line(pytester, monkeypatch):
    """A reference longer than a column is wrapped, not cut ("Avtonomna Respublika Krym, UA
    (GeoNames" used to end there), and the traceback stops at the test (the helper's frames are
    hidden)."""
    pytester.makepyfile(
        test_evidence=textwrap.dedent("""
        from geoverify.testing import assert_in_region

        def test_region(geoverify_verifier):
            assert_in_region("44.326859, 131.668647", "Avtonomna Respublika Krym",
                             verifier=geoverify_verifier)
    """)
    )
    monkeypatch.setenv("COLUMNS", "80")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    message = textwrap.dedent("\n".join(ln[1:] for ln in out.splitlines() if ln.startswith("E "))).splitlines()
    assert column(message, "reference") == "Avtonomna Respublika Krym, UA (GeoNames 703883)"
    assert column(message, "claim") == "in Avtonomna Respublika Krym"
    assert column(message, "measured") == "outside by 7029.22 km"
    assert column(message, "verdict") == "inconsistent"
    assert message[-1] == "overall: inconsistent"
    assert max(len(ln) for ln in [ln for ln in out.splitlines() if ln.startswith("E ")][1:]) <= 80
    assert "testing.py" not in out and "def assert_in_region" not in out
    assert "test_evidence.py:4: GeoverifyAssertion" in out


def column(lines: list[str], name: str) -> str:
    """The text of one column of a plain-text table (header, a rule of dashes, rows), its
    wrapped lines joined."""
    (h,) = [i for i, ln in enumerate(lines) if ln.split()[:1] == ["claim"] and name in ln.split()]
    header, rule = lines[h], lines[h + 1]
    starts = [i for i in range(len(rule)) if rule[i] == "-" and (i == 0 or rule[i - 1] == " ")]
    start = header.index(name)
    end = next((s for s in starts if s > start), None)
    cells = [ln[start:end].strip() for ln in lines[h + 2 :] if not ln.startswith(("overall:", "locations "))]
    return " ".join(c for c in cells if c)


def test_the_helpers_live_in_geoverify_testing():
    import geoverify.pytest_plugin as plugin
    import geoverify.testing as testing

    for name in (
        "assert_case",
        "assert_consistent",
        "assert_within_km",
        "assert_in_region",
        "GeoverifyAssertion",
        "Verifier",
        "Index",
    ):
        assert getattr(plugin, name) is getattr(testing, name)
    assert issubclass(testing.GeoverifyAssertion, AssertionError)
