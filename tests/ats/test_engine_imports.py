"""The engine is a library: nothing in shortlist.ats.engine imports the web framework, the database, the
platform or the ATS domain layer that serves it. Checked twice: statically (every import statement, also
those inside functions) and at run time (importing every engine module in a fresh interpreter)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import shortlist.ats.engine

ENGINE = Path(shortlist.ats.engine.__file__).parent
FORBIDDEN = ("fastapi", "sqlalchemy", "starlette", "shortlist.platform", "shortlist.http")
# Outside the engine, only the engine may be imported from the project.
ALLOWED_PROJECT = ("shortlist.ats.engine",)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file; `from . import x` is resolved against the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ENGINE.parent.parent.parent).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def _is_under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _engine_files() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def test_the_walker_sees_the_engines_own_imports() -> None:
    """Guards the check below against passing on nothing: it must find known imports."""
    seen = {module for path in _engine_files() for _, module in _imports(path)}
    assert "shortlist.ats.engine.results" in seen
    assert "pydantic" in seen
    assert len(_engine_files()) > 20


def test_engine_imports_no_web_database_or_platform_module() -> None:
    offences = [
        f"{path.relative_to(ENGINE.parent)}:{line}: imports {module}"
        for path in _engine_files()
        for line, module in _imports(path)
        if any(_is_under(module, prefix) for prefix in FORBIDDEN)
        or (_is_under(module, "shortlist") and not any(_is_under(module, p) for p in ALLOWED_PROJECT))
    ]
    assert offences == []


def test_importing_the_whole_engine_loads_no_web_or_database_module() -> None:
    modules = [
        "shortlist.ats.engine." + ".".join(path.relative_to(ENGINE).with_suffix("").parts)
        for path in _engine_files()
        if path.name != "__init__.py"
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"prefixes = {FORBIDDEN!r} + ('shortlist.ats.service', 'shortlist.ats.endpoints', 'shortlist.models')\n"
        "print(sorted(m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in prefixes)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]", out.stdout
    assert len(modules) > 20
