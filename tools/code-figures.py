#!/usr/bin/env python3
"""Figures about the shape of plugins/, measured from the code (issue 22's before/after table).

    python tools/code-figures.py [--root DIR] [--walk]

--root reads another checkout (e.g. `git archive <commit> | tar -x -C DIR`). The figures:

  hook assignments   assignments to `target.current` or `self.<attr>` inside the methods (hooks) of
                     the module classes in plugins/modules (their `__init__` excluded)
  changed set        statements that assign `<something>.changed` or `changed` anywhere in plugins/,
                     and properties named `changed` (a place that decides it)
  long functions     functions in plugins/ over 40 lines (def line to last line)
  deepest nesting    the deepest indentation level of a statement in plugins/module_utils (a
                     method body is level 2: class, def)
  client params      parameters of EstClient.__init__ besides self
  declaration-only   modules that define no `run` of their own
  path table imports the collection modules plugins/module_utils/_paths.py imports
  walk rooms         (--walk) functions of the collection a value of est_trunk's host_name passes
                     through, from the module's parameters to `POST /trunks`: a create runs in
                     this process against a started emulator, and every call of a collection
                     function holding the value (or a dict/Target holding it) is recorded up to the
                     POST. Needs the emulator package (the project's .venv).
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

LIMIT = 40


def python_files(root: Path, folder: str) -> List[Path]:
    return sorted((root / "plugins" / folder).glob("*.py"))


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def assigned_targets(node: ast.AST) -> List[ast.expr]:
    if isinstance(node, ast.Assign):
        found: List[ast.expr] = []
        for target in node.targets:
            found += list(target.elts) if isinstance(target, (ast.Tuple, ast.List)) else [target]
        return found
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    return []


def hook_assignments(root: Path) -> List[str]:
    found = []
    for path in python_files(root, "modules"):
        tree = ast.parse(path.read_text())
        for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            for method in (node for node in cls.body if isinstance(node, ast.FunctionDef) and node.name != "__init__"):
                for node in ast.walk(method):
                    for target in assigned_targets(node):
                        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and (
                                target.value.id == "self" or (target.value.id == "target" and target.attr == "current")):
                            found.append(f"{path.name}:{node.lineno} {cls.name}.{method.name} {ast.unparse(target)}")
    return found


def changed_sets(root: Path) -> List[str]:
    found = []
    for folder in ("modules", "module_utils"):
        for path in python_files(root, folder):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and node.name == "changed" and node.decorator_list:
                    found.append(f"{path.parent.name}/{path.name}:{node.lineno} (property)")
                for target in assigned_targets(node):
                    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
                    if name == "changed":
                        found.append(f"{path.parent.name}/{path.name}:{node.lineno}")
    return found


def long_functions(root: Path) -> List[str]:
    found = []
    for path in sorted((root / "plugins").rglob("*.py")):
        for function in functions(ast.parse(path.read_text())):
            lines = function.end_lineno - function.lineno + 1
            if lines > LIMIT:
                found.append(f"{path.relative_to(root)}:{function.lineno} {function.name} ({lines} lines)")
    return found


def deepest_nesting(root: Path) -> Tuple[int, List[str]]:
    levels: Dict[str, int] = {}
    for path in python_files(root, "module_utils"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.stmt):
                levels[f"{path.name}:{node.lineno}"] = node.col_offset // 4
    deepest = max(levels.values())
    return deepest, [where for where, level in levels.items() if level == deepest]


def client_parameters(root: Path) -> int:
    tree = ast.parse((root / "plugins" / "module_utils" / "_client.py").read_text())
    cls = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "EstClient")
    init = next(node for node in cls.body if isinstance(node, ast.FunctionDef) and node.name == "__init__")
    args = init.args
    return len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs) - 1 + bool(args.vararg) + bool(args.kwarg)


def declaration_only(root: Path) -> List[str]:
    return [path.name for path in python_files(root, "modules")
            if not any(function.name == "run" for function in functions(ast.parse(path.read_text())))]


def path_table_imports(root: Path) -> List[str]:
    tree = ast.parse((root / "plugins" / "module_utils" / "_paths.py").read_text())
    return [alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
            for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names if "sinch" in (getattr(node, "module", None) or alias.name)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--walk", action="store_true", help="also trace est_trunk's host_name (starts an emulator)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list where each figure comes from")
    args = parser.parse_args()
    root = Path(args.root).resolve()
    depth, deepest_at = deepest_nesting(root)
    figures = [
        ("hook assignments to target.current / self.*", hook_assignments(root)),
        ("places that set changed", changed_sets(root)),
        (f"functions over {LIMIT} lines in plugins/", long_functions(root)),
        ("deepest nesting in module_utils", (depth, deepest_at)),
        ("parameters of EstClient.__init__", (client_parameters(root), [])),
        ("modules that are only a declaration", declaration_only(root)),
        ("collection imports of the path table (_paths)", path_table_imports(root)),
    ]
    if args.walk:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from code_walk import walk_host_name  # noqa: E402 - needs the emulator, only with --walk
        rooms = walk_host_name(root)
        figures.append(("rooms host_name passes to POST /trunks", (len(rooms), rooms)))
    for title, value in figures:
        count, where = (value if isinstance(value, tuple) else (len(value), value))
        print(f"{title:48} {count}")
        if args.verbose:
            for line in where:
                print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
