"""Read event tables in chunks and write them back with the batch results, by file extension.

==================  ===================================  ==========================================
extension           read                                 written
==================  ===================================  ==========================================
``.csv``            streamed, :mod:`csv` (UTF-8, BOM ok)  streamed, :mod:`csv`, all values as text
``.tsv`` ``.tab``   streamed, :mod:`csv`, tab-separated   streamed, :mod:`csv`, tab-separated
``.jsonl``          streamed, one JSON object a line      streamed, one JSON object a line
``.ndjson``
``.geojson``        geopandas (whole file)                geopandas, reprojected to WGS84 (RFC 7946)
``.gpkg``           geopandas (whole layer)               geopandas (one layer, named after the file)
``.parquet``        geopandas GeoParquet, or plain        geopandas GeoParquet (needs pyarrow)
``.geoparquet``     Parquet through pandas (pyarrow)
==================  ===================================  ==========================================

The geospatial formats are read whole into one GeoDataFrame, and written from
one GeoDataFrame assembled from the chunks (their drivers write whole layers):
for tables of millions of rows, CSV, TSV or JSON Lines keep the memory flat.

CSV, TSV and JSON Lines never import pandas or geopandas; geopandas is imported
only for the geospatial formats. Input values keep their type where the output
format can hold it; in CSV/TSV every value is text (``None`` → empty, a date →
ISO 8601, a nested value → JSON, a geometry → WKT); in JSON Lines a geometry is
a GeoJSON object. Geospatial outputs get one point geometry per row: the input's
own geometry when it had one, else the location the row was checked at (lat/lon
columns or location column; ``None`` when the row had none).

Every problem with the input (missing file, unknown extension, a missing
column, a malformed line) raises :class:`~geoverify.errors.InputError` naming
the file, and the line or column where it helps.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoverify.errors import InputError, OutputError
from geoverify.thresholds import MAX_CELL_CHARS, MAX_RECORD_BYTES

#: extension → format name.
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".geojson": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}
#: Formats read and written through geopandas.
GEO_FORMATS = ("geojson", "gpkg", "parquet")
#: Formats streamed row by row.
STREAM_FORMATS = ("csv", "tsv", "jsonl")

csv.field_size_limit(min(sys.maxsize, MAX_CELL_CHARS))  # evidence columns are long, but bounded


def format_of(path: str | os.PathLike, what: str = "input") -> str:
    """The format name for ``path`` from its extension.

    Raises
    ------
    InputError
        The extension is not one of :data:`EXTENSIONS`.
    """
    suffix = Path(path).suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(
            f"{path}: cannot tell the {what} format from the extension {suffix or '(none)'!r} (use one of {known})"
        )
    return fmt


@dataclass
class Chunk:
    """A run of consecutive input rows.

    Attributes
    ----------
    index : int
        Chunk number (0-based): rows ``index * size`` to ``index * size + len(records) - 1``.
    start : int
        Number of the first row (0-based, header not counted).
    records : list of dict
        The input values of each row, column → value (``None`` where missing).
    points : list or None
        For inputs with a geometry column: per row ``(lon, lat)`` in WGS84 for a
        point, ``None`` for an empty geometry, or the geometry type's name
        (``"Polygon"``) for anything that is not a point.
    frame : pandas.DataFrame or None
        For geospatial inputs, the rows as read (original dtypes and geometry).
    """

    index: int
    start: int
    records: list[dict[str, Any]]
    points: list | None = None
    frame: Any = None

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class InputTable:
    """An opened input file: its columns, row count and chunked rows.

    Create with :func:`open_input`.
    """

    path: Path
    fmt: str
    columns: list[str]
    geometry_column: str | None = None
    crs: Any = None
    layer: str | None = None
    _frame: Any = field(default=None, repr=False)
    _n_rows: int | None = field(default=None, repr=False)

    @property
    def n_rows(self) -> int:
        """Number of data rows (the file is scanned once, and validated, on first use)."""
        if self._n_rows is None:
            self._n_rows = self._scan()
        return self._n_rows

    def require(self, columns: Sequence[str | None]) -> None:
        """Raise :class:`InputError` naming the first of ``columns`` the input lacks."""
        for col in columns:
            if col is not None and col not in self.columns:
                listing = ", ".join(repr(c) for c in self.columns[:30])
                more = f" and {len(self.columns) - 30} more" if len(self.columns) > 30 else ""
                raise InputError(f"{self.path}: no column {col!r} (columns: {listing}{more})")

    # -- scanning ------------------------------------------------------------------
    def _scan(self) -> int:
        if self._frame is not None:
            return len(self._frame)
        n = 0
        for _ in self._iter_records():
            n += 1
        return n

    def _iter_records(self) -> Iterator[dict[str, Any]]:
        if self.fmt in ("csv", "tsv"):
            yield from _read_delimited(self.path, self.fmt, self.columns)
        elif self.fmt == "jsonl":
            yield from _read_jsonl(self.path, self.columns)
        else:
            raise AssertionError(self.fmt)

    # -- chunks --------------------------------------------------------------------
    def chunks(self, size: int, skip: frozenset[int] | set[int] = frozenset()) -> Iterator[Chunk]:
        """The rows in chunks of ``size``; chunk numbers in ``skip`` are counted but not built.

        Skipped chunks still cost the parsing of their rows in CSV/TSV/JSON Lines
        (the file is read from the start), but no record is kept.
        """
        if size < 1:
            raise ValueError("chunk size must be at least 1")
        if self._frame is not None:
            yield from self._frame_chunks(size, skip)
            return
        index, batch, filled = 0, [], 0
        for record in self._iter_records():
            if index not in skip:
                batch.append(record)
            filled += 1
            if filled == size:
                if index not in skip:
                    yield Chunk(index, index * size, batch)
                index, batch, filled = index + 1, [], 0
        if filled and index not in skip:
            yield Chunk(index, index * size, batch)

    def _frame_chunks(self, size: int, skip) -> Iterator[Chunk]:
        frame = self._frame
        n = len(frame)
        points_all = _points_of(frame, self.geometry_column) if self.geometry_column else None
        for index, start in enumerate(range(0, n, size)):
            if index in skip:
                continue
            part = frame.iloc[start : start + size]
            records = _frame_records(part, self.geometry_column)
            points = points_all[start : start + size] if points_all is not None else None
            yield Chunk(index, start, records, points, part)


def open_input(path: str | os.PathLike, layer: str | None = None) -> InputTable:
    """Open an input table by extension (see the module table).

    Raises
    ------
    InputError
        Missing or unreadable file, unknown extension, empty or malformed header.
    """
    if str(path) == "-":
        raise InputError("batch needs an input file (stdin cannot be resumed)")
    p = Path(path)
    fmt = format_of(p)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a file")
    require_regular(p)
    if not os.access(p, os.R_OK):
        raise InputError(f"{p}: permission denied")
    if fmt in ("csv", "tsv"):
        return InputTable(p, fmt, _delimited_header(p, fmt))
    if fmt == "jsonl":
        columns: list[str] = []
        table = InputTable(p, fmt, columns)
        n = 0
        seen: set[str] = set()
        for record in _read_jsonl(p, None):
            n += 1
            for key in record:
                if key not in seen:
                    seen.add(key)
                    columns.append(key)
        table._n_rows = n
        return table
    frame, geometry, crs = _read_geo(p, fmt, layer)
    columns = [str(c) for c in frame.columns]
    return InputTable(p, fmt, columns, geometry, crs, layer, _frame=frame)


# -- reading text tables: regular files, line by line, bounded ------------------------------
def require_regular(path: Path) -> None:
    """Refuse what is not a regular file (a FIFO, a device such as /dev/zero behind a symlink, a
    socket): batch reads its input several times (count, chunks, assembly) and needs to seek.

    Raises
    ------
    InputError
    """
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a character device"
            if stat.S_ISCHR(mode)
            else "a block device"
            if stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise InputError(
            f"{path}: {kind}; batch reads its input more than once, so it needs a regular "
            "file (copy the data to one first)"
        )


def text_lines(path: Path, limit: int = MAX_RECORD_BYTES) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a UTF-8 text file (a BOM allowed), decoded line by line so that an
    invalid byte is reported at its own line; one policy for NUL bytes with ``extract``: binary
    data, refused.

    Raises
    ------
    InputError
        A line longer than ``limit`` bytes, a NUL byte or a byte that is not UTF-8, naming the line.
    """
    with open(path, "rb") as fh:
        number = 0
        while True:
            raw = fh.readline(limit + 1)
            if not raw:
                return
            number += 1
            if len(raw) > limit:
                raise InputError(
                    f"{path}: line {number} is longer than {limit // (1024 * 1024)} MiB "
                    "(a record that large is not an event row; is this the right file?)"
                )
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            nul = raw.find(b"\x00")
            if nul >= 0:
                raise InputError(f"{path}: line {number}: binary data (NUL byte at column {nul + 1}), expected text")
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: line {number}: not UTF-8 text (invalid byte "
                    f"0x{raw[exc.start]:02x} at column {exc.start + 1})"
                ) from None


