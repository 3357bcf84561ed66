"""Build the offline installation bundle for Windows PCs without internet.

    .venv/bin/python3 tools/make_offline_bundle.py            # dist/reportc-<version>-离线安装包-Windows.zip
    .venv/bin/python3 tools/make_offline_bundle.py -o 某文件夹 --python 3.12

Needs internet (PyPI) on the machine that builds the bundle, not on the PCs that install it.
The zip holds one folder with reportc's wheel and every dependency's wheel for 64-bit Windows and
CPython 3.10-3.13 (wheels\\), the launchers 安装.bat, 生成年报.bat, 检查工作簿.bat, 新建工作簿.bat
(sources in tools/windows/), 部署.cmd (unattended installation for IT staff), 使用说明.txt, the guides of
docs/ as HTML pages in 说明\\ (rendered here with markdown-it-py, which typer's rich brings, so nothing beyond
the README's first command is needed), an example workbook and SHA-256 sums of every file.

pip evaluates a dependency's environment markers (`colorama; platform_system == "Windows"`,
`tomli; python_version < "3.11"`) for the machine it runs on, not for the --platform/--python-version
target. So after `pip download` this script reads each wheel's METADATA itself, evaluates the markers
for the target (Windows, AMD64, CPython 3.X), downloads whatever is missing, and fails unless every
requirement of every target is met by a wheel in the bundle (`resolve` below; the tests use it too).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

try:
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.tags import Tag, compatible_tags, cpython_tags
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # the README's virtual environment has pip, and pip carries its own copy of packaging
    from pip._vendor.packaging.markers import default_environment
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.specifiers import SpecifierSet
    from pip._vendor.packaging.tags import Tag, compatible_tags, cpython_tags
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename
    from pip._vendor.packaging.version import Version

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batlint import lint  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WINDOWS_SOURCES = ROOT / "tools" / "windows"
LAUNCHERS = ("安装.bat", "生成年报.bat", "检查工作簿.bat", "新建工作簿.bat")
DEPLOY = "部署.cmd"
SCRIPTS = (*LAUNCHERS, DEPLOY)
README_TXT = "使用说明.txt"
DOCS = ROOT / "docs"
GUIDES = ("使用说明", "安装", "县级汇总工作流程", "命令参考", "规则一览", "threat-model")  # each links only to these
GUIDE_FOLDER = "说明"
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
EXAMPLE_NAME = "示例-青山县民政局2025年（已填好）.xlsx"
TARGET_PYTHONS = ("3.10", "3.11", "3.12", "3.13")
PLATFORM = "win_amd64"


def version() -> str:
    text = (ROOT / "compiler" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def bundle_name(ver: str | None = None) -> str:
    return f"reportc-{ver or version()}-离线安装包-Windows"


# --- what a target PC is -------------------------------------------------------------------------

def target_environment(py: str) -> dict[str, str]:
    """Marker variables of 64-bit CPython `py` (e.g. "3.10") on Windows."""
    env = dict(default_environment())
    env.update({
        "implementation_name": "cpython",
        "implementation_version": f"{py}.0",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{py}.0",
        "python_version": py,
        "sys_platform": "win32",
    })
    return env


def target_tags(py: str) -> set[Tag]:
    major, minor = (int(x) for x in py.split("."))
    interp = f"cp{major}{minor}"
    tags = set(cpython_tags((major, minor), abis=[interp, "abi3", "none"], platforms=[PLATFORM]))
    tags |= set(compatible_tags((major, minor), interpreter=interp, platforms=[PLATFORM]))
    return tags


# --- reading wheels ------------------------------------------------------------------------------

@dataclass
class Wheel:
    path: Path
    name: str
    version: Version
    tags: frozenset
    requires: list[Requirement] = field(default_factory=list)
    requires_python: SpecifierSet = field(default_factory=SpecifierSet)


def read_wheel(path: Path) -> Wheel:
    name, ver, _build, tags = parse_wheel_filename(path.name)
    with zipfile.ZipFile(path) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        meta = HeaderParser().parsestr(zf.read(meta_name).decode("utf-8"))
    return Wheel(path, canonicalize_name(name), ver, frozenset(tags),
                 [Requirement(r) for r in meta.get_all("Requires-Dist") or []],
                 SpecifierSet(meta.get("Requires-Python") or ""))


def applies(req: Requirement, env: dict[str, str], extras: set[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({**env, "extra": extra}) for extra in {"", *extras})


@dataclass
class Resolution:
    chosen: dict[str, Wheel]
    missing: list[str]  # requirement texts no wheel satisfies, with who asked for it


def resolve(wheels: list[Wheel], roots: list[str], py: str) -> Resolution:
    """Pick, for target CPython `py` on win_amd64, a wheel for every requirement reachable from `roots`,
    evaluating markers for that target, as pip does on the PC (`pip install --no-index --find-links`):
    newest version first, and an older one when the newer one's requirements cannot be met there. The
    bundle's folder holds the wheels of every target Python, so a pure-Python wheel downloaded for 3.13
    can ask for a library that has no wheel for 3.10 (pdfplumber 0.11.11 asks for Pillow>=13); pip then
    takes the older pure-Python wheel that was downloaded for 3.10, and so does this. When nothing fits,
    the newest-first choice's unmet requirements are reported, with who asked for each."""
    env, tags = target_environment(py), target_tags(py)
    full = Version(f"{py}.0")
    usable: dict[str, list[Wheel]] = {}
    for w in wheels:
        if w.tags & tags and full in w.requires_python:
            usable.setdefault(w.name, []).append(w)
    for found in usable.values():
        found.sort(key=lambda w: w.version, reverse=True)
    roots_queue = [(Requirement(r), "（安装命令）") for r in roots]
    chosen = _search(usable, env, roots_queue, {}, {}, [20_000])
    if chosen is not None:
        return Resolution(chosen, [])
    return _newest_first(usable, env, roots_queue)


