"""``geoverify fixtures``: browse and check case files."""

from __future__ import annotations

import json

import click

from geoverify.cli.options import format_option, print_table, resolve_format, verbosity

DEFAULT_DIR = "fixtures/cases"

directory_argument = click.argument("directory", required=False, default=DEFAULT_DIR, metavar="[DIR]")


@click.group(short_help="Browse, show and validate case files.")
@verbosity
def fixtures():
    """Case files hold a text, its locations and claims, and the verdicts a correct
    verifier gives (format: geoverify/schemas/case.schema.json). DIR defaults to
    ./fixtures/cases."""


@fixtures.command("list")
@directory_argument
@format_option("table", "json")
@verbosity
def list_cases(directory, fmt):
    """List the case files in DIR with their id, kind and source."""
    from geoverify.cases import load_cases

    cases = load_cases(directory)
    rows = [
        {"id": c.id, "kind": c.kind, "title": c.title, "path": str(c.path), "source": c.data["source"]["citation"]}
        for c in cases
    ]
    if resolve_format(fmt) == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_table(
            f"{len(rows)} case files in {directory}",
            ["id", "kind", "title", "source"],
            [[r["id"], r["kind"], r["title"], r["source"]] for r in rows],
        )


@fixtures.command("show")
@click.argument("case")
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, help="Where to look up a case id.")
@click.option("--run", is_flag=True, help="Also run the case and show the verdicts against the expectations.")
@format_option("table", "json")
@verbosity
def show_case(case, directory, run, fmt):
    """Show one case (a file path, or an id in --dir)."""
    from pathlib import Path

    from geoverify.cases import find_cases, load_case, run_case, verdict_table
    from geoverify.errors import CaseFileError

    path = Path(case)
    if not path.is_file():
        matches = [p for p in find_cases(directory) if load_case(p).id == case]
        if not matches:
            raise CaseFileError(f"no case file with id {case!r} in {directory}")
        path = matches[0]
    loaded = load_case(path)
    outcome = run_case(loaded) if run else None
    if resolve_format(fmt) == "json":
        out = {"path": str(loaded.path), **loaded.data}
        if outcome:
            out["run"] = {"passed": outcome.passed, "failures": outcome.failures, "report": outcome.report.to_dict()}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return 0 if outcome is None or outcome.passed else 1
    click.echo(
        f"{loaded.id}: {loaded.title}\n  file:   {loaded.path}\n  kind:   {loaded.kind}\n"
        f"  source: {loaded.data['source']['citation']}"
    )
    if loaded.at:
        click.echo(f"  at:     {', '.join(loaded.at)}")
    for c in loaded.expect.get("claims", []):
        click.echo(f"  expect: {c['text']!r} -> {c['verdict']}")
    if outcome:
        click.echo("\n" + verdict_table(outcome.report))
        click.echo("\nPASS" if outcome.passed else "\nFAIL:\n  - " + "\n  - ".join(outcome.failures))
        return 0 if outcome.passed else 1
    return 0


@fixtures.command("validate")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--run", is_flag=True, help="Also run every case and check its expectations.")
@verbosity
def validate_cases(paths, run):
    """Validate case files (files or directories; default ./fixtures/cases) against the schema.

    Exit status 0 when all are valid (and, with --run, pass), 1 otherwise."""
    from geoverify.cases import find_cases, load_case, run_case
    from geoverify.errors import CaseFileError

    files = [p for path in (paths or (DEFAULT_DIR,)) for p in find_cases(path)]
    bad = 0
    for path in files:
        try:
            case = load_case(path)
        except CaseFileError as exc:
            click.echo(f"INVALID {exc}", err=True)
            bad += 1
            continue
        if run:
            outcome = run_case(case)
            if not outcome.passed:
                bad += 1
                click.echo(f"FAIL    {path}: " + "; ".join(outcome.failures))
                continue
        click.echo(f"ok      {path}")
    click.echo(f"{len(files) - bad} of {len(files)} case files {'pass' if run else 'valid'}")
    return 1 if bad else 0