class _Lines:
    """The lines of :func:`text_lines` for :mod:`csv`, remembering the physical line number."""

    def __init__(self, path: Path):
        self._it = text_lines(path)
        self.number = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.number, line = next(self._it)
        return line


# -- CSV / TSV ----------------------------------------------------------------------------
def _dialect(fmt: str) -> dict[str, Any]:
    return {"delimiter": "\t" if fmt == "tsv" else ","}


def _csv_error(path: Path, line: int, exc: csv.Error) -> InputError:
    message = str(exc)
    if "field larger than field limit" in message:
        message = f"a cell longer than {MAX_CELL_CHARS:,} characters"
    return InputError(f"{path}: line {line}: {message}")


def _delimited_header(path: Path, fmt: str) -> list[str]:
    lines = _Lines(path)
    reader = csv.reader(lines, **_dialect(fmt))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _csv_error(path, max(lines.number, 1), exc) from None
    if not header or not any(h.strip() for h in header):
        raise InputError(f"{path}: empty file or empty header line")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError(f"{path}: the header repeats column {dupes[0]!r}")
    return header


def _read_delimited(path: Path, fmt: str, columns: list[str]) -> Iterator[dict[str, Any]]:
    width = len(columns)
    lines = _Lines(path)
    reader = csv.reader(lines, **_dialect(fmt))
    try:
        next(reader, None)
        for row in reader:
            if not row:
                continue  # blank line
            if len(row) != width:
                raise InputError(f"{path}: line {lines.number}: {len(row)} fields, the header has {width}")
            yield dict(zip(columns, row))
    except csv.Error as exc:
        raise _csv_error(path, lines.number, exc) from None


