"""What ``geoverify data info`` reports about the index."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from geoverify.errors import DataError


def index_info(path: str | Path | None = None) -> dict[str, Any]:
    """Paths, size, schema version, build time, counts, sources and imports of the index.

    Never raises for a missing or unreadable index: ``status`` says what is wrong.
    """
    import time

    from geoverify import config
    from geoverify.gazetteer import integrity
    from geoverify.gazetteer.schema import SCHEMA_VERSION
    from geoverify.gazetteer.sites import site_files
    from geoverify.gazetteer.store import damaged, open_index

    p, _ = integrity.choose_index(path)
    out: dict[str, Any] = {
        "path": str(p),
        "data_dir": str(p.parent),
        "sources_dir": str(config.sources_dir()),
        "user_sites_dir": str(config.user_dir() / "sites"),
        "sites_files": [str(f) for f in site_files()],
        "schema_version_expected": SCHEMA_VERSION,
    }
    # the whole file is hashed here, whatever a verified-once marker says
    t0 = time.perf_counter()
    problem = integrity.verify(p, full=True)
    if problem is not None:  # never "status: ok" beside a damaged index
        out["status"] = integrity.advice(p, problem)
        out["integrity"] = problem
        return out
    out["integrity"] = f"ok: SHA-256 matches the record (whole file hashed in {time.perf_counter() - t0:.2f} s)"
    try:
        conn = open_index(p)
    except DataError as exc:
        out["status"] = str(exc)
        return out
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        out["status"] = "ok"
        out["size_bytes"] = p.stat().st_size
        out["size_mb"] = round(p.stat().st_size / 1e6, 1)
        for key in (
            "schema_version",
            "built_at",
            "build_seconds",
            "names_seconds",
            "boundaries_seconds",
            "layers_seconds",
            "geoverify_version",
            "sqlite",
        ):
            if key in meta:
                out[key] = meta[key]
        counts = {
            f"places.{kind}": n
            for kind, n in conn.execute("SELECT kind, count(*) FROM places GROUP BY kind ORDER BY kind")
        }
        counts["names"] = conn.execute("SELECT count(*) FROM names").fetchone()[0]
        out["counts"] = counts
        tables = {}
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%rtree_%' ORDER BY name"
        ):
            try:
                tables[name] = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            except sqlite3.Error:
                continue
        out["tables"] = tables
        try:
            out["table_bytes"] = {
                name: n
                for name, n in conn.execute(
                    "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12"
                )
            }
        except sqlite3.Error:  # dbstat not compiled in
            pass
        out["sources"] = json.loads(meta.get("sources") or "[]")
        out["imports"] = json.loads(meta.get("imports") or "[]")
        out["layers"] = _layers(conn, meta)
    except sqlite3.DatabaseError as exc:
        out = {
            k: v
            for k, v in out.items()
            if k in ("path", "data_dir", "sources_dir", "user_sites_dir", "sites_files", "schema_version_expected")
        }
        out["status"] = str(damaged(p, exc))
        out["integrity"] = f"damaged ({exc})"
    finally:
        conn.close()
    return out


def _layers(conn: sqlite3.Connection, meta: dict[str, str]) -> dict[str, Any]:
    """The finer layers: units per kind and unit, their sources (licence, measured accuracy), what
    was skipped for want of a source package."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "areas" not in tables:
        return {"status": "not built (the index predates them or their sources were missing)"}
    out: dict[str, Any] = {"status": "ok"}
    out["areas"] = {
        f"{kind}:{unit}": n
        for kind, unit, n in conn.execute(
            "SELECT kind, unit, count(*) FROM areas GROUP BY kind, unit ORDER BY kind, count(*) DESC"
        )
    }
    out["airports"] = conn.execute("SELECT count(*) FROM airports").fetchone()[0]
    out["settlements"] = conn.execute("SELECT count(*) FROM settlements").fetchone()[0]
    out["settlements_without_point"] = conn.execute(
        "SELECT count(*) FROM settlements WHERE geonameid IS NULL"
    ).fetchone()[0]
    out["sources"] = [
        {
            "key": r[0],
            "name": r[1],
            "version": r[2],
            "license": r[3],
            "attribution": r[4],
            "role": r[5],
            "file": r[6],
            "accuracy": r[7],
        }
        for r in conn.execute("SELECT * FROM layer_sources ORDER BY key")
    ]
    try:
        built = json.loads(meta.get("layers") or "{}")
    except json.JSONDecodeError:
        built = {}
    if built.get("skipped"):
        out["skipped"] = built["skipped"]
    return out
