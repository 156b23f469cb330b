"""No code path reaches the network.

1. Statically: no module of the package imports a network client (socket, urllib.request,
   http.client, requests, httpx, aiohttp, urllib3, ftplib, smtplib, websockets...). The one
   exception is the optional Dask executor of ``geoverify batch --scheduler ADDRESS``,
   which connects to the cluster the user names and to nothing else.
2. At run time: every command of the CLI (found by walking the click group, so a new
   command without a case here fails the test) runs in a subprocess whose
   ``sitecustomize`` makes every IPv4/IPv6 connect, sendto, create_connection and DNS
   lookup raise and log the attempt. Each command must succeed and log nothing. Local
   Unix sockets (multiprocessing) stay allowed. A self-test proves the guard bites.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "geoverify"

NETWORK_MODULES = (
    "socket",
    "ssl",
    "urllib.request",
    "urllib3",
    "http.client",
    "http.server",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "telnetlib",
    "xmlrpc",
    "websocket",
    "websockets",
    "asyncio.streams",
    "socketserver",
    "distributed",
    "paramiko",
    "pycurl",
    "grpc",
    "zmq",
)
#: module (relative to the package) -> the network module it may import, and why.
ALLOWED = {
    "batch/dask_runner.py": ("distributed", "geoverify batch --scheduler ADDRESS: the Dask cluster the user names"),
}

GUARD = textwrap.dedent('''
    """Test guard: no IPv4/IPv6 connection, datagram or DNS lookup (tests/test_no_network.py)."""
    import os
    import socket

    _LOG = os.environ.get("GEOVERIFY_NET_LOG")

    def _deny(what, target):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {what} {target!r}\\n")
        raise OSError(101, f"network disabled by the geoverify no-network test: {what} {target!r}")

    _connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto

    def connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return _connect(self, address)
        _deny("connect", address)

    def connect_ex(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return _connect_ex(self, address)
        _deny("connect_ex", address)

    def sendto(self, data, *args):
        if self.family == getattr(socket, "AF_UNIX", None):
            return _sendto(self, data, *args)
        _deny("sendto", args[-1] if args else None)

    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.create_connection = lambda address, *a, **k: _deny("create_connection", address)
    socket.getaddrinfo = lambda host, port, *a, **k: _deny("getaddrinfo", (host, port))
    socket.gethostbyname = lambda host: _deny("gethostbyname", host)

    if os.environ.get("GEOVERIFY_TEST_TINY_BUILD"):  # `data build` with a two-place names half
        import sys
        from geoverify.gazetteer.build import index as _B
        _ns = {"__name__": "tiny"}
        exec(os.environ["GEOVERIFY_TEST_TINY_BUILD"], _ns)
        _B.build_names = _ns["tiny_names"]
        sys.modules["geoverify.gazetteer.build.boundaries"] = None
        sys.modules["geoverify.gazetteer.build.layers"] = None  # built on the boundary half: none here
''')


# -- static ---------------------------------------------------------------------------------
def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def _is_network(name: str) -> str | None:
    for mod in NETWORK_MODULES:
        if name == mod or name.startswith(mod + "."):
            return mod
    return None


def test_no_module_imports_a_network_client():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for lineno, name in _imports(path):
            mod = _is_network(name)
            if mod and ALLOWED.get(rel, ("",))[0] != mod:
                offenders.append(f"geoverify/{rel}:{lineno}: imports {name}")
    assert offenders == []


def test_the_static_check_catches_a_network_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import json\nfrom urllib.request import urlopen\nimport importlib\n"
        "importlib.import_module('requests')\nfrom urllib.parse import urlsplit\n"
    )
    assert [n for _, n in _imports(bad) if _is_network(n)] == ["urllib.request", "urllib.request.urlopen", "requests"]


# -- at run time -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def guard(tmp_path_factory):
    d = tmp_path_factory.mktemp("sitecustomize")
    (d / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    return d


def _env(guard: Path, log: Path, **extra) -> dict:
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join([str(guard), str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    env["GEOVERIFY_NET_LOG"] = str(log)
    env.update(extra)
    return env


def test_the_guard_blocks_a_connection(guard, tmp_path):
    log = tmp_path / "net.log"
    code = textwrap.dedent("""
        import socket, urllib.request
        try:
            urllib.request.urlopen("http://example.com", timeout=5)
        except OSError as exc:
            print(exc)
        socket.socket().connect(("127.0.0.1", 9))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code], env=_env(guard, log), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0 and "network disabled by the geoverify no-network test" in proc.stderr
    attempts = log.read_text().splitlines()
    assert len(attempts) == 2
    assert attempts[0].endswith("('example.com', 80)") and attempts[1].endswith("connect ('127.0.0.1', 9)")


