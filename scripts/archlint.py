"""Architecture lint: the room contract of docs/architecture.md, checked on the syntax tree.

    python scripts/archlint.py [source root, default src/shortlist]

Prints one ``path:line: RULE message`` per finding and exits 1 when there is any. The rules:

- ``ARCH001`` an ``endpoints.py`` (or ``*_endpoints.py``) imports SQLAlchemy (handlers parse, call the service, shape the response).
- ``ARCH002`` SQLAlchemy's ``select``/``update``/``insert``/``delete`` called outside a repository module.
- ``ARCH003`` the synchronous ``get_context`` used as a dependency (FastAPI runs a plain ``def`` dependency
  in a thread pool; ``request_context`` is the async one). Called directly, it costs nothing.
- ``ARCH004`` an import against the layer direction kit ← platform ← http/models ← domains ← entry points.
- ``ARCH005`` a folder of modules without ``__init__.py``: an implicit namespace package is found by the
  installer's discovery rules, not by the project, and type checkers and the lint read it differently.
- ``ARCH006`` an endpoints module commits (``.commit()``): the route commits the request's transaction, and
  ``release_read`` is the one named way to end a read early.

Known departures are listed in ``DEPARTURES`` with a reason; an entry that no longer matches anything is
itself reported (``ARCH000``), so the list only shrinks.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "shortlist"

SQL_CONSTRUCTS = frozenset({"select", "update", "insert", "delete"})


@dataclass(frozen=True)
class Layer:
    name: str
    # Module prefixes (dotted, below the package) that belong to the layer.
    modules: tuple[str, ...]


# Lowest first: a module may import its own layer and the ones listed before it, never a later one.
# A module no layer names is a domain.
LAYERS: tuple[Layer, ...] = (
    Layer("kit", ("kit",)),
    Layer("platform", ("platform", "config")),
    # context.py (AppContext) sits with http: every handler and the transactional route read it.
    Layer("http/models", ("http", "models", "migrations", "context")),
    Layer("domains", ()),
    Layer("entry points", ("main", "api", "cli", "graphql", "web")),
)
DOMAINS = "domains"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule} {self.message}"


@dataclass(frozen=True)
class Departure:
    """A known departure: every finding of ``rule`` in ``path`` (relative to the package) is accepted."""

    path: str
    rule: str
    reason: str


_CALLER = "keys and limits are per caller, so it reads the auth subject"
DEPARTURES: tuple[Departure, ...] = (
    Departure("http/idempotency.py", "ARCH004", _CALLER),
    Departure("http/ratelimit.py", "ARCH004", _CALLER),
    Departure(
        "context.py", "ARCH004", "AppContext holds long-lived domain objects: token codec, hasher, renderer"
    ),
    Departure("migrations/env.py", "ARCH004", "the full-text index DDL is owned by application/search.py"),
    Departure("event/dispatcher.py", "ARCH002", "the outbox is a queue, claimed with conditional UPDATEs"),
    Departure(
        "application/privacy.py", "ARCH002", "erasure deletes across the recruiting tables in one place"
    ),
    Departure("graphql/results.py", "ARCH002", "the GraphQL idempotency record beside the HTTP one"),
)


def layer_of(module: str) -> int:
    """Index in LAYERS of a dotted module name below the package (``resume.service``)."""
    domain_index = next(i for i, layer in enumerate(LAYERS) if layer.name == DOMAINS)
    for index, layer in enumerate(LAYERS):
        for prefix in layer.modules:
            if module == prefix or module.startswith(prefix + "."):
                return index
    return domain_index


def is_repository(relative: str) -> bool:
    parts = relative.split("/")
    stem = parts[-1].removesuffix(".py")
    return stem == "repository" or stem.endswith("_repository") or "repositories" in parts[:-1]


def module_name(relative: str) -> str:
    dotted = relative.removesuffix(".py").replace("/", ".")
    return dotted.removesuffix(".__init__")


def resolve_import(node: ast.ImportFrom, module: str, is_package: bool) -> str | None:
    """The absolute dotted module an ``from ... import`` names, or None for a relative import above the root."""
    if node.level == 0:
        return node.module
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 > len(base):
        return None
    base = base[: len(base) - (node.level - 1)]
    return ".".join([PACKAGE, *base, *([node.module] if node.module else [])])


class _Visitor(ast.NodeVisitor):
    def __init__(self, relative: str, is_package: bool) -> None:
        self.relative = relative
        self.module = module_name(relative)
        self.is_package = is_package
        self.is_endpoints = relative.rsplit("/", 1)[-1].endswith("endpoints.py")
        self.is_repository = is_repository(relative)
        self.findings: list[Finding] = []
        # Local names bound to sqlalchemy's statement constructors, and to the sqlalchemy modules themselves.
        self.sql_names: set[str] = set()
        self.sqlalchemy_modules: set[str] = set()
        self.sync_context_names: set[str] = set()

    def report(self, node: ast.AST, rule: str, message: str) -> None:
        self.findings.append(Finding(self.relative, getattr(node, "lineno", 1), rule, message))

    def _imported(self, node: ast.AST, target: str) -> None:
        if target == "sqlalchemy" or target.startswith("sqlalchemy."):
            if self.is_endpoints:
                self.report(
                    node, "ARCH001", f"endpoints import SQLAlchemy ({target}); move the SQL to the repository"
                )
            return
        if target != PACKAGE and not target.startswith(PACKAGE + "."):
            return
        imported = target.removeprefix(PACKAGE).removeprefix(".")
        if not imported:
            return
        own, theirs = layer_of(self.module), layer_of(imported)
        if theirs > own:
            self.report(
                node,
                "ARCH004",
                f"{LAYERS[own].name} module imports {LAYERS[theirs].name} ({target}); "
                "imports go kit ← platform ← http/models ← domains ← entry points",
            )

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._imported(node, alias.name)
            if alias.name == "sqlalchemy" or alias.name.startswith("sqlalchemy."):
                self.sqlalchemy_modules.add(alias.asname or alias.name.split(".")[0])
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = resolve_import(node, self.module, self.is_package)
        if source is None:
            return
        is_sqlalchemy = source == "sqlalchemy" or source.startswith("sqlalchemy.")
        if is_sqlalchemy or source != PACKAGE:
            self._imported(node, source)
        for alias in node.names:
            local = alias.asname or alias.name
            if is_sqlalchemy:
                if alias.name in SQL_CONSTRUCTS:
                    self.sql_names.add(local)
                else:
                    self.sqlalchemy_modules.add(local)
                continue
            # `from shortlist import resume` imports the module shortlist.resume; otherwise one check per line.
            if source == PACKAGE:
                self._imported(node, f"{source}.{alias.name}")
            if source == f"{PACKAGE}.context" and alias.name == "get_context":
                self.sync_context_names.add(local)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not self.is_repository:
            constructor: str | None = None
            if isinstance(func, ast.Name) and func.id in self.sql_names:
                constructor = func.id
            elif (
                isinstance(func, ast.Attribute)
                and func.attr in SQL_CONSTRUCTS
                and isinstance(func.value, ast.Name)
                and func.value.id in self.sqlalchemy_modules
            ):
                constructor = func.attr
            if constructor is not None:
                self.report(node, "ARCH002", f"SQL statement ({constructor}) outside a repository module")
        if self.is_endpoints and isinstance(func, ast.Attribute) and func.attr == "commit":
            self.report(node, "ARCH006", "endpoints commit; the route commits (or call release_read)")
        if isinstance(func, ast.Name) and func.id == "Depends":
            dependency = node.args[0] if node.args else None
            if isinstance(dependency, ast.Name) and dependency.id in self.sync_context_names:
                self.report(
                    node, "ARCH003", "Depends(get_context) runs in a thread pool; use request_context"
                )
        self.generic_visit(node)


def check_source(source: str, relative: str) -> list[Finding]:
    """Every finding in one module; ``relative`` is its path below the package (``resume/endpoints.py``)."""
    tree = ast.parse(source, filename=relative)
    visitor = _Visitor(relative, is_package=relative.endswith("__init__.py"))
    visitor.visit(tree)
    return visitor.findings


def _modules(root: Path) -> Iterator[Path]:
    yield from sorted(path for path in root.rglob("*.py") if "__pycache__" not in path.parts)


def apply_departures(findings: Iterable[Finding], departures: Iterable[Departure]) -> list[Finding]:
    """The findings no departure covers, followed by one ARCH000 per departure that covered nothing."""
    listed = tuple(departures)
    used: set[Departure] = set()
    remaining: list[Finding] = []
    for finding in findings:
        match = next((e for e in listed if e.path == finding.path and e.rule == finding.rule), None)
        if match is None:
            remaining.append(finding)
        else:
            used.add(match)
    remaining.extend(
        Finding(e.path, 1, "ARCH000", f"listed departure from {e.rule} no longer needed: remove it")
        for e in listed
        if e not in used
    )
    return remaining


def missing_package_markers(root: Path) -> list[Finding]:
    """One ARCH005 per folder below ``root`` that holds modules but no ``__init__.py``."""
    folders = sorted({path.parent for path in _modules(root)} - {root})
    return [
        Finding(folder.relative_to(root).as_posix() + "/", 1, "ARCH005", "package without __init__.py")
        for folder in folders
        if not (folder / "__init__.py").is_file()
    ]


def check_tree(root: Path, departures: Iterable[Departure] = DEPARTURES) -> list[Finding]:
    findings = missing_package_markers(root)
    for path in _modules(root):
        relative = path.relative_to(root).as_posix()
        findings.extend(check_source(path.read_text(encoding="utf-8"), relative))
    return apply_departures(findings, departures)


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "src" / PACKAGE
    findings = check_tree(root)
    for finding in findings:
        print(f"src/{PACKAGE}/{finding}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