# -- JSON Lines --------------------------------------------------------------------------
def _read_jsonl(path: Path, columns: list[str] | None) -> Iterator[dict[str, Any]]:
    for number, line in text_lines(path):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {number}: not JSON ({exc.msg} at column {exc.colno})") from None
        except RecursionError:
            raise InputError(f"{path}: line {number}: JSON nested too deeply") from None
        if not isinstance(record, dict):
            raise InputError(f"{path}: line {number}: expected a JSON object, got {type(record).__name__}")
        if columns is not None:
            record = {c: record.get(c) for c in columns}
        yield record


# -- geospatial formats (geopandas) ---------------------------------------------------------
def _need_pyarrow(path: Path, doing: str) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError(f"{path}: {doing} Parquet needs pyarrow (pip install pyarrow)") from None


def _read_geo(path: Path, fmt: str, layer: str | None):
    import geopandas as gpd

    if fmt == "parquet":
        _need_pyarrow(path, "reading")

    try:
        if fmt == "parquet":
            try:
                frame = gpd.read_parquet(path)
            except ValueError as exc:
                if "geo" not in str(exc).lower():
                    raise
                import pandas as pd

                frame = pd.read_parquet(path)  # plain Parquet, no geometry
        else:
            kwargs = {"layer": layer} if layer else {}
            frame = gpd.read_file(path, **kwargs)
    except InputError:
        raise
    except Exception as exc:  # pyogrio/pyarrow/GDAL raise many types; all mean "unreadable"
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{path}: cannot read as {fmt}: {message}") from None
    geometry = None
    crs = None
    if isinstance(frame, gpd.GeoDataFrame) and frame._geometry_column_name in frame.columns:
        geometry = frame.geometry.name
        crs = frame.crs
    frame = frame.reset_index(drop=True)
    return frame, geometry, crs


