"""Merge GeoNames dumps the user supplies into the index (``geoverify data import``).

No package registry ships GeoNames ``allCountries``, the per-country files
or ``alternateNames``; a user who has downloaded them (from
download.geonames.org/export/dump/) merges them here:

- the *geoname* table (``allCountries.zip``, ``RU.zip``, or their ``.txt``):
  19 tab-separated columns; rows are upserted by geonameid. Class P rows are
  populated places (kind ``place``), class S rows and military/industrial L
  rows (``L.MILB``, ``L.NVB``, ``L.RNGA`` ...) are named sites (kind ``site``),
  everything else is kind ``place`` with its own feature code. A row whose
  geonameid is a country's or first-level region's gives it GeoNames'
  coordinates (unless it already has a point inside its polygon) and names.
- the *alternate names* table (``alternateNamesV2.zip`` or ``alternateNames.zip``):
  names are attached to places already in the index (imported or shipped);
  links, postal codes and airport/other codes are skipped.

Malformed rows (wrong column count, numbers that are not numbers, coordinates
out of range, invalid UTF-8) are counted and reported with their line numbers,
never silently dropped. One file is imported in one transaction, with the index
locked (:mod:`geoverify.gazetteer.integrity`) and its checksum recorded again
afterwards.

Archives are read, never extracted: a zip is refused before anything is read
when a member's name is absolute, climbs out with ``..`` or is a symbolic link,
when a member expands more than :data:`MAX_RATIO` times (above
:data:`RATIO_FLOOR` bytes: a zip bomb), or when the whole archive would expand
beyond :data:`MAX_UNCOMPRESSED` bytes.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import stat
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geoverify.errors import DataError, InputError
from geoverify.gazetteer import names as N

GEONAME_COLUMNS = 19
#: alternateNamesV2 has 10 columns, the older alternateNames 8.
ALTNAME_COLUMNS = (8, 10)
#: alternate-name "languages" that are not names.
SKIP_LANGUAGES = {"link", "post", "iata", "icao", "faac", "tcid", "unlc", "wkdt", "phon", "fr_1793", "piny"}
#: class L feature codes that are sites rather than areas.
L_SITES = {"MILB", "NVB", "RNGA", "PRT", "INDS", "MNA", "MNAU", "DEVH"}
#: How many malformed rows are kept (with line numbers) per file; all are counted.
MAX_REPORTED = 1000
#: A zip member may expand at most this many times (GeoNames dumps expand about 4-5 times).
MAX_RATIO = 100
#: Members expanding to less than this are not held to MAX_RATIO (too small to hurt).
RATIO_FLOOR = 1 << 20
#: The most a zip may expand to in all (allCountries.txt is about 1.6 GB).
MAX_UNCOMPRESSED = 16 << 30
_BAD_BYTE = re.compile("[\ud800-\udfff]")


class ImportFormatError(InputError):
    """A file is not a GeoNames dump this command understands."""


def kind_for(fclass: str, fcode: str) -> str:
    """The gazetteer kind of a GeoNames feature: ``site`` for class S and military/
    industrial class L features, ``place`` otherwise."""
    if fclass == "S" or (fclass == "L" and fcode in L_SITES):
        return "site"
    return "place"


@contextmanager
def _open_text(path: Path) -> Iterator[tuple[str, io.TextIOBase]]:
    """Yield (member name, text stream) for a .zip (its one data .txt) or a .txt."""
    if zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFormatError(f"{path}: unreadable zip ({exc})") from None
        with zf:
            check_archive(zf, path)
            members = [
                m
                for m in zf.namelist()
                if m.endswith(".txt") and not m.lower().startswith("readme") and "/" not in m.strip("/")
            ]
            if not members:
                raise ImportFormatError(f"{path}: no .txt data file inside the zip")
            # allCountries.zip/RU.zip hold one table; alternateNamesV2.zip also iso-languagecodes.txt
            members.sort(key=lambda m: (m.startswith("iso-languagecodes"), m))
            with zf.open(members[0]) as raw:
                yield members[0], io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="\n")
    else:
        try:
            with open(path, encoding="utf-8", errors="surrogateescape", newline="\n") as fh:
                yield path.name, fh
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory, not a GeoNames dump") from None


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member could write outside a target directory if extracted (``None`` if it could not)."""
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in parts:
        return "a path climbing out with '..'"
    if "\x00" in name:
        return "a NUL byte in its name"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    return None


