"""Import layering (issue 14): no import cycle among geoverify's subpackages, every import goes
down the layers CONTRIBUTING.md draws, and lookup never imports index building.

How it checks
-------------
Statically, from the source: every ``.py`` file under ``geoverify/`` is parsed with :mod:`ast`
and every dependency on another geoverify module is collected, wherever it is written:

- ``import geoverify.x`` and ``from geoverify.x import y`` at the top of a module, inside a
  function (a lazy import is a dependency all the same) or under ``if TYPE_CHECKING``;
- ``from geoverify import x``: the module ``x`` when there is one, else an attribute of the
  package's ``__init__`` (the public facade; its ``__version__`` is the one version source and
  may be read from anywhere);
- ``importlib.import_module("geoverify.x")`` and string constants naming an existing module,
  ``"geoverify.x.y"`` or ``"geoverify.x.y:attr"`` (the CLI's table of lazily imported commands,
  the pipeline's ``_LAZY`` table).

Each module belongs to one *unit*: a subpackage (``text``, ``notation``, ``claims``, ``checks``,
``gazetteer``, ``gazetteer.build``, ``report``, ``maps``, ``batch``, ``cli``), a top-level module
(``model``, ``errors``, ``pipeline``, ...) or the facade ``geoverify`` (``__init__.py``). The
units and the imports between them make a directed graph; the tests assert that

1. the graph has no cycle (strongly connected components, Tarjan's algorithm; a failure lists
   each cycle with the file and line of every import in it);
2. each import goes to a unit of a lower layer of :data:`LAYERS` (a new unit must be placed);
3. no module outside ``gazetteer/build/`` imports it but the ``data`` command;
4. at run time, ``resolve``, ``where``, ``verify`` and ``data info`` leave ``gazetteer.build``
   unimported (a subprocess, so nothing else in the test session has imported it).

Imports between modules of one unit are not constrained (a package's ``__init__`` re-exports
its modules, which import each other lazily).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "geoverify"
BUILD = "geoverify.gazetteer.build"
#: the only modules outside build/ allowed to import it: the command that builds
ALLOWED = {"cli/data.py"}
FACADE = "geoverify"

#: The layers, lowest first: a unit imports only units of lower layers.
LAYERS: list[set[str]] = [
    {"errors", "thresholds", "geodesy", "config", "model"},  # foundations: import no other geoverify module
    {"text"},  # decoding, windows over long inputs, look-alike characters
    {"notation", "claims", "gazetteer"},  # readers: notations, claim phrases, gazetteer lookup
    {"checks", "gazetteer.build"},  # claims checked against the gazetteer; the index builder
    {"pipeline"},  # the one Verifier
    {"report", FACADE},  # every output format; the library API (geoverify.verify, .where, ...)
    {"maps", "cases"},  # maps of reports; case files and their expectations
    {"batch", "testing"},  # tables of texts; assertion helpers
    {"cli", "pytest_plugin"},  # the entry points
    {"__main__"},
]

_REF = re.compile(r"geoverify(?:\.[A-Za-z_]\w*)+(?::[A-Za-z_]\w*)?")


def _is_module(parts: list[str]) -> bool:
    """Whether geoverify/<parts> is a package or a module."""
    return bool(parts) and (
        PACKAGE.joinpath(*parts).is_dir() or PACKAGE.joinpath(*parts[:-1], parts[-1] + ".py").exists()
    )


def geoverify_imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every geoverify module (or facade attribute) ``path`` depends on."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "geoverify":
                found += [(node.lineno, f"geoverify.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
                found += [
                    (node.lineno, f"{node.module}.{a.name}")
                    for a in node.names
                    if _is_module(node.module.split(".")[1:] + [a.name])
                ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _REF.fullmatch(node.value):
            name = node.value.split(":")[0]
            if _is_module(name.split(".")[1:]):
                found.append((node.lineno, name))
    return [(line, name) for line, name in found if name == "geoverify" or name.startswith("geoverify.")]


def unit_of_file(rel: str) -> str:
    """The unit of ``geoverify/<rel>``."""
    parts = rel.split("/")
    if parts[:2] == ["gazetteer", "build"]:
        return "gazetteer.build"
    if len(parts) == 1:
        return FACADE if rel == "__init__.py" else rel.removesuffix(".py")
    return parts[0]


def unit_of_name(name: str) -> str | None:
    """The unit a dotted name belongs to; None for the facade's ``__version__``."""
    parts = name.split(".")[1:]
    if not parts or not _is_module(parts[:1]):
        return None if parts == ["__version__"] else FACADE
    if parts[:2] == ["gazetteer", "build"]:
        return "gazetteer.build"
    return parts[0]


