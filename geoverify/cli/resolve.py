"""``geoverify resolve NAME``: ranked gazetteer candidates for a place name."""

from __future__ import annotations

import click

from geoverify.cli.options import echo_json, format_option, parse_latlon, print_table, resolve_format

COLUMNS = ("score", "name", "kind", "feature", "country", "admin1", "lat", "lon", "population",
           "geonameid", "id", "matched")
TABLE_COLUMNS = ("score", "name", "kind", "feature", "country", "admin1", "lat", "lon", "population", "id")


@click.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--near", metavar="POINT", help="Rank candidates near this point higher (LAT,LON or any notation "
              "geoverify parse reads).")
@click.option("--country", "country", metavar="CC", help="Only candidates in this country (ISO code or name).")
@click.option("--context", metavar="TEXT", help="Surrounding text: candidates in countries it names rank higher.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many candidates to print.")
@click.option("--sites", "sites", multiple=True, type=click.Path(dir_okay=False),
              help="Extra named-sites JSON file (repeatable); see geoverify/schemas/sites.schema.json.")
@format_option("table", "json", "csv")
def resolve(name, near, country, context, limit, sites, fmt):
    """Look up a place NAME in the offline gazetteer; print every candidate, best first.

    NAME may carry qualifiers ("Sergeevka, Primorsky Krai"), a feature word
    ("Sergievsky Training Ground", "Kursk Oblast") and be in Latin or Cyrillic
    script in any common transliteration.
    """
    text = " ".join(name)
    if not text.strip():
        raise click.UsageError("NAME is empty")
    point = parse_latlon(near, "--near") if near else None
    from geoverify.gazetteer import resolve as _resolve

    places = _resolve(text, near=point, country=country, context=context, limit=limit,
                      sites=list(sites) or None)
    fmt = resolve_format(fmt)
    if fmt == "json":
        echo_json([p.to_dict() for p in places])
        return
    if fmt == "csv":
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in places:
            d = p.to_dict()
            writer.writerow(["" if d.get(c) is None else d.get(c) for c in COLUMNS])
        return
    if not places:
        click.echo(f"no match for {text!r}", err=True)
        return
    rows = []
    for p in places:
        d = p.to_dict()
        name = p.name if not d.get("matched") or d["matched"] == p.name else f"{p.name} ({d['matched']})"
        rows.append([f"{p.score:.3f}", name, p.kind, p.feature, p.country, p.admin1,
                     f"{p.lat:.5f}" if p.lat is not None else None,
                     f"{p.lon:.5f}" if p.lon is not None else None,
                     p.population, p.id])
    print_table(f"Candidates for {text!r}", TABLE_COLUMNS, rows)
