"""The house stays visible: no import cycles between reportc's modules (imports inside
functions included), and the layers of pyproject.toml's import-linter contract hold."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "compiler"


def module_graph(package: Path, name: str = "reportc") -> dict[str, set[str]]:
    """Module -> the package's modules it imports, from every import statement in its AST
    (at the top, inside functions, under `if`): `from .x import y`, `from . import x`, `import reportc.x`."""
    modules: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join([name, *parts])] = path
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else [])) \
                    if node.level else (node.module or "")
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    deps.add(target if target in modules else base)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[module] = {d for d in deps if d in modules and d != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_no_import_cycles_counting_imports_inside_functions():
    graph = module_graph(PACKAGE)
    assert {"reportc.spec", "reportc.kinds", "reportc.checks", "reportc.planner", "reportc.plan"} <= set(graph)
    assert cycles(graph) == []


def test_the_cycle_finder_sees_imports_inside_functions(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("from .b import x\n", encoding="utf-8")
    (pkg / "b.py").write_text("def f():\n    from .sub import c\n", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "c.py").write_text("def g():\n    import reportc.a\n", encoding="utf-8")
    (pkg / "d.py").write_text("from . import a\n", encoding="utf-8")
    graph = module_graph(pkg)
    assert graph["reportc.b"] == {"reportc.sub.c"} and graph["reportc.d"] == {"reportc.a"}
    assert cycles(graph) == [["reportc.a", "reportc.b", "reportc.sub.c"]]


def test_import_linter_contracts_are_kept():
    pytest.importorskip("importlinter")
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    command = ([exe] if exe else [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
                                                         " sys.exit(lint_imports_command())"]) + ["--no-cache"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", errors="replace")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    contracts = (ROOT / "pyproject.toml").read_text(encoding="utf-8").count("[[tool.importlinter.contracts]]")
    assert contracts >= 3 and f"{contracts} kept, 0 broken" in run.stdout


def test_the_layers_contract_catches_an_upward_import(tmp_path):
    """The contract is not vacuous: spec.py importing the CLI inside a function breaks it."""
    pytest.importorskip("importlinter")
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    shutil.copytree(PACKAGE, tmp_path / "reportc", ignore=shutil.ignore_patterns("__pycache__"))
    spec = tmp_path / "reportc" / "spec.py"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n\ndef _upward():\n    from . import cli  # noqa\n",
                    encoding="utf-8")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    lines = ["[importlinter]", f"root_package = {config['root_package']}"]
    for i, contract in enumerate(config["contracts"]):
        lines += [f"[importlinter:contract:{i}]"]
        for key, value in contract.items():
            lines.append(f"{key} =" + ("".join(f"\n    {v}" for v in value) if isinstance(value, list) else f" {value}"))
    (tmp_path / "contracts.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from importlinter.cli import lint_imports;"
            " sys.exit(lint_imports(config_filename=sys.argv[2], no_cache=True))")
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(tmp_path / "contracts.ini")], cwd=tmp_path,
                         capture_output=True, text=True, encoding="utf-8", errors="replace")
    assert run.returncode != 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "reportc.spec -> reportc.cli" in run.stdout and "BROKEN" in run.stdout, run.stdout[-3000:]


def _contract_layers() -> list[set[str]]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    main = next(c for c in config["tool"]["importlinter"]["contracts"] if c.get("containers") == ["reportc"])
    return [{m.strip() for part in layer.split("|") for m in part.split(":")} for layer in main["layers"]]


def _documented_modules() -> set[str]:
    import re

    text = (ROOT / "docs" / "开发说明.md").read_text(encoding="utf-8")
    table = text.split("| 层 | 模块 |", 1)[1].split("\n\n", 1)[0]
    return {name.rstrip("/") for name in re.findall(r"`([A-Za-z_*]+/?)`", table)}


def test_the_layer_table_of_the_docs_names_every_module_of_the_contract():
    """docs/开发说明.md's table of layers lists exactly the modules of pyproject.toml's contract
    (`render_*` standing for the render modules), so that the docs cannot drift from the contract."""
    contract = set().union(*_contract_layers())
    documented = _documented_modules()
    renders = {m for m in contract if m.startswith("render_")}
    assert "render_*" in documented and len(renders) >= 5
    assert documented - {"render_*"} | renders == contract, (
        f"in the docs only: {sorted(documented - {'render_*'} - contract)}; "
        f"in the contract only: {sorted(contract - documented - renders)}")


def test_every_module_of_the_package_is_in_the_layers_contract():
    top = {p.stem if p.suffix == ".py" else p.name for p in PACKAGE.iterdir()
           if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").is_file())}
    assert top == set().union(*_contract_layers()), sorted(top ^ set().union(*_contract_layers()))
