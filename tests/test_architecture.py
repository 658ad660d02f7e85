"""The package's shape (docs/architecture.md): one sub-package per stage, imports pointing one way
(cli → stages → core), no import cycles between modules, no stage using another's underscored names,
and no module over ~400 lines without a reason given in its stage's docstring."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "shuangsuiji"

# Lower rank = earlier in the clerk's year (or more basic). A module may import its own stage and
# stages of a lower rank only. verify, deadlines and sample are leaves beside one another.
RANK = {"core": 0, "sheets": 1, "plan": 2, "intake": 3, "draw": 4, "match": 5, "publish": 6,
        "verify": 7, "deadlines": 7, "sample": 7, "documents": 7, "cli": 9}
LONG_ALLOWED = {"match/flow.py"}  # one algorithm (see match/__init__.py)
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) for every import of the package, module level or lazy."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "shuangsuiji":
                continue
            names = [a.name for a in node.names]
            subs = [f"{mod}.{n}" for n in names if f"{mod}.{n}" in MODULES]
            if subs:
                found.extend((s, [], node.lineno) for s in subs)
                rest = [n for n in names if f"{mod}.{n}" not in MODULES]
                if rest:
                    found.append((mod, rest, node.lineno))
            else:
                found.append((mod, names, node.lineno))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "shuangsuiji":
                    found.append((a.name, [], node.lineno))
    return found


def _stage(mod: str) -> str | None:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else None


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_every_module_is_in_a_stage_package():
    loose = [m for m in MODULES if m.count(".") == 1 and _stage(m) not in RANK]
    assert loose == [], f"modules outside a stage package: {loose}"
    assert sorted(_stage(m) for m in MODULES if m.count(".") == 1) == sorted(RANK)


def test_imports_point_one_way():
    wrong = []
    for mod, imps in GRAPH.items():
        here = _stage(mod)
        if here is None:
            continue
        for target, _names, line in imps:
            there = _stage(target)
            if there is None or there == here:
                continue
            if RANK[there] >= RANK[here]:
                wrong.append(f"{mod}:{line} imports {target} ({here} may not use {there})")
    assert wrong == []


def test_no_stage_uses_another_stages_private_names():
    wrong = []
    for mod, imps in GRAPH.items():
        for target, names, line in imps:
            if _stage(target) != _stage(mod):
                wrong += [f"{mod}:{line} {target}.{n}" for n in names if n.startswith("_") and not n.startswith("__")]
                if any(part.startswith("_") and part != "__init__" for part in target.split(".")):
                    wrong.append(f"{mod}:{line} {target}")
    assert wrong == []


def test_no_import_cycles():
    edges = {m: {t for t, _n, _l in imps if t in MODULES and t != m} for m, imps in GRAPH.items()}
    # a package's __init__ is not a module of its own here: count imports of the package's modules
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_stage_packages_say_what_they_take_and_give():
    for stage in RANK:
        init = PKG / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"{stage}/__init__.py needs a docstring (in, out, public names)"
        assert "TODO" not in doc


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_no_room_over_400_lines_without_a_reason(mod):
    path = MODULES[mod]
    rel = path.relative_to(PKG).as_posix()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if rel in LONG_ALLOWED:
        stage_doc = (path.parent / "__init__.py").read_text(encoding="utf-8")
        assert path.name in stage_doc, f"{rel} is long; its stage docstring must say why"
        return
    assert lines <= MAX_LINES, f"{rel} has {lines} lines"