def _leaf_commands() -> list[str]:
    import click

    from geoverify.cli import cli

    out = []

    def walk(group, prefix):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if isinstance(cmd, click.Group):
                walk(cmd, prefix + [name])
            else:
                out.append(" ".join(prefix + [name]))

    walk(cli, [])
    return out


def _needs_boundaries() -> bool:
    import importlib.util

    return importlib.util.find_spec("geoverify.gazetteer.boundaries") is None


def test_every_command_runs_with_the_network_disabled(index_available, guard, tmp_path):
    from test_index_safety import TINY

    article = next((ROOT / "fixtures" / "articles").glob("001_*.txt"))
    ucdp = ROOT / "tests" / "data" / "ucdp_ged_car_sample.csv"
    tiny_data = tmp_path / "tiny"
    dump = tmp_path / "RU.txt"
    dump.write_text(
        "\t".join(
            [
                "99300001",
                "Testovo",
                "Testovo",
                "",
                "44.5",
                "131.5",
                "P",
                "PPL",
                "RU",
                "",
                "59",
                "",
                "",
                "",
                "0",
                "",
                "100",
                "Asia/Vladivostok",
                "2024-10-18",
            ]
        )
        + "\n"
    )
    boundaries = "needs the boundary index" if _needs_boundaries() else None
    tiny = {"GEOVERIFY_DATA_DIR": str(tiny_data), "GEOVERIFY_TEST_TINY_BUILD": TINY}
    # command -> (argument lists, extra environment, reason to skip or None)
    cases = {
        "extract": ([["extract", str(article), "--format", "json"], ["extract", "-", "--format", "csv"]], {}, None),
        "parse": (
            [
                ["parse", "40 7 22.8, -74 7 22.8", "--format", "json"],
                ["parse", "8MG9+PFR Sergeevka, Primorsky Krai", "--format", "json"],
            ],
            {},
            None,
        ),
        "resolve": ([["resolve", "Sergeevka, Primorsky Krai", "--near", "44.3,131.7", "--format", "json"]], {}, None),
        "where": ([["where", "44.326859,131.668647", "--format", "json"]], {}, boundaries),
        "verify": (
            [["verify", str(article), "--format", "markdown", "--map", str(tmp_path / "map.html")]],
            {},
            boundaries,
        ),
        "check": (
            [["check", "--at", "44.326859, 131.668647", "--claim", "near the China border", "--format", "json"]],
            {},
            boundaries,
        ),
        "data build": ([["data", "build", "--sources", str(tmp_path / "no-sources")]], tiny, None),
        "data fetch": ([["data", "fetch", "--sources", str(tmp_path / "no-sources")]], tiny, None),
        "data import": ([["data", "import", str(dump), "--format", "json"]], tiny, None),
        "data info": ([["data", "info", "--format", "json"]], {}, None),
        "fixtures list": ([["fixtures", "list"]], {}, None),
        "fixtures show": ([["fixtures", "show", "sergeevka-geoconfirmed"]], {}, None),
        "fixtures validate": ([["fixtures", "validate"]], {}, None),
        "batch": (
            [
                [
                    "batch",
                    str(ucdp),
                    "-o",
                    str(tmp_path / "out.csv"),
                    "-t",
                    "where_description",
                    "--lat-column",
                    "latitude",
                    "--lon-column",
                    "longitude",
                    "-j",
                    "2",
                    "--format",
                    "json",
                ]
            ],
            {},
            boundaries,
        ),
    }
    commands = _leaf_commands()
    assert sorted(commands) == sorted(cases), "every command needs a no-network case here"
    runs = []
    for name in commands:
        arg_lists, extra, skip = cases[name]
        if skip is None:
            runs += [(name, args, extra) for args in arg_lists]
    # data import runs on the index data build makes: order those two
    ordered = [r for r in runs if not r[0].startswith("data ")]
    serial = [r for r in runs if r[0] in ("data fetch", "data build")] + [
        r for r in runs if r[0] in ("data import", "data info")
    ]
    log = tmp_path / "net.log"

    def run(item):
        name, args, extra = item
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "geoverify", *args],
            input=b"44.326859, 131.668647\n",
            env=_env(guard, log, **extra),
            capture_output=True,
            timeout=300,
            cwd=ROOT,
        )
        return name, args, proc, time.perf_counter() - t0

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, ordered))
    results += [run(item) for item in serial]
    for name, args, proc, seconds in results:
        print(f"{name}: {seconds:.2f} s")
        assert proc.returncode in (0, 1), (name, args, proc.returncode, proc.stderr.decode()[-2000:])
    assert not log.exists() or log.read_text() == "", log.read_text()
    assert len(results) >= 8
    skipped = sorted(n for n, (_, _, s) in cases.items() if s)
    if skipped:
        pytest.skip(
            f"ran {len(results)} commands with the network disabled; not yet: {', '.join(skipped)} ({boundaries})"
        )