def _points_of(frame, geometry_column: str) -> list:
    """Per row ``(lon, lat)`` in WGS84, ``None`` (no geometry) or a geometry type name."""
    import numpy as np
    import shapely

    geoms = frame[geometry_column]
    crs = getattr(geoms, "crs", None)
    if crs is not None and not (crs.equals("EPSG:4326") or crs.equals("OGC:CRS84")):
        geoms = geoms.to_crs("EPSG:4326")
    arr = np.asarray(geoms, dtype=object)
    types = shapely.get_type_id(arr)
    xs, ys = shapely.get_x(arr), shapely.get_y(arr)
    out: list = []
    for geom, t, x, y in zip(arr, types, xs, ys):
        if geom is None or t < 0 or geom.is_empty:
            out.append(None)
        elif t == 0:  # Point
            out.append((float(x), float(y)))
        else:
            out.append(geom.geom_type)
    return out


def _frame_records(frame, geometry_column: str | None) -> list[dict[str, Any]]:
    """The rows of a frame as dicts of Python values (missing values as ``None``, the geometry as
    its shapely object)."""
    data = {str(c): [None if _is_missing(v) else v for v in frame[c].tolist()] for c in frame.columns}
    return [{c: values[i] for c, values in data.items()} for i in range(len(frame))]


