"""Every output format of a verification in one place.

- :mod:`geoverify.report.verdicts`: table, JSON, GeoJSON and Markdown of a whole
  :class:`~geoverify.model.Report`, and the ``measured`` / ``threshold`` wording shared by
  batch output, case files and maps.
"""

from geoverify.report.verdicts import (
    VERDICT_STYLE,
    measured,
    print_table,
    threshold,
    to_geojson,
    to_json,
    to_markdown,
)

__all__ = ["VERDICT_STYLE", "measured", "threshold", "to_json", "to_markdown", "to_geojson", "print_table"]
