"""No module of the product imports another module's private (leading-underscore) name.

What modules share is public, named for what it is; a private name stays in its module, so
it can be renamed or removed there without breaking code elsewhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT
from tests.docs.test_architecture import find_modules


def private_imports(root: Path) -> list[str]:
    """Each `from module import _name` across modules under root, as 'path:line: text'."""
    found = []
    for name, path in find_modules(root).items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            base = package[: len(package) - node.level + 1] if node.level else []
            source = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and source != name:
                    rel = path.relative_to(root)
                    found.append(f"{rel}:{node.lineno}: from {source} import {alias.name}")
    return found


def test_no_module_imports_a_private_name_from_another() -> None:
    assert private_imports(ROOT) == []


def test_the_check_finds_a_planted_private_import(tmp_path: Path) -> None:
    package = tmp_path / "foialog" / "sample"
    package.mkdir(parents=True)
    (tmp_path / "foialog" / "__init__.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text("from .truth import _truth\n", encoding="utf-8")
    (package / "truth.py").write_text("_MONTHS = ()\n__all__ = ()\n", encoding="utf-8")
    (package / "mail.py").write_text(
        "from foialog.sample.truth import _MONTHS, __all__\n", encoding="utf-8"
    )
    assert private_imports(tmp_path) == [
        "foialog/sample/__init__.py:1: from foialog.sample.truth import _truth",
        "foialog/sample/mail.py:1: from foialog.sample.truth import _MONTHS",
    ]
