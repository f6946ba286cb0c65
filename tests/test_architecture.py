"""The layout's rules, checked on the source: no import cycle, one door to the network,
no module reading another object's private attributes, no citation of files outside the
repository."""
import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "astroquery_sxps"
#: The emulator is a separate program that happens to ship with the package.
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "testing" not in p.relative_to(PACKAGE).parts)


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path):
    """The package modules ``path`` imports (at any depth: deferred imports count too)."""
    tree = ast.parse(path.read_text())
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("astroquery_sxps"):
                continue
            for alias in node.names:      # `from . import io` imports a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in NAMES else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("astroquery_sxps"))
    return {m for m in found if m in NAMES and m != here}


NAMES = {module_name(p) for p in MODULES}


def test_the_package_has_no_import_cycle():
    graph = {module_name(p): imported_modules(p) for p in MODULES}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif state.get(nxt) is None:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for name in sorted(graph):
        if state.get(name) is None:
            visit(name, [name])
    assert cycles == []


def private_reads(path):
    """``x._name`` where ``x`` is not ``self``/``cls`` (dunder names aside)."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__"):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            found.append((node.lineno, ast.unparse(node)))
    return found


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "_transport.py"],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_but_the_transport_reads_private_attributes(path):
    # module-private names of a sibling (`module._helper`) are as bad as attributes
    assert private_reads(path) == []


def test_only_the_transport_touches_the_session_and_astroquery_internals():
    # (setting ``cache_location``, as the demo does, is the user's public switch)
    pattern = re.compile(r"\._session\b|_download_file|\b_request\(|request_file|from_cache\(|"
                         r"\.cache_location\b(?!\s*=)")
    users = sorted(str(p.relative_to(PACKAGE)) for p in MODULES
                   if pattern.search(p.read_text()) and p.name != "_transport.py")
    assert users == []


def test_code_cites_only_what_is_in_the_repository():
    pattern = re.compile(r"protocol\.md|\.\./shared|\bissue \d+", re.IGNORECASE)
    cited = [f"{p.relative_to(PACKAGE)}:{n}" for p in MODULES + sorted(
        (PACKAGE / "testing").rglob("*.py"))
        for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert cited == []


def test_every_exception_is_defined_in_exceptions_py():
    defined = []
    for path in MODULES:
        if path.name == "exceptions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            # private control-flow signals (`_Retry`) never reach a user
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_") and any(
                    isinstance(b, (ast.Name, ast.Attribute))
                    and re.search(r"(Error|Exception|Warning)$", ast.unparse(b))
                    for b in node.bases):
                defined.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    assert defined == []