def check_archive(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse an archive with unsafe member names or that expands beyond sane limits.

    Raises
    ------
    ImportFormatError
        Naming the member and the limit.
    """
    total = 0
    for info in zf.infolist():
        why = unsafe_member(info)
        if why:
            raise ImportFormatError(f"{path}: member {info.filename!r} is {why}; refusing the archive")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportFormatError(
                f"{path}: member {info.filename!r} expands {info.file_size / max(info.compress_size, 1):,.0f} "
                f"times ({info.compress_size:,} to {info.file_size:,} bytes), more than {MAX_RATIO}; "
                f"refusing a likely zip bomb"
            )
    if total > MAX_UNCOMPRESSED:
        raise ImportFormatError(f"{path}: expands to {total:,} bytes, more than the {MAX_UNCOMPRESSED:,} allowed")


def _bad_utf8(line: str) -> str | None:
    m = _BAD_BYTE.search(line)
    if m is None:
        return None
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, escaped by the reader
        return f"invalid UTF-8 (byte 0x{code - 0xDC00:02x} at column {m.start() + 1})"
    return f"invalid character U+{code:04X} (a lone surrogate) at column {m.start() + 1}"


def detect_table(member: str, first_line: str) -> str:
    """``geoname`` or ``alternatenames``, from the member name or the column count."""
    low = member.lower()
    if low.startswith("alternatenames"):
        return "alternatenames"
    n = len(first_line.rstrip("\n").split("\t"))
    if n == GEONAME_COLUMNS:
        return "geoname"
    if n in ALTNAME_COLUMNS:
        return "alternatenames"
    raise ImportFormatError(
        f"{member}: expected the GeoNames geoname table ({GEONAME_COLUMNS} tab-separated "
        f"columns) or alternate names ({'/'.join(map(str, ALTNAME_COLUMNS))}), "
        f"found {n} columns on line 1"
    )


class _Importer:
    """State shared by the two table importers: the connection, caches and counters."""

    def __init__(self, conn: sqlite3.Connection, label: str):
        self.conn = conn
        self.label = label
        self.malformed: list[dict[str, Any]] = []
        self.malformed_count = 0
        self.skels: set[str] = set()
        self._admin1: dict[str, tuple[str, str] | None] = {}
        self.next_pk = (conn.execute("SELECT max(pk) FROM places").fetchone()[0] or 0) + 1
        self.source_key = f"geonames-import:{label}"
        conn.execute(
            "INSERT OR REPLACE INTO sources VALUES (?,?)",
            (self.source_key, f"GeoNames (geonames.org, CC BY 4.0), user import of {label}"),
        )

    def bad(self, line: int, error: str) -> None:
        self.malformed_count += 1
        if len(self.malformed) < MAX_REPORTED:
            self.malformed.append({"line": line, "error": error})

    def admin1(self, cc: str, code: str) -> tuple[str | None, str | None]:
        if not cc or not code or code == "00":
            return None, None
        key = f"{cc}.{code}"
        if key not in self._admin1:
            row = self.conn.execute("SELECT iso, name FROM admin1_codes WHERE gn_code=?", (key,)).fetchone()
            self._admin1[key] = (row[1], row[0]) if row else None
        hit = self._admin1[key]
        return (hit[0], hit[1]) if hit else (None, key)

    def add_names(self, pk: int, names: list[tuple[str, int]], existing: set[tuple] | None) -> int:
        """Store the keys of ``names`` for place ``pk``; returns how many names were new."""
        rows = []
        added = 0
        seen = existing if existing is not None else set()
        for name, flag in names:
            before = len(rows)
            for fkey, skel, fl in N.name_keys(name, flag):
                k = (fkey or None, skel or None)
                if k in seen:
                    continue
                seen.add(k)
                rows.append((fkey or None, skel or None, pk, fl, name))
                if skel:
                    self.skels.add(skel)
            added += len(rows) > before
        if rows:
            self.conn.executemany("INSERT INTO names(key, skel, pk, flag, name) VALUES (?,?,?,?,?)", rows)
        return added

    def existing_keys(self, pk: int) -> set[tuple]:
        return set(self.conn.execute("SELECT key, skel FROM names WHERE pk=?", (pk,)))

    def finish(self) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO skeys(skel) VALUES (?)", ((s,) for s in self.skels))
        if self.skels:
            from geoverify.gazetteer.build.index import fill_skeleton_groups

            fill_skeleton_groups(self.conn)  # the typo search's pools, from skeys


def _import_geoname(imp: _Importer, lines: Iterator[str], echo) -> tuple[int, dict[str, int]]:
    counts = {"inserted": 0, "updated": 0, "sites": 0, "names_added": 0}
    conn = imp.conn
    n = 0
    for lineno, line in enumerate(lines, 1):
        n += 1
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip():
            continue
        bad = _bad_utf8(line)
        if bad:
            imp.bad(lineno, bad)
            continue
        f = line.split("\t")
        if len(f) != GEONAME_COLUMNS:
            imp.bad(lineno, f"expected {GEONAME_COLUMNS} tab-separated columns, found {len(f)}")
            continue
        try:
            gid = int(f[0])
        except ValueError:
            imp.bad(lineno, f"geonameid {f[0]!r} is not an integer")
            continue
        try:
            lat, lon = float(f[4]), float(f[5])
        except ValueError:
            imp.bad(lineno, f"latitude/longitude {f[4]!r}, {f[5]!r} are not numbers")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            imp.bad(lineno, f"latitude/longitude {lat}, {lon} out of range")
            continue
        name = f[1].strip()
        if not name:
            imp.bad(lineno, "empty name")
            continue
        try:
            pop = int(f[14]) if f[14].strip() else 0
        except ValueError:
            imp.bad(lineno, f"population {f[14]!r} is not an integer")
            continue
        fclass, fcode = f[6].strip(), f[7].strip()
        feature = f"{fclass}.{fcode}" if fclass else ""
        cc = f[8].strip() or None
        admin1_name, admin1_code = imp.admin1(cc or "", f[10].strip())
        kind = kind_for(fclass, fcode)
        names = [(name, N.FLAG_NAME)]
        if f[2].strip() and f[2].strip() != name:
            names.append((f[2].strip(), N.FLAG_ALT))
        names += [
            (a.strip(), N.FLAG_ALT)
            for a in f[3].split(",")
            if a.strip() and not (len(a.strip()) in (3, 4) and a.strip().isupper())
        ]
        row = conn.execute("SELECT pk, id, point FROM places WHERE geonameid=?", (gid,)).fetchone()
        if row is None:
            pk = imp.next_pk
            imp.next_pk += 1
            conn.execute(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    pk,
                    f"geonames:{gid}",
                    name,
                    lat,
                    lon,
                    kind,
                    feature,
                    cc,
                    admin1_name,
                    admin1_code,
                    pop,
                    gid,
                    imp.source_key,
                    None,
                ),
            )
            conn.execute("INSERT INTO places_rtree VALUES (?,?,?,?,?)", (pk, lat, lat, lon, lon))
            counts["inserted"] += 1
            counts["names_added"] += imp.add_names(pk, names, None)
        else:
            pk, pid, point = row
            if pid.startswith("geonames:"):
                conn.execute(
                    "UPDATE places SET name=?, lat=?, lon=?, kind=?, feature=?, country=?, admin1=?, "
                    "admin1_code=?, population=?, source=? WHERE pk=?",
                    (name, lat, lon, kind, feature, cc, admin1_name, admin1_code, pop, imp.source_key, pk),
                )
            elif point != "polygon":  # a country or admin-1: GeoNames' point beats a capital/largest place
                conn.execute("UPDATE places SET lat=?, lon=?, point='geonames' WHERE pk=?", (lat, lon, pk))
            conn.execute("DELETE FROM places_rtree WHERE pk=?", (pk,))
            lat_lon = conn.execute("SELECT lat, lon FROM places WHERE pk=?", (pk,)).fetchone()
            conn.execute(
                "INSERT INTO places_rtree VALUES (?,?,?,?,?)", (pk, lat_lon[0], lat_lon[0], lat_lon[1], lat_lon[1])
            )
            counts["updated"] += 1
            counts["names_added"] += imp.add_names(pk, names, imp.existing_keys(pk))
        if kind == "site":
            counts["sites"] += 1
        if echo and n % 500_000 == 0:
            echo(f"{imp.label}: {n:,} rows")
    return n, counts


def _import_altnames(imp: _Importer, lines: Iterator[str], echo) -> tuple[int, dict[str, int]]:
    counts = {"names_added": 0, "places_named": 0, "skipped_codes": 0, "unknown_geonameid": 0}
    conn = imp.conn
    batch: list[tuple[int, int, str]] = []
    named: set[int] = set()
    n = 0

    def flush() -> None:
        ids = sorted({g for _, g, _ in batch})
        pks: dict[int, int] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            pks.update(
                conn.execute(
                    f"SELECT geonameid, pk FROM places WHERE geonameid IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            )
        by_pk: dict[int, list[tuple[str, int]]] = {}
        for _, gid, name in batch:
            pk = pks.get(gid)
            if pk is None:
                counts["unknown_geonameid"] += 1
                continue
            by_pk.setdefault(pk, []).append((name, N.FLAG_ALT))
        for pk, names in by_pk.items():
            added = imp.add_names(pk, names, imp.existing_keys(pk))
            counts["names_added"] += added
            if added:
                named.add(pk)
        batch.clear()

    for lineno, line in enumerate(lines, 1):
        n += 1
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip():
            continue
        bad = _bad_utf8(line)
        if bad:
            imp.bad(lineno, bad)
            continue
        f = line.split("\t")
        if len(f) not in ALTNAME_COLUMNS:
            imp.bad(lineno, f"expected {' or '.join(map(str, ALTNAME_COLUMNS))} tab-separated columns, found {len(f)}")
            continue
        try:
            gid = int(f[1])
        except ValueError:
            imp.bad(lineno, f"geonameid {f[1]!r} is not an integer")
            continue
        name = f[3].strip()
        if not name:
            imp.bad(lineno, "empty alternate name")
            continue
        if f[2].strip().lower() in SKIP_LANGUAGES:
            counts["skipped_codes"] += 1
            continue
        batch.append((lineno, gid, name))
        if len(batch) >= 20_000:
            flush()
        if echo and n % 1_000_000 == 0:
            echo(f"{imp.label}: {n:,} rows")
    flush()
    counts["places_named"] = len(named)
    return n, counts


def probe(path: str | Path) -> str:
    """Check that ``path`` is a GeoNames dump this command reads; returns its table.

    Raises
    ------
    InputError
        Missing, empty, unsafe (zip) or unrecognised file, in one line.
    """
    p = Path(path)
    with _open_text(p) as (member, fh):
        first = fh.readline()
        if not first:
            raise ImportFormatError(f"{p}: empty file")
        return detect_table(member, first)


def import_file(
    conn: sqlite3.Connection, path: str | Path, echo: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Import one GeoNames dump into an open (writable) index, in one transaction.

    Returns
    -------
    dict
        ``{"file", "table", "rows", "counts", "malformed", "malformed_rows": [{"line", "error"}], "seconds"}``.

    Raises
    ------
    InputError
        Missing file, or a file that is not a GeoNames dump.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    t0 = time.perf_counter()
    with _open_text(p) as (member, fh):
        first = fh.readline()
        if not first:
            raise ImportFormatError(f"{p}: empty file")
        table = detect_table(member, first)

        def lines() -> Iterator[str]:
            yield first
            yield from fh

        imp = _Importer(conn, p.name)
        conn.execute("BEGIN")
        try:
            if table == "geoname":
                rows, counts = _import_geoname(imp, lines(), echo)
            else:
                rows, counts = _import_altnames(imp, lines(), echo)
            imp.finish()
            report = {
                "file": str(p),
                "table": table,
                "member": member,
                "rows": rows,
                "counts": counts,
                "malformed": imp.malformed_count,
                "malformed_rows": imp.malformed,
                "seconds": round(time.perf_counter() - t0, 3),
            }
            _record(conn, report)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return report


def _record(conn: sqlite3.Connection, report: dict[str, Any]) -> None:
    row = conn.execute("SELECT value FROM meta WHERE key='imports'").fetchone()
    imports = json.loads(row[0]) if row and row[0] else []
    imports.append(
        {
            "file": report["file"],
            "table": report["table"],
            "rows": report["rows"],
            "counts": report["counts"],
            "malformed": report["malformed"],
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    )
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('imports', ?)", (json.dumps(imports),))


def import_files(
    files, path: str | Path | None = None, echo: Callable[[str], None] | None = None
) -> list[dict[str, Any]]:
    """Import GeoNames dumps into the index (``path``, default the one every command uses:
    :func:`geoverify.gazetteer.integrity.select_index`), atomically.

    Geoname tables are imported before alternate-names tables, so names attach
    to places imported in the same call. The import works on a copy of the index
    (``.geoverify.sqlite.tmp-<pid>`` beside it), which replaces the index by a rename once
    every file is in and its checksum is recorded: a killed import leaves the index as it
    was (and a temporary file the next build or import removes).

    Raises
    ------
    DataError
        When the index is missing, damaged, old, in a read-only directory, or the copy cannot
        be written (disk full: the message names the path).
    InputError
        For a missing or unrecognised file (nothing of that file is imported).
    """
    import os
    import shutil

    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.build.index import _fsync, remove_stale_temporaries
    from geoverify.gazetteer.store import open_index

    paths = [Path(f) for f in files]
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: no such file")
        if p.is_dir():
            raise InputError(f"{p}: is a directory, not a GeoNames dump")
    paths.sort(key=lambda p: p.name.lower().startswith("alternatenames"))
    for p in paths:  # a file that is not a GeoNames dump fails before the index is touched
        probe(p)
    index = integrity.select_index(path)
    if not integrity.writable_dir(index.parent):
        raise DataError(
            f"the index at {index} is in a read-only directory: set GEOVERIFY_DATA_DIR to a "
            f"writable directory, run `geoverify data build` there, then import"
        )
    with integrity.index_lock(index):
        open_index(index).close()  # sound and of this schema (checked once per process)
        remove_stale_temporaries(index)
        tmp = index.with_name(f".{index.name}.tmp-{os.getpid()}")
        reports: list[dict[str, Any]] = []
        failure: BaseException | None = None
        try:
            try:
                shutil.copyfile(index, tmp)
            except OSError as exc:
                raise DataError(
                    f"cannot copy the index to {tmp} for the import ({exc.strerror or exc}); the index is unchanged"
                ) from None
            conn = sqlite3.connect(tmp)
            conn.isolation_level = None  # explicit BEGIN/COMMIT per file
            try:
                conn.execute("PRAGMA journal_mode=DELETE")  # a failing file rolls back alone
                for p in paths:
                    try:
                        reports.append(import_file(conn, p, echo))
                    except sqlite3.DatabaseError as exc:
                        failure = DataError(
                            f"import of {p} failed ({' '.join(str(exc).split())}); "
                            f"{'the files before it are imported' if reports else 'the index is unchanged'}"
                        )
                        break
                    except (InputError, DataError) as exc:
                        failure = exc
                        break
            finally:
                conn.close()
            if reports:
                _fsync(tmp)
                rec = integrity.record(index, content=tmp)
                os.replace(tmp, index)
                _fsync(index.parent)
                integrity.mark_verified(index, rec["sha256"])
        except OSError as exc:
            raise DataError(
                f"import failed writing {tmp} ({exc.strerror or exc}); the index at {index} is unchanged"
            ) from None
        finally:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
        if failure is not None:
            raise failure
        return reports
