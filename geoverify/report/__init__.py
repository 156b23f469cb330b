"""Every output format of a verification in one place.

- :mod:`geoverify.report.verdicts`: table, JSON, GeoJSON and Markdown of a whole
  :class:`~geoverify.model.Report`, and the ``measured`` / ``threshold`` wording shared by
  batch output, case files and maps.
- :mod:`geoverify.report.locations`: ``extract``'s locations (table, JSON, GeoJSON, CSV).
- :mod:`geoverify.report.places`: ``resolve`` candidates and ``where`` descriptions.
- :mod:`geoverify.report.text`: plain-text tables that wrap (assertion messages).
- :mod:`geoverify.report.tables`: rich tables, columns wrapping instead of cut.
- :mod:`geoverify.report.json`: streamed JSON writers.
"""

from geoverify.report.verdicts import (
    VERDICT_STYLE,
    measured,
    print_table,
    threshold,
    to_geojson,
    to_json,
    to_markdown,
    write_report,
)

__all__ = [
    "VERDICT_STYLE",
    "measured",
    "threshold",
    "to_json",
    "to_markdown",
    "to_geojson",
    "print_table",
    "write_report",
]
