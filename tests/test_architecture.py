"""Dependencies between apps point downwards only (DESIGN.md, docs/architecture.md).

Every module under src/taybac is parsed with `ast` (no import is executed): module-level, function-level
(lazy) and TYPE_CHECKING imports, `from x import y` and relative imports, dotted paths handed to
`import_string` / `import_module` / `include`, and model relations named as "app_label.Model" strings.
A lower app that must react to a higher one's event exposes a hook the higher one registers; it never
imports upwards. The test fails on any import between apps that goes against LAYERS and on any cycle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "taybac"

# Layer of each app: an app may import apps of a strictly lower layer only (not its siblings).
# The same table is in docs/architecture.md; a new app goes in both.
LAYERS: dict[str, int] = {
    "core": 0,
    "regions": 1,
    "accounts": 2,
    "catalog": 3,
    "search": 4,
    "orders": 4,
    "payments": 5,
    "traceability": 5,
    "logistics": 5,
    "reviews": 5,
    "fulfilment": 6,
    "insights": 6,
    "campaigns": 6,
    "assistant": 6,
    "compliance": 6,
    "web": 7,
    "api": 7,
    "demo": 7,
    # The project itself: settings, urls, wsgi and the `taybac` console script (cli.py) wire the rest together.
    PACKAGE: 8,
}

# Imports allowed against the rule, as (importing module, imported module) with the reason. Keep it empty.
ALLOWED: dict[tuple[str, str], str] = {}

DYNAMIC_IMPORTERS = {"import_string", "import_module", "include", "__import__"}
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


@dataclass(frozen=True)
class Dependency:
    source: str  # importing module, e.g. "taybac.orders.checkout"
    path: str  # its file relative to src/
    line: int
    target: str  # the module (or model label) it depends on
    kind: str  # "import", "dynamic import" or "model relation"


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def apps_in(src: Path, package: str = PACKAGE) -> set[str]:
    """The package's apps: its sub-packages."""
    return {p.name for p in (src / package).iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def dependencies(src: Path, package: str = PACKAGE) -> list[Dependency]:
    """Every dependency of every module of `package` under `src` on another module of the package."""
    found: list[Dependency] = []
    apps = apps_in(src, package)
    for path in sorted((src / package).rglob("*.py")):
        module, rel = _module_name(path, src), str(path.relative_to(src))
        in_migrations = "migrations" in path.parts

        def add(target: str, line: int, kind: str, *, module: str = module, rel: str = rel) -> None:
            if target == package or target.startswith(package + "."):
                found.append(Dependency(module, rel, line, target, kind))

        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(alias.name, node.lineno, "import")
            elif isinstance(node, ast.ImportFrom):
                base = (
                    _resolve_relative(module, path.name == "__init__.py", node.level, node.module)
                    if node.level
                    else node.module or ""
                )
                if base == package:  # `from taybac import orders` depends on the orders app
                    for alias in node.names:
                        add(f"{base}.{alias.name}", node.lineno, "import")
                else:
                    add(base, node.lineno, "import")
            elif isinstance(node, ast.Call):
                name = _called_name(node)
                first = _literal(node.args[0]) if node.args else None
                if name in DYNAMIC_IMPORTERS and first:
                    add(first, node.lineno, "dynamic import")
                elif name in RELATIONS and not in_migrations:
                    to = first or _literal(next((k.value for k in node.keywords if k.arg == "to"), None))
                    label = (to or "").split(".")[0]
                    if label in apps:
                        add(f"{package}.{label}", node.lineno, "model relation")
    return found


def app_of(module: str, apps: set[str], package: str = PACKAGE) -> str:
    """`taybac.orders.checkout` -> "orders"; the project's own modules (settings, cli...) -> the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in apps else package


def violations(
    deps: list[Dependency],
    apps: set[str],
    layers: dict[str, int],
    package: str = PACKAGE,
    allowed: dict[tuple[str, str], str] | None = None,
) -> list[str]:
    """One message per dependency from an app on an app of the same or a higher layer, or on an unknown app."""
    allowed = allowed or {}
    messages = []
    for dep in deps:
        source, target = app_of(dep.source, apps, package), app_of(dep.target, apps, package)
        if source == target or (dep.source, dep.target) in allowed:
            continue
        for app in (source, target):
            if app not in layers:
                messages.append(
                    f"{dep.path}:{dep.line}: app {app!r} has no layer: add it to LAYERS in "
                    "tests/test_architecture.py and to docs/architecture.md"
                )
        if source in layers and target in layers and layers[target] >= layers[source]:
            messages.append(
                f"{dep.path}:{dep.line}: {dep.kind} of {dep.target}: {source} (layer "
                f"{layers[source]}) may not depend on {target} (layer {layers[target]})"
            )
    return sorted(set(messages))


def cycles(deps: list[Dependency], apps: set[str], package: str = PACKAGE) -> list[str]:
    """Groups of apps that depend on each other (strongly connected components, Tarjan), with the edges."""
    edges: dict[str, dict[str, Dependency]] = defaultdict(dict)
    for dep in deps:
        source, target = app_of(dep.source, apps, package), app_of(dep.target, apps, package)
        if source != target:
            edges[source].setdefault(target, dep)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for nxt in sorted(edges[app]):
            if nxt not in index:
                visit(nxt)
                low[app] = min(low[app], low[nxt])
            elif nxt in stack:
                low[app] = min(low[app], index[nxt])
        if low[app] == index[app]:
            group = []
            while (member := stack.pop()) != app:
                group.append(member)
            groups.append(sorted([*group, app]))

    for app in sorted(edges):
        if app not in index:
            visit(app)
    messages = []
    for group in (g for g in groups if len(g) > 1):
        links = [f"{a} -> {b} ({d.path}:{d.line})" for a in group for b, d in sorted(edges[a].items()) if b in group]
        messages.append(f"cycle between {', '.join(group)}: " + "; ".join(links))
    return messages


def test_every_app_has_a_layer():
    assert apps_in(SRC) - set(LAYERS) == set(), "add the new app to LAYERS here and to docs/architecture.md"


def test_no_import_against_the_layers():
    found = violations(dependencies(SRC), apps_in(SRC), LAYERS, allowed=ALLOWED)
    assert found == [], "imports against the layer order:\n" + "\n".join(found)


def test_no_cycle_between_apps():
    found = cycles(dependencies(SRC), apps_in(SRC))
    assert found == [], "\n".join(found)


def test_allowed_exceptions_are_still_needed():
    """An exception whose import is gone must leave the list, so the list never hides a new import."""
    present = {(d.source, d.target) for d in dependencies(SRC)}
    assert [pair for pair in ALLOWED if pair not in present] == []


# --- The checker itself, on a small made-up project ------------------------------------------------------


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    files = {
        "toy/__init__.py": "",
        "toy/settings.py": "X = 'toy.high.views.X'\n",
        "toy/low/__init__.py": "",
        "toy/low/models.py": (
            "from django.db import models\n"
            "class Item(models.Model):\n"
            "    owner = models.ForeignKey('high.Owner', on_delete=models.CASCADE)\n"
        ),
        "toy/low/services.py": (
            "from __future__ import annotations\n"
            "import toy.low.models\n"
            "def f():\n"
            "    from ..high import views  # a lazy, relative import still counts\n"
            "    return views\n"
        ),
        "toy/low/senders.py": "from django.utils.module_loading import import_string\n"
        "SENDER = import_string('toy.high.views.Sender')\n",
        "toy/low/migrations/__init__.py": "",
        "toy/low/migrations/0001_initial.py": "x = ForeignKey('high.Owner')\n",
        "toy/high/__init__.py": "",
        "toy/high/views.py": "from toy import low\nfrom toy.low.services import f\n",
        "toy/stray/__init__.py": "",
        "toy/stray/x.py": "import toy.low\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_checker_finds_lazy_relative_dynamic_and_model_dependencies(toy):
    layers, apps = {"low": 0, "high": 1, "toy": 2}, apps_in(toy, "toy")
    deps = dependencies(toy, "toy")
    found = violations(deps, apps, {**layers, "stray": 0}, "toy")
    assert found == [
        "toy/low/models.py:3: model relation of toy.high: low (layer 0) may not depend on high (layer 1)",
        "toy/low/senders.py:2: dynamic import of toy.high.views.Sender: low (layer 0) may not depend on high (layer 1)",
        "toy/low/services.py:4: import of toy.high: low (layer 0) may not depend on high (layer 1)",
        "toy/stray/x.py:1: import of toy.low: stray (layer 0) may not depend on low (layer 0)",
    ]
    assert cycles(deps, apps, "toy") == [
        "cycle between high, low: high -> low (toy/high/views.py:1); low -> high (toy/low/models.py:3)"
    ]
    # An app missing from the table is named, and an allowed pair is skipped.
    assert violations(deps, apps, layers, "toy", allowed={("toy.low.models", "toy.high"): "test"})[0] == (
        "toy/low/senders.py:2: dynamic import of toy.high.views.Sender: low (layer 0) may not depend on high (layer 1)"
    )
    assert any("app 'stray' has no layer" in m for m in violations(deps, apps, layers, "toy"))