def import_graph() -> dict[str, dict[str, list[str]]]:
    """unit -> {imported unit: ["geoverify/file.py:line", ...]}."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        unit = unit_of_file(rel)
        graph.setdefault(unit, {})
        for line, name in geoverify_imports(path):
            target = unit_of_name(name)
            if target is not None and target != unit:
                graph[unit].setdefault(target, []).append(f"geoverify/{rel}:{line}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one unit (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _layer_of() -> dict[str, int]:
    return {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


# -- the graph ----------------------------------------------------------------------------------
def test_no_import_cycle_among_the_subpackages():
    graph = import_graph()
    found = cycles(graph)
    lines = []
    for component in found:
        lines.append(" <-> ".join(component))
        for a in component:
            for b in component:
                if b in graph[a]:
                    lines.append(f"  {a} -> {b}: {', '.join(graph[a][b][:3])}")
    assert not found, "import cycles:\n" + "\n".join(lines)


def test_every_import_goes_down_the_layers():
    layer = _layer_of()
    graph = import_graph()
    unplaced = sorted(set(graph) - set(layer))
    assert not unplaced, f"units not in LAYERS (place them in tests/test_layering.py and CONTRIBUTING.md): {unplaced}"
    upward = [
        f"{a} (layer {layer[a]}) -> {b} (layer {layer[b]}): {', '.join(where[:3])}"
        for a, targets in sorted(graph.items())
        for b, where in sorted(targets.items())
        if layer[b] >= layer[a]
    ]
    assert not upward, "imports that do not go down the layers:\n" + "\n".join(upward)


def test_every_unit_of_layers_exists():
    assert set(_layer_of()) == set(import_graph()), "LAYERS names a unit that is gone"


# -- the checks themselves --------------------------------------------------------------------
def test_the_static_check_sees_lazy_imports_and_string_references(tmp_path):
    src = tmp_path / "mod.py"
    src.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from geoverify.model import Claim\n"
        "def f():\n"
        "    from geoverify.gazetteer.build.index import repair_index\n"
        "    from geoverify import config, __version__\n"
        "TABLE = {'x': 'geoverify.cli.data:data', 'y': 'geoverify.index', 'z': 'not geoverify.cli'}\n"
        "import importlib\n"
        "importlib.import_module('geoverify.text.stream')\n",
        encoding="utf-8",
    )
    got = geoverify_imports(src)
    assert (3, "geoverify.model") in got
    assert (5, "geoverify.gazetteer.build.index") in got
    assert (6, "geoverify.config") in got and (6, "geoverify.__version__") in got
    assert (7, "geoverify.cli.data") in got
    assert not any(name == "geoverify.index" for _, name in got), "a logger name is not a module"
    assert (9, "geoverify.text.stream") in got
    assert unit_of_name("geoverify.gazetteer.build.index") == "gazetteer.build"
    assert unit_of_name("geoverify.gazetteer.store") == "gazetteer"
    assert unit_of_name("geoverify.__version__") is None
    assert unit_of_name("geoverify.verify") == FACADE


def test_the_cycle_finder_finds_a_planted_cycle():
    graph = {"a": {"b": ["x:1"]}, "b": {"c": ["x:2"]}, "c": {"a": ["x:3"]}, "d": {"a": ["x:4"]}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b": []}, "b": {}}) == []


# -- lookup and building ------------------------------------------------------------------------
def _lookup_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not rel.startswith("gazetteer/build/") and rel not in ALLOWED:
            yield rel, path


def test_no_lookup_module_imports_the_build_package():
    offenders = [
        f"geoverify/{rel}:{line}: {name}"
        for rel, path in _lookup_modules()
        for line, name in geoverify_imports(path)
        if name == BUILD or name.startswith(BUILD + ".")
    ]
    assert not offenders, "lookup imports index building:\n" + "\n".join(offenders)


@pytest.mark.slow
def test_resolve_where_verify_leave_the_build_package_unimported(index_available):
    code = (
        "import sys, geoverify\n"
        "geoverify.resolve('Sergeevka, Primorsky Krai')\n"
        "geoverify.where(44.326859, 131.668647)\n"
        "geoverify.verify('Shelling near Sergeevka (44.326859, 131.668647).')\n"
        "from geoverify.gazetteer.info import index_info\n"
        "index_info()\n"
        "print(sorted(m for m in sys.modules if m.startswith('geoverify.gazetteer.build')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


def test_contributing_draws_the_same_layers():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split("### Layers", 1)[1].split("\n## ", 1)[0]
    drawn: dict[int, set[str]] = {}
    for m in re.finditer(r"^\| (\d+) \| (.*) \|$", text, re.M):
        units = {FACADE if u == "geoverify/__init__.py" else u for u in re.findall(r"`([^`]+)`", m.group(2))}
        drawn[int(m.group(1))] = units
    assert drawn == dict(enumerate(LAYERS)), "CONTRIBUTING.md's layer table differs from LAYERS"
