"""The layers of eventsys, without cycles (issue 13, "Layers without cycles, enforced").

Every import under eventsys/ is read with `ast`, those inside functions included, and mapped to
the layer of the module it names. Lowest first:

    foundation   paths, config, sqlite, validation, choices, web/urls, web/colours
                 (no eventsys imports but each other's)
    db, errors
    extensions   extensions, locking, queue, web/access (the access marks every view carries)
    i18n, mail, organisations, accounts, events, registration, programme, badges, checkin,
    declarations, proposals, mailings, assembly, privacy
                 (the domain areas: every module of eventsys/<area>/; proposals sit above the
                 programme they may feed, mailings above every area whose people they select,
                 and below the Assembly, which may write to its delegates through them)
    boundary     web/errors, web/forms, web/security, web/timing, api/core, api/schema
                 (the request boundary shared by every area's views)
    top          what serves requests and commands: an area's (or its subpackage's) views.py,
                 *_views.py, api.py, cli.py, demo.py and demo_*.py, and registration/manage.py;
                 web/views, web/styles, web/labels, web/filters; the api and web packages;
                 cli.py, demo.py, demo_people.py, backup.py; the app factory
                 (eventsys/__init__.py); and the `init_app` of every package's __init__.py,
                 the area's wiring.

A module may import its own layer and the ones below it, never one above (not even inside a
function: a lower area tells the higher ones through a blinker signal, see events/signals.py
and registration/signals.py). Within a layer anything goes, and among the top modules too,
but no two modules may import each other, directly or round a longer cycle. Imports under
`if TYPE_CHECKING:` never run, so they do not count for cycles; they do for the order.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
PACKAGE = CHECKOUT / "eventsys"

AREAS = (
    "i18n",
    "mail",
    "organisations",
    "accounts",
    "events",
    "registration",
    "programme",
    "badges",
    "checkin",
    "declarations",
    "proposals",
    "mailings",
    "assembly",
    "privacy",
)
LAYERS = ("foundation", "db", "errors", "extensions", *AREAS, "boundary", "top")
RANK = {name: rank for rank, name in enumerate(LAYERS)}

# The modules outside the domain areas, each with its layer (see the docstring).
HELPERS = {
    "eventsys.paths": "foundation",
    "eventsys.config": "foundation",
    "eventsys.sqlite": "foundation",
    "eventsys.validation": "foundation",
    "eventsys.choices": "foundation",
    "eventsys.web.urls": "foundation",
    "eventsys.web.colours": "foundation",
    "eventsys.db": "db",
    "eventsys.errors": "errors",
    "eventsys.extensions": "extensions",
    "eventsys.locking": "extensions",
    "eventsys.queue": "extensions",
    "eventsys.web.access": "extensions",
    "eventsys.web.errors": "boundary",
    "eventsys.web.forms": "boundary",
    "eventsys.web.security": "boundary",
    "eventsys.web.timing": "boundary",
    "eventsys.api.core": "boundary",
    "eventsys.api.schema": "boundary",
    "eventsys": "top",
    "eventsys.cli": "top",
    "eventsys.demo": "top",
    "eventsys.demo_people": "top",
    "eventsys.backup": "top",
    "eventsys.web": "top",
    "eventsys.web.views": "top",
    "eventsys.web.styles": "top",
    "eventsys.web.labels": "top",
    "eventsys.web.filters": "top",
    "eventsys.api": "top",
}
# Inside an area: the modules that serve pages, the API, commands and the demo.
TOP_IN_AREA = {"views", "api", "cli", "demo"}
TOP_MODULES = {"eventsys.registration.manage"}  # the organisers' registration pages
WIRING = "init_app"  # in a package's __init__.py: registers the area with the app


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, or "<package>:init_app" for a package's wiring
    target: str
    line: int
    in_function: bool
    type_checking: bool

    def __str__(self) -> str:
        return f"{self.source} (line {self.line}) imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CHECKOUT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_module(name: str) -> str:
    """The eventsys module a dotted name lives in (`eventsys.events.models.Event` -> models)."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class ImportReader(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.functions: list[str] = []
        self.type_checking = False
        self.found: list[Import] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815  (ast.NodeVisitor names it so)

    def visit_If(self, node: ast.If) -> None:
        if not is_type_checking(node.test):
            self.generic_visit(node)
            return
        self.type_checking, before = True, self.type_checking
        for child in node.body:
            self.visit(child)
        self.type_checking = before
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        assert node.level == 0, f"{self.module}: relative import on line {node.lineno}"
        for alias in node.names:
            # `from eventsys.events import views` names a module; `... import Event` a name.
            self.add(f"{node.module}.{alias.name}", node)

    def add(self, name: str, node: ast.stmt) -> None:
        if name.split(".")[0] != "eventsys":
            return
        wiring = self.is_package and self.functions[:1] == [WIRING]
        self.found.append(
            Import(
                source=f"{self.module}:{WIRING}" if wiring else self.module,
                target=imported_module(name),
                line=node.lineno,
                in_function=bool(self.functions),
                type_checking=self.type_checking,
            )
        )