Pending = list[tuple[Requirement, str]]  # requirement, who asked for it


def _search(usable: dict[str, list[Wheel]], env: dict[str, str], queue: Pending,
            chosen: dict[str, Wheel], extras: dict[str, set[str]], budget: list[int]) -> dict[str, Wheel] | None:
    """Depth-first over candidate versions, newest first; None when no choice meets every requirement
    (or after `budget` steps: a dependency graph this tangled is reported, not searched for ever)."""
    queue = list(queue)
    while queue:
        budget[0] -= 1
        if budget[0] < 0:
            return None
        req, asked_by = queue.pop(0)
        name = canonicalize_name(req.name)
        if name in chosen:
            wheel = chosen[name]
            if not req.specifier.contains(wheel.version, prereleases=True):
                return None
            added = set(req.extras) - extras[name]
            if added:
                extras = {**extras, name: extras[name] | added}
                queue += _requirements(wheel, env, extras[name])
            continue
        for wheel in usable.get(name, []):
            if not req.specifier.contains(wheel.version, prereleases=True):
                continue
            wanted = set(req.extras)
            found = _search(usable, env, queue + _requirements(wheel, env, wanted),
                            {**chosen, name: wheel}, {**extras, name: wanted}, budget)
            if found is not None:
                return found
        return None
    return chosen


def _requirements(wheel: Wheel, env: dict[str, str], extras: set[str]) -> Pending:
    return [(dep, f"{wheel.name} {wheel.version}") for dep in wheel.requires if applies(dep, env, extras)]


