"""Named sites (training grounds, bases, camps, checkpoints) from JSON files.

No shipped dataset has them, so they live in small JSON files, one per
source, validated against ``geoverify/schemas/sites.schema.json``:

- the files shipped in ``geoverify/data/sites/``;
- every ``*.json`` in ``geoverify.config.user_dir() / "sites"``;
- files given explicitly (``geoverify resolve --sites FILE``, ``sites=``).

They are read at query time (cached by path, size and modification time), so
a user's file works without rebuilding the index.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geoverify.errors import InputError
from geoverify.gazetteer import names as N
from geoverify.model import Place

PACKAGED_DIR = Path(__file__).resolve().parent.parent / "data" / "sites"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "sites.schema.json"


class SitesFileError(InputError):
    """A sites file is unreadable or does not follow the schema; the message
    names the file and the field."""


@dataclass
class Site:
    """One named site, as read from a sites file."""

    id: str
    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    feature: str
    country: str
    admin1: str | None
    precision_m: float | None
    source: dict
    note: str | None
    file: str

    @property
    def place_id(self) -> str:
        return f"site:{self.id}"

    def to_place(self) -> Place:
        """The site as a gazetteer :class:`~geoverify.model.Place` (score 0)."""
        extra = {
            "source_url": self.source.get("url"),
            "source_accessed": self.source.get("accessed"),
            "sites_file": self.file,
        }
        if self.precision_m is not None:
            extra["precision_m"] = self.precision_m
        if self.note:
            extra["note"] = self.note
        iso = self.admin1 if self.admin1 and _is_iso2(self.admin1) else None
        return Place(
            id=self.place_id,
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            kind="site",
            feature=self.feature,
            country=self.country,
            admin1=self.admin1,
            source=self.source.get("citation", ""),
            iso=iso,
            extra=extra,
        )


def _is_iso2(code: str) -> bool:
    parts = code.split("-")
    return len(parts) == 2 and len(parts[0]) == 2 and parts[0].isupper() and 1 <= len(parts[1]) <= 3


@dataclass
class SiteIndex:
    """Sites with their name keys, for lookup by :func:`fold` and :func:`skeleton` key."""

    sites: list[Site] = field(default_factory=list)
    by_fold: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=dict)
    by_skeleton: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add(self, site: Site) -> None:
        i = len(self.sites)
        self.sites.append(site)
        for name, flag in [(site.name, N.FLAG_NAME)] + [(a, N.FLAG_ALT) for a in site.aliases]:
            for fkey, skel, fl in N.name_keys(name, flag, derive=True):
                if fkey:
                    self.by_fold.setdefault(fkey, []).append((i, fl, name, fkey))
                if skel:
                    self.by_skeleton.setdefault(skel, []).append((i, fl, name, fkey or skel))

    def lookup(self, fold_key: str, skel: str) -> list[tuple[Site, int, str, str, str]]:
        """Sites whose name has this fold key (match ``fold``) or skeleton (``skeleton``):
        ``(site, flag, name, match, matched key)``."""
        out = []
        if fold_key:
            out += [(self.sites[i], fl, name, "fold", k) for i, fl, name, k in self.by_fold.get(fold_key, ())]
        if skel:
            out += [(self.sites[i], fl, name, "skeleton", k) for i, fl, name, k in self.by_skeleton.get(skel, ())]
        return out

    def by_id(self, site_id: str) -> Site | None:
        key = site_id.removeprefix("site:")
        for s in self.sites:
            if s.id == key:
                return s
        return None


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _json_path(path: Iterable) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def read_sites_file(path: str | os.PathLike) -> list[Site]:
    """Read and validate one sites file.

    Raises
    ------
    SitesFileError
        Missing/unreadable file, invalid JSON (with line and column), or a
        schema violation, naming the file and the field (``sites[0].lat``).
    """
    p = Path(path)
    return list(_read_cached(str(p.resolve()) if p.exists() else str(p), *_stamp(p)))


def _stamp(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=256)
def _read_cached(path: str, mtime_ns: int, size: int) -> tuple[Site, ...]:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SitesFileError(f"{path}: no such sites file") from None
    except IsADirectoryError:
        raise SitesFileError(f"{path}: is a directory, not a sites file") from None
    except OSError as exc:
        raise SitesFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SitesFileError(f"{path}: not UTF-8 (invalid byte at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise SitesFileError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    # the files shipped with geoverify are checked against the schema by the test suite
    # (test_packaged_sites_follow_the_schema); importing jsonschema for them would double a
    # cold `geoverify resolve`
    packaged = Path(path).parent == PACKAGED_DIR.resolve()
    errors = [] if packaged else sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise SitesFileError(f"{path}: {_json_path(err.absolute_path)}: {err.message}{more}")
    out = []
    seen: dict[str, int] = {}
    for i, s in enumerate(data["sites"]):
        if s["id"] in seen:
            raise SitesFileError(f"{path}: sites[{i}].id: {s['id']!r} repeats sites[{seen[s['id']]}].id")
        seen[s["id"]] = i
        out.append(
            Site(
                id=s["id"],
                name=s["name"],
                aliases=tuple(s.get("aliases", ())),
                lat=float(s["lat"]),
                lon=float(s["lon"]),
                feature=s["feature"],
                country=s["country"],
                admin1=s.get("admin1"),
                precision_m=s.get("precision_m"),
                source=dict(s["source"]),
                note=s.get("note"),
                file=path,
            )
        )
    return tuple(out)


@lru_cache(maxsize=8)
def _user_sites_dir(env_user: str | None, env_config: str | None) -> Path:
    """``<user dir>/sites`` for these environment values (resolve calls this for every name)."""
    from geoverify.config import user_dir

    return user_dir() / "sites"


_LISTINGS: dict[Path, tuple[int, list[Path]]] = {}


def _listing(directory: Path) -> list[Path]:
    """The ``*.json`` files of a directory, sorted; listed again only when the directory's mtime
    changes (a file added, removed or renamed; an edited file is noticed by its own stamp)."""
    try:
        mtime = directory.stat().st_mtime_ns
    except OSError:
        return []
    hit = _LISTINGS.get(directory)
    if hit is None or hit[0] != mtime:
        hit = (mtime, sorted(directory.glob("*.json")) if directory.is_dir() else [])
        _LISTINGS[directory] = hit
    return list(hit[1])


def site_files(extra: Iterable[str | os.PathLike] | str | os.PathLike | None = None) -> list[Path]:
    """The sites files in load order: packaged, user directory, then ``extra``."""
    files = _listing(PACKAGED_DIR)
    files += _listing(_user_sites_dir(os.environ.get("GEOVERIFY_USER_DIR"), os.environ.get("XDG_CONFIG_HOME")))
    if extra is not None:
        if isinstance(extra, (str, os.PathLike)):
            extra = [extra]
        files += [Path(e) for e in extra]
    return files


def load_sites(extra: Iterable[str | os.PathLike] | str | os.PathLike | None = None) -> SiteIndex:
    """Load every sites file (packaged, user, ``extra``) into a :class:`SiteIndex`; with no ``extra``
    within :func:`one_listing`, the sites as the first call of the block found them.

    Raises
    ------
    SitesFileError
        On the first bad file, or when two files define the same site id.
    """
    if extra is None:
        held = _CURRENT.get()
        if held is not None:
            if not held:
                held.append(_listed(None))
            return held[0]
    return _listed(extra)


def _listed(extra: Iterable[str | os.PathLike] | str | os.PathLike | None) -> SiteIndex:
    files = site_files(extra)
    key = tuple((str(f), *(_PACKAGED_STAMPS[f] or _stamp(f))) for f in files)
    return _load_cached(key)


#: The sites of the verification under way (:func:`one_listing`): empty until its first look-up.
_CURRENT: ContextVar[list[SiteIndex] | None] = ContextVar("geoverify_sites", default=None)


@contextmanager
def one_listing() -> Iterator[None]:
    """Within the block, :func:`load_sites` without extra files answers with the sites as its first call
    found them: the look-ups of one text (dozens of names, each asking for the sites) list the sites
    directories and stamp their files once, and a file added or changed meanwhile is read by the next
    text. A bad file is reported by every look-up, as outside the block."""
    token = _CURRENT.set([])
    try:
        yield
    finally:
        _CURRENT.reset(token)


class _Stamps(dict):
    """Stamps of the packaged files, taken once (they do not change while geoverify runs)."""

    def __missing__(self, path):
        if path.parent != PACKAGED_DIR:
            return None
        self[path] = _stamp(path)
        return self[path]


_PACKAGED_STAMPS = _Stamps()


@lru_cache(maxsize=16)
def _load_cached(key: tuple) -> SiteIndex:
    index = SiteIndex()
    owner: dict[str, str] = {}
    for path, _, _ in key:
        sites = read_sites_file(path)
        index.files.append(str(path))
        for s in sites:
            if s.id in owner and owner[s.id] != s.file:
                raise SitesFileError(f"{s.file}: site id {s.id!r} is already defined in {owner[s.id]}")
            owner[s.id] = s.file
            index.add(s)
    return index