# -- value conversion ---------------------------------------------------------------------
def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def plain_value(value: Any, geometry_as: str = "geojson") -> Any:
    """A JSON-ready Python value: numpy scalars unboxed, dates as ISO 8601, missing as ``None``.

    ``geometry_as`` says how a shapely geometry is given: ``"geojson"`` (a mapping) or ``"wkt"``.
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "geom_type"):  # shapely geometry
        if getattr(value, "is_empty", False):
            return None
        if geometry_as == "wkt":
            return value.wkt
        import shapely.geometry

        return shapely.geometry.mapping(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # pandas Timestamp, numpy datetime via pandas
        return value.isoformat()
    if hasattr(value, "dtype") and getattr(value, "ndim", 0) == 0 and hasattr(value, "item"):  # numpy scalar
        return plain_value(value.item(), geometry_as)
    if isinstance(value, dict):
        return {str(k): plain_value(v, geometry_as) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and hasattr(value, "dtype")):
        seq = value.tolist() if hasattr(value, "tolist") else value
        return [plain_value(v, geometry_as) for v in seq]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return str(value)


def text_cell(value: Any) -> str:
    """A value as CSV/TSV text: empty for missing, JSON for nested values, WKT for geometries."""
    if isinstance(value, str):
        return value
    value = plain_value(value, geometry_as="wkt")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# -- writers ------------------------------------------------------------------------------
class TableWriter:
    """Writes the output table to a temporary file beside ``path``; :meth:`commit` renames it
    into place (atomically, on the same file system), :meth:`abort` removes it.

    Parameters
    ----------
    path : path-like
        The output file; its extension chooses the format.
    columns : list of str
        Input columns, in order (the result columns follow them).
    result_columns : list of str
        The columns the batch adds.
    geometry_column : str or None
        The input's geometry column, if it has one.
    crs : pyproj.CRS or None
        The input geometry's CRS.
    layer : str, optional
        GeoPackage layer name (default: the file's stem).
    text_input : bool
        The input was CSV/TSV (every value text): in a typed output (GeoJSON, GeoPackage,
        Parquet) a column whose every value is a plain integer or decimal number is written as
        a number (see :func:`typed_text_columns`).
    """

    def __init__(
        self,
        path,
        columns: list[str],
        result_columns: list[str],
        geometry_column: str | None = None,
        crs: Any = None,
        layer: str | None = None,
        text_input: bool = False,
    ):
        self.path = Path(path)
        self.fmt = format_of(self.path, "output")
        self.result_columns = list(result_columns)
        clash = [c for c in columns if c in self.result_columns]
        self.columns = [c for c in columns if c not in self.result_columns]
        self.replaced = clash
        self.geometry_column = geometry_column
        self.crs = crs
        self.layer = layer or self.path.stem
        self.text_input = text_input
        # same directory (atomic rename), same extension (GDAL drivers check it)
        self.tmp = self.path.with_name(f".{self.path.stem}.tmp-{os.getpid()}{self.path.suffix}")
        self._fh = None
        self._writer = None
        self._frames: list = []
        self.rows = 0
        with self._writing():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.fmt in ("csv", "tsv"):
                self._fh = open(self.tmp, "w", encoding="utf-8", newline="")
                self._writer = csv.writer(self._fh, lineterminator="\n", **_dialect(self.fmt))
                self._writer.writerow(self.columns + self.result_columns)
            elif self.fmt == "jsonl":
                self._fh = open(self.tmp, "w", encoding="utf-8", newline="\n")

    @contextlib.contextmanager
    def _writing(self):
        """An OSError (unwritable place, full disk) becomes one :class:`OutputError` naming the
        output, with the temporary file removed."""
        try:
            yield
        except OSError as exc:
            self.abort()
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or type(exc).__name__})") from None

    def write(self, chunk: Chunk, results: list[dict[str, Any]]) -> None:
        """Write one chunk's rows followed by their result columns."""
        if len(results) != len(chunk.records):
            raise InputError(
                f"{self.path}: chunk {chunk.index} has {len(chunk.records)} rows but {len(results)} results"
            )
        self.rows += len(results)
        if self.fmt in ("csv", "tsv"):
            with self._writing():
                for record, result in zip(chunk.records, results):
                    self._writer.writerow(
                        [text_cell(record.get(c)) for c in self.columns]
                        + [text_cell(result.get(c)) for c in self.result_columns]
                    )
        elif self.fmt == "jsonl":
            with self._writing():
                for record, result in zip(chunk.records, results):
                    row = {c: plain_value(record.get(c)) for c in self.columns}
                    row.update({c: result.get(c) for c in self.result_columns})
                    self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            self._frames.append(self._geo_frame(chunk, results))

    def _geo_frame(self, chunk: Chunk, results: list[dict[str, Any]]):
        import pandas as pd

        if chunk.frame is not None:
            frame = pd.DataFrame(chunk.frame.drop(columns=self.replaced))  # one GeoDataFrame at the end
        else:
            frame = pd.DataFrame.from_records(
                [{c: r.get(c) for c in self.columns} for r in chunk.records], columns=self.columns
            )
        extra = pd.DataFrame.from_records(
            [{c: res.get(c) for c in self.result_columns} for res in results],
            columns=self.result_columns,
            index=frame.index,
        )
        out = pd.concat([frame, extra], axis=1)
        if self.geometry_column is None:
            out["__lonlat__"] = [(res.get("_lon"), res.get("_lat")) for res in results]
        return out

    def commit(self) -> None:
        """Finish the file and move it into place."""
        with self._writing():
            if self.fmt in ("csv", "tsv", "jsonl"):
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
            else:
                self._write_geo()
            os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the temporary file (also when closing it fails, as on a full disk)."""
        if self._fh is not None and not self._fh.closed:
            try:
                self._fh.close()
            except OSError:
                pass
        for p in (self.tmp, Path(str(self.tmp) + "-journal"), Path(str(self.tmp) + "-wal")):
            try:
                p.unlink()
            except OSError:
                pass

    def _write_geo(self) -> None:
        import geopandas as gpd
        import pandas as pd
        import shapely

        cols = self.columns + self.result_columns
        if self._frames:
            frame = pd.concat(self._frames, ignore_index=True)
        else:
            frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
            if self.geometry_column is None:
                frame["__lonlat__"] = pd.Series([], dtype=object)
        inputs = [c for c in self.columns if c != self.geometry_column]
        if self.text_input:
            frame = typed_text_columns(frame, inputs)
        frame = _uniform_columns(frame, inputs)
        if self.geometry_column is not None:
            name = self.geometry_column
            frame[name] = gpd.GeoSeries(frame[name], crs=self.crs, index=frame.index)
            order = cols
        else:
            name = "geometry" if "geometry" not in cols else "_geometry"
            pairs = frame.pop("__lonlat__")
            frame[name] = gpd.GeoSeries(
                [shapely.Point(lon, lat) if lon is not None and lat is not None else None for lon, lat in pairs],
                crs="EPSG:4326",
                index=frame.index,
            )
            order = cols + [name]
        gdf = gpd.GeoDataFrame(frame[order], geometry=name)
        if self.fmt == "parquet":
            _need_pyarrow(self.path, "writing")
        try:
            if self.fmt == "parquet":
                gdf.to_parquet(self.tmp, index=False)
            elif self.fmt == "geojson":
                if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
                    gdf = gdf.to_crs("EPSG:4326")
                # JSON text stays text (GDAL would otherwise nest the evidence as an object)
                gdf.to_file(
                    self.tmp,
                    driver="GeoJSON",
                    engine="pyogrio",
                    layer=self.layer,
                    layer_options={"AUTODETECT_JSON_STRINGS": "NO"},
                )
            else:
                gdf.to_file(self.tmp, driver="GPKG", layer=self.layer, engine="pyogrio")
        except Exception as exc:
            self.abort()
            message = " ".join(str(exc).split()) or type(exc).__name__
            raise OutputError(f"{self.path}: cannot write {self.fmt}: {message}") from None


_INT_TEXT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT_TEXT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+")


def typed_text_columns(frame, columns: list[str]):
    """CSV text columns whose every non-empty value is a plain number, as numbers.

    A column of integers (``-12``, ``0``, ``2024``; no leading zero, so ``007`` stays text)
    becomes a nullable integer column; one of integers and decimals (``4.37``, ``-0.5``,
    ``1.802e1``) a float column; empty cells become missing values. Anything else (a leading
    zero, ``04.010``, ``nan``, a thousands separator, a decimal comma) keeps the whole column
    as text, exactly as written.
    """
    import pandas as pd

    for col in columns:
        if col not in frame.columns:
            continue
        values = frame[col]
        texts = [v for v in values if isinstance(v, str) and v.strip()]
        if not texts or len(texts) != sum(
            1 for v in values if not _is_missing(v) and not (isinstance(v, str) and not v.strip())
        ):
            continue  # nothing to type, or values that are not text
        stripped = [t.strip() for t in texts]
        if all(_INT_TEXT.fullmatch(t) for t in stripped):
            ints = [None if _is_missing(v) or not str(v).strip() else int(str(v).strip()) for v in values]
            if all(i is None or -(2**63) <= i < 2**63 for i in ints):
                frame[col] = pd.array(ints, dtype="Int64")
            continue
        if all(_INT_TEXT.fullmatch(t) or _FLOAT_TEXT.fullmatch(t) for t in stripped):
            frame[col] = pd.array(
                [None if _is_missing(v) or not str(v).strip() else float(str(v).strip()) for v in values],
                dtype="Float64",
            ).astype("float64")
    return frame


def _uniform_columns(frame, input_columns: list[str]):
    """Input columns (from CSV/JSON Lines) whose values mix types, or nest, are written as text
    (nested values as JSON), so that every geospatial driver can store them."""
    for col in input_columns:
        if col not in frame.columns or str(frame[col].dtype) != "object":
            continue
        kinds = {type(plain_value(v)).__name__ for v in frame[col] if not _is_missing(v)}
        if len(kinds) <= 1 and not kinds & {"dict", "list"} or kinds == {"int", "float"}:
            continue
        frame[col] = [
            None if _is_missing(v) else v if isinstance(v, str) else json.dumps(plain_value(v), ensure_ascii=False)
            for v in frame[col]
        ]
    return frame


__all__ = [
    "EXTENSIONS",
    "GEO_FORMATS",
    "Chunk",
    "InputTable",
    "TableWriter",
    "format_of",
    "open_input",
    "plain_value",
    "text_cell",
    "typed_text_columns",
    "require_regular",
    "text_lines",
]