def _newest_first(usable: dict[str, list[Wheel]], env: dict[str, str], queue: Pending) -> Resolution:
    """The newest matching wheel of each requirement, without going back: what is missing then."""
    queue = list(queue)
    chosen: dict[str, Wheel] = {}
    missing: list[str] = []
    extras: dict[str, set[str]] = {}
    while queue:
        req, asked_by = queue.pop(0)
        name = canonicalize_name(req.name)
        if name in chosen:
            wheel = chosen[name]
            if not req.specifier.contains(wheel.version, prereleases=True):
                missing.append(f"{req} (需要者 {asked_by}；已选 {wheel.version})")
            elif set(req.extras) - extras[name]:
                extras[name] |= set(req.extras)
                queue += _requirements(wheel, env, extras[name])
            continue
        matches = [w for w in usable.get(name, []) if req.specifier.contains(w.version, prereleases=True)]
        if not matches:
            missing.append(f"{req} (需要者 {asked_by})")
            continue
        wheel = chosen[name] = matches[0]
        extras[name] = set(req.extras)
        queue += _requirements(wheel, env, extras[name])
    return Resolution(chosen, missing)


# --- building ------------------------------------------------------------------------------------

def pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", *args]
    result = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"失败：{' '.join(cmd)}")


def download_for(py: str, requirements: list[str], dest: Path) -> None:
    pip("download", "--quiet", "--disable-pip-version-check", "--only-binary=:all:",
        "--platform", PLATFORM, "--python-version", py, "--implementation", "cp",
        "--abi", f"cp{py.replace('.', '')}", "--abi", "abi3", "--abi", "none",
        "--dest", str(dest), *requirements)


def build_reportc_wheel(dest: Path) -> Path:
    pip("wheel", "--quiet", "--disable-pip-version-check", "--no-deps", "--wheel-dir", str(dest), str(ROOT))
    found = sorted(dest.glob(f"reportc-{version()}-*.whl"))
    if not found:
        raise SystemExit("失败：没有生成 reportc 的 wheel。")
    return found[-1]


def collect_wheels(reportc_wheel: Path, pythons: tuple[str, ...], work: Path) -> dict[str, Resolution]:
    """Download, per target Python, until every marker-selected requirement has a wheel."""
    resolutions = {}
    for py in pythons:
        folder = work / f"cp{py.replace('.', '')}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(reportc_wheel, folder)
        download_for(py, [str(reportc_wheel)], folder)
        for _round in range(5):
            res = resolve([read_wheel(p) for p in folder.glob("*.whl")], ["reportc"], py)
            if not res.missing:
                break
            wanted = sorted({str(Requirement(m.split(" (")[0])).split(";")[0] for m in res.missing})
            download_for(py, wanted, folder)
        if res.missing:
            raise SystemExit(f"失败：Python {py} 缺少依赖：" + "；".join(res.missing))
        resolutions[py] = res
    return resolutions


PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; line-height: 1.7;
       max-width: 50em; margin: 2em auto; padding: 0 1em; color: #1a1a1a; }}
