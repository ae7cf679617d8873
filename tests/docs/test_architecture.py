"""docs/architecture.md against the code: every import allowed by its table, no import circles.

The checker reads the modules' syntax trees (no import is run), so lazy imports inside
functions and imports under TYPE_CHECKING count like the others.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("foialog", "extract", "entities")


@dataclass(frozen=True)
class Stage:
    """One row of docs/architecture.md's table."""

    name: str
    modules: tuple[str, ...]
    may_import: frozenset[str]


def read_stages(doc: Path) -> list[Stage]:
    """The table's rows: stage, modules (in backticks), and the stages it may import."""
    stages = []
    for line in doc.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not re.findall(r"`([\w.*]+)`", cells[1]):
            continue
        allowed = {w for w in re.split(r"[,\s]+", cells[3]) if w and w != "(nothing)"}
        stages.append(
            Stage(cells[0], tuple(re.findall(r"`([\w.*]+)`", cells[1])), frozenset(allowed))
        )
    return stages


def find_modules(root: Path) -> dict[str, Path]:
    """Every module of the three packages under root, by dotted name (the name code imports:
    where foialog/extract links to ../extract, its modules are foialog.extract.*)."""
    linked = (root / "foialog" / "extract").is_symlink()
    modules = {}
    for package in ("foialog",) if linked else PACKAGES:
        for folder, _, files in sorted(os.walk(root / package, followlinks=True)):
            for file in sorted(f for f in files if f.endswith(".py")):
                path = Path(folder) / file
                parts = list(path.relative_to(root).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                modules[".".join(parts)] = path
    return modules


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (anywhere in its code)."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]  # an attribute of a module
                if target and target != name:
                    graph[name].add(target)
    return graph


def stage_of(module: str, stages: list[Stage]) -> Stage | None:
    """The stage of the longest name in the table that module is or lies under; a name without
    ".*" covers that module alone (so a new module beside it is in no stage)."""
    best: tuple[str, str, Stage] | None = None
    for stage in stages:
        for pattern in stage.modules:
            name = pattern.removesuffix(".*")
            if (module == name or module.startswith(name + ".")) and (
                best is None or len(name) > len(best[0])
            ):
                best = (name, pattern, stage)
    if best is None or (module != best[0] and not best[1].endswith(".*")):
        return None
    return best[2]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def problems(root: Path) -> list[str]:
    """Every way the code at root breaks docs/architecture.md, in words."""
    stages = read_stages(root / "docs" / "architecture.md")
    names = {s.name for s in stages}
    out = [
        f"stage {s.name}: may import unknown stage {a}"
        for s in stages
        for a in s.may_import - names
    ]
    modules = find_modules(root)
    graph = import_graph(modules)
    for module in sorted(graph):
        mine = stage_of(module, stages)
        if mine is None:
            out.append(f"{module}: no row of docs/architecture.md names it")
            continue
        for target in sorted(graph[module]):
            theirs = stage_of(target, stages)
            if theirs is not None and theirs != mine and theirs.name not in mine.may_import:
                out.append(
                    f"{module} ({mine.name}) imports {target} ({theirs.name}), a stage it may not "
                    f"import (it may import: {', '.join(sorted(mine.may_import)) or 'nothing'})"
                )
    out += [f"import circle: {' <-> '.join(group)}" for group in circles(graph)]
    return out


def test_every_import_follows_the_architecture_and_none_goes_round_in_a_circle() -> None:
    assert problems(ROOT) == []


def test_the_table_names_every_stage_the_diagram_shows_and_the_packages_exist() -> None:
    stages = read_stages(ROOT / "docs" / "architecture.md")
    assert {"errors", "entities", "values", "tables", "text", "readers", "entry"} <= {
        s.name for s in stages
    }
    modules = find_modules(ROOT)
    for stage in stages:
        for pattern in stage.modules:
            assert pattern.removesuffix(".*") in modules, f"{stage.name}: {pattern} is not a module"
    diagram = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("## ")[1]
    for package in (
        "foialog.extract.readers",
        "foialog.extract.tables",
        "foialog.extract.text",
        "foialog.extract.values",
    ):
        assert package in diagram


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The three packages and the architecture document, copied."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__", "data"),
        )
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "architecture.md", tmp_path / "docs")
    return tmp_path


def test_a_back_import_into_an_earlier_stage_is_caught_with_the_circle_it_makes(
    tree_copy: Path,
) -> None:
    assert problems(tree_copy) == []
    layout = tree_copy / "extract" / "tables" / "layout.py"
    layout.write_text(
        layout.read_text() + "\nfrom foialog.extract.document import DocumentResult\n"
    )
    found = problems(tree_copy)
    assert any(
        p.startswith(
            "foialog.extract.tables.layout (tables) imports foialog.extract.document (entry)"
        )
        for p in found
    )
    circle = next(p for p in found if p.startswith("import circle"))
    assert "foialog.extract.document" in circle
    assert "foialog.extract.tables.layout" in circle


def test_a_lazy_import_between_two_modules_of_one_stage_is_a_circle(tree_copy: Path) -> None:
    document = tree_copy / "extract" / "document.py"
    sources = tree_copy / "extract" / "sources.py"
    sources.write_text(
        sources.read_text()
        + "\n\ndef _late() -> None:\n    from foialog.extract.document import read_blocks\n"
    )
    found = problems(tree_copy)
    assert document.exists()
    assert [p for p in found if p.startswith("import circle")] == [
        "import circle: foialog.extract.document <-> foialog.extract.sources"
    ]


def test_a_module_no_row_names_is_reported(tree_copy: Path) -> None:
    (tree_copy / "extract" / "stray.py").write_text('"""A module the table forgot."""\n')
    assert "foialog.extract.stray: no row of docs/architecture.md names it" in problems(tree_copy)
