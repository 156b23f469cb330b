"""``geoverify resolve NAME``: ranked gazetteer candidates for a place name."""

from __future__ import annotations

import click

from geoverify.cli.options import echo_json, format_option, near_option, resolve_format, sites_option, verbosity

#: ``--kind`` words -> the kinds of the index they select.
KIND_CHOICES = {
    "place": ("place",),
    "country": ("country",),
    "admin1": ("admin1",),
    "region": ("region",),
    "site": ("site",),
    "district": ("admin2",),
    "admin2": ("admin2",),
    "admin3": ("admin3",),
    "council": ("admin3",),
    "hromada": ("admin3",),
    "commune": ("admin3",),
    "airport": ("airport",),
    "settlement": ("settlement", "place"),
    "continent": ("continent",),
    "locality": ("locality",),
}


@click.command()
@click.argument("name", nargs=-1, required=True)
@near_option
@click.option("--country", "country", metavar="CC", help="Only candidates in this country (ISO code or name).")
@click.option(
    "--context",
    metavar="TEXT",
    help="Surrounding text: candidates in the countries and regions it names, near the places it names, "
    'or qualified as in "Dover, Del." rank higher.',
)
@click.option(
    "--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="How many candidates to print."
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    type=click.Choice(sorted(KIND_CHOICES), case_sensitive=False),
    help="Only candidates of this kind (repeatable): place, country, admin1, region, site, "
    "district (= admin2), admin2, admin3 (councils, hromadas, communes), council, hromada, "
    "airport, settlement (register entries without a point), continent (continents and world regions), "
    "locality (US towns known from their ZIP codes). Without it: the kinds a "
    'designator in NAME asks for ("X district", "X airport", "village of X").',
)
@sites_option
@format_option("table", "json", "csv")
@verbosity
def resolve(name, near, country, context, limit, kinds, sites, fmt):
    """Look up a place NAME in the offline gazetteer; print every candidate, best first.

    NAME may carry qualifiers ("Sergeevka, Primorsky Krai", "Springfield, IL"), a feature word
    ("Sergievsky Training Ground", "Kursk Oblast") and be in Latin or Cyrillic
    script in any common transliteration. With --format json each candidate carries an
    "explanation": its logit and every piece of evidence that raised or lowered it.
    """
    text = " ".join(name)
    if not text.strip():
        raise click.UsageError("NAME is empty")
    from geoverify.gazetteer import resolve as _resolve

    point = (near.lat, near.lon) if near is not None else None
    fmt = resolve_format(fmt)
    # without --kind: the kinds a designator in the name asks for ("Yasinovatsky district" -> districts)
    wanted = sorted({k for choice in kinds for k in KIND_CHOICES[choice.lower()]}) or "auto"
    places = _resolve(
        text,
        near=point,
        country=country,
        context=context,
        limit=limit,
        sites=list(sites) or None,
        kinds=wanted,
        explain=fmt == "json",
    )
    if fmt == "json":
        echo_json([p.to_dict() for p in places])
    elif fmt == "csv":
        import sys

        from geoverify.report.places import write_places_csv

        write_places_csv(sys.stdout, places)
    elif not places:
        click.echo(f"no match for {text!r}", err=True)
    else:
        from geoverify.report.places import print_places_table

        print_places_table(places, f"Candidates for {text!r}")