p, li {{ margin: 0.4em 0; }}
code, pre {{ font-family: Consolas, "Courier New", monospace; background: #f3f3f3; }}
pre {{ padding: 0.6em; overflow-x: auto; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
</style>
</head>
<body>
{body}
<p><small>本页由 docs/{source} 生成（reportc {version}）。</small></p>
</body>
</html>
"""


CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CHINESE_LINE_BREAK = re.compile(f"(?<=[{CJK}])\n(?=[{CJK}])")


def join_chinese_lines(body: str) -> str:
    """A line break inside a Chinese paragraph of the Markdown is no space (a browser shows one);
    code blocks are left as they are."""
    parts = re.split(r"(<pre>.*?</pre>)", body, flags=re.S)
    return "".join(part if part.startswith("<pre>") else CHINESE_LINE_BREAK.sub("", part) for part in parts)


def render_guides(ver: str | None = None) -> dict[str, bytes]:
    """docs/*.md of GUIDES as HTML pages, links between them pointing at the pages. Raw HTML in the
    Markdown is shown as text, not passed through."""
    import html
    from urllib.parse import quote, unquote

    try:
        from markdown_it import MarkdownIt
    except ImportError:
        raise SystemExit("需要 markdown-it-py（随 reportc 的依赖 typer/rich 安装）：请在装好 reportc 的虚拟环境中运行。") from None
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    link = re.compile(r'<a href="([^"#:]+)\.md(#[^"]*)?">(.*?)</a>', re.S)
    pages = {}
    for name in GUIDES:
        text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
        title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), name)

        def relink(m: re.Match) -> str:
            target = unquote(m.group(1))
            if target not in GUIDES:
                return m.group(3)  # a page the bundle does not have: the words, without a link
            return f'<a href="{quote(target)}.html{m.group(2) or ""}">{m.group(3)}</a>'

        body = join_chinese_lines(link.sub(relink, md.render(text)))
        page = PAGE.format(title=html.escape(title), body=body, source=f"{name}.md", version=ver or version())
        pages[f"{GUIDE_FOLDER}/{name}.html"] = crlf(page.encode("utf-8"))
    return pages


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def bundle_files(resolutions: dict[str, Resolution]) -> dict[str, bytes]:
    """Relative path inside the bundle folder -> content."""
    files: dict[str, bytes] = {}
    for res in resolutions.values():
        for wheel in res.chosen.values():
            files[f"wheels/{wheel.path.name}"] = wheel.path.read_bytes()
    for name in SCRIPTS:
        files[name] = crlf((WINDOWS_SOURCES / name).read_bytes())
        problems = lint(name, files[name])
        if problems:
            raise SystemExit("失败：批处理文件有问题：\n" + "\n".join(problems))
    # With a byte-order mark, so that every Notepad (and WPS) reads it as UTF-8, not as GBK.
    text = (WINDOWS_SOURCES / README_TXT).read_text(encoding="utf-8").lstrip("\ufeff")
    files[README_TXT] = b"\xef\xbb\xbf" + crlf(text.encode("utf-8"))
    files[f"示例/{EXAMPLE_NAME}"] = EXAMPLE.read_bytes()
    files.update(render_guides())
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(files.items()))
    files["校验值-SHA256.txt"] = crlf(sums.encode("utf-8"))
    return files


def write_zip(zip_path: Path, top: str, files: dict[str, bytes]) -> None:
    tmp = zip_path.with_name(zip_path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel, data in sorted(files.items()):
            # Non-ASCII names get the UTF-8 flag (general purpose bit 11) from zipfile.
            zf.writestr(f"{top}/{rel}", data)
    tmp.replace(zip_path)


def make_bundle(outdir: Path, pythons: tuple[str, ...] = TARGET_PYTHONS) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    top = bundle_name()
    with tempfile.TemporaryDirectory(prefix="reportc-bundle-") as tmp:
        work = Path(tmp)
        reportc_wheel = build_reportc_wheel(work / "reportc")
        resolutions = collect_wheels(reportc_wheel, pythons, work / "download")
        files = bundle_files(resolutions)
        zip_path = outdir / f"{top}.zip"
        write_zip(zip_path, top, files)
    return zip_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 Windows 离线安装包（需要能访问 PyPI）。")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "dist", help="输出文件夹（默认 dist/）")
    parser.add_argument("--python", default=",".join(TARGET_PYTHONS),
                        help="目标 Python 版本，逗号分隔（默认 3.10,3.11,3.12,3.13）")
    args = parser.parse_args(argv)
    pythons = tuple(p.strip() for p in args.python.split(",") if p.strip())
    zip_path = make_bundle(args.output, pythons)
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    with zipfile.ZipFile(zip_path) as zf:
        wheels = sorted(Path(n).name for n in zf.namelist() if n.endswith(".whl"))
    print(f"已生成：{zip_path}（{zip_path.stat().st_size / 1e6:.1f} MB，{len(wheels)} 个 wheel，"
          f"适用于 64 位 Windows 上的 Python {'、'.join(pythons)}）")
    print(f"SHA-256：{digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