def all_imports() -> Iterator[Import]:
    for module, path in MODULES.items():
        reader = ImportReader(module, path.name == "__init__.py")
        reader.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        yield from (found for found in reader.found if found.target != module)


IMPORTS = list(all_imports())


def is_demo(name: str) -> bool:
    """The demo and its data (demo_eecca.py, demo_texts.py) fill the database like a user."""
    return name == "demo" or name.startswith("demo_")


def layer_of(module: str) -> str:
    if module.endswith(":" + WIRING):
        return "top"
    if module in HELPERS:
        return HELPERS[module]
    parts = module.split(".")
    assert parts[1] in AREAS, f"{module}: not in a domain area; give it a layer in HELPERS"
    if module in TOP_MODULES:
        return "top"
    last = parts[-1]  # an area's subpackage (assembly/agenda) has its own views and api
    if len(parts) > 2 and (last in TOP_IN_AREA or last.endswith("_views") or is_demo(last)):
        return "top"
    return parts[1]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_reader_sees_every_import():
    assert len(MODULES) > 150
    inline = [i for i in IMPORTS if i.in_function]
    assert len(inline) > 20, "imports inside functions are read too"
    assert any(i.type_checking for i in IMPORTS)
    assert Import("eventsys.events.models", "eventsys.extensions", 0, False, False).target in {
        i.target for i in IMPORTS if i.source == "eventsys.events.models"
    }


def test_every_module_has_a_layer():
    for module in MODULES:
        assert layer_of(module) in RANK


def test_the_helpers_named_exist():
    assert set(HELPERS) | TOP_MODULES <= set(MODULES)


def test_no_import_goes_up_the_layers():
    upward = [
        f"{found} ({layer_of(found.source)} -> {layer_of(found.target)})"
        for found in IMPORTS
        if RANK[layer_of(found.target)] > RANK[layer_of(found.source)]
    ]
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_a_package_imports_no_more_than_its_lowest_module_may():
    """A package's __init__.py runs whenever one of its modules is imported, so at its top it
    imports nothing the lowest of them could not (the wiring in init_app runs later)."""
    too_high = []
    for found in IMPORTS:
        path = MODULES.get(found.source)
        if path is None or path.name != "__init__.py" or found.in_function:
            continue
        members = [m for m in MODULES if m.startswith(found.source + ".")]
        floor = min(RANK[layer_of(m)] for m in [found.source, *members])
        if RANK[layer_of(found.target)] > floor:
            too_high.append(str(found))
    assert not too_high, "\n".join(too_high)


def test_no_import_cycles():
    edges: dict[str, set[str]] = {}
    for found in IMPORTS:
        if not found.type_checking:
            edges.setdefault(found.source, set()).add(found.target)
    assert not cycles(edges), f"modules that import each other: {cycles(edges)}"


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_an_upward_import_would_be_caught():
    registration, events = "eventsys.registration.services", "eventsys.events.rules"
    assert RANK[layer_of(registration)] > RANK[layer_of(events)]
    assert layer_of("eventsys.events.views") == "top"
    assert layer_of("eventsys.programme.feed_views") == "top"
    assert layer_of("eventsys.registration:init_app") == "top"
    assert layer_of("eventsys.assembly.agenda.api") == "top"
    assert layer_of("eventsys.assembly.agenda.services") == "assembly"
    assert layer_of("eventsys.assembly.demo_eecca") == "top"
    assert layer_of("eventsys.registration") == "registration"


PURE_RULES = (
    "eventsys.registration.capacity",
    "eventsys.assembly.majority",
    "eventsys.programme.conflicts",
    "eventsys.badges.codes",
)
HEAVY = ("sqlalchemy", "huey", "flask_smorest", "flask_limiter", "weasyprint")


def test_pure_rules_load_neither_the_database_nor_the_web_stack():
    """The pure modules import leaves only (e.g. registration/enums.py, not its models)."""
    probe = (
        "import importlib, sys\n"
        f"for name in {PURE_RULES!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=CHECKOUT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
