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
    '{text: "Primorsky Krai", verdict: consistent}', '{text: "Primorsky Krai", verdict: inconsistent}')

MALFORMED_CASE = GOOD_CASE.replace("id: sergeevka-border", "id: malformed").replace(
    '{text: "Primorsky Krai", verdict: consistent}', '{text: "Primorsky Krai", verdict: maybe}')

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


def test_a_wrong_case_fails_with_the_verdict_table(project):
    _write_case(project, "wrong.yaml", WRONG_CASE)
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "case wrong-expectation" in out
    assert "expect.claims[1]: 'in Primorsky Krai' is consistent, expected inconsistent" in out
    # the verdict table, not a bare AssertionError
    assert "claim" in out and "verdict" in out and "threshold" in out
    assert "border with China" in out


def test_a_malformed_case_fails_collection_naming_file_and_field(project):
    _write_case(project, "bad.yaml", MALFORMED_CASE)
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    out = result.stdout.str()
    assert "ERROR collecting" in out or "errors" in out
    assert "bad.yaml" in out
    assert "expect.claims[1].verdict" in out
    assert "'maybe' is not one of" in out


def test_the_command_line_option_points_at_a_directory(pytester):
    pytester.makepyfile(test_opt="""
        from geoverify.pytest_plugin import assert_case

        def test_case(geo_case, geoverify_verifier):
            assert_case(geo_case, geoverify_verifier)
    """)
    pytester.mkdir("elsewhere")
    (pytester.path / "elsewhere" / "good.yaml").write_text(GOOD_CASE, encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--geoverify-cases", "elsewhere")
    result.assert_outcomes(passed=1)


def test_geo_case_without_cases_is_a_usage_error(pytester):
    pytester.makepyfile(test_none="""
        def test_case(geo_case):
            pass
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    assert "--geoverify-cases" in result.stdout.str() + result.stderr.str()


def test_assertion_helpers(pytester):
    pytester.makepyfile(test_helpers=textwrap.dedent("""
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
    """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_the_shipped_cases_pass(pytester):
    """Every case file in fixtures/cases passes through the plugin (100 cases run fast: see bench)."""
    from pathlib import Path

    cases = Path(__file__).resolve().parent.parent / "fixtures" / "cases"
    pytester.makepyfile(test_shipped="""
        from geoverify.pytest_plugin import assert_case

        def test_case(geo_case, geoverify_verifier):
            assert_case(geo_case, geoverify_verifier)
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--geoverify-cases", str(cases))
    n = len([p for p in cases.iterdir() if p.suffix in (".yaml", ".yml", ".json")])
    result.assert_outcomes(passed=n)
