"""`reportc verify FOLDER`: does an output folder still hold exactly what reportc wrote there?

Every file manifest.json lists is compared by size and SHA-256: 一致, 已改动 or 缺少. A file that is
not listed is 新增; it counts against the folder only when its name is one reportc writes (report.*,
validation.*, index.html, summary.xlsx): anything else (a user's note) is listed but not counted.
A batch output root also verifies each per-body folder its manifest lists.
"""

from __future__ import annotations

from pathlib import Path

from .errors import CannotCheck
from .record import field, record

SAME, CHANGED, MISSING, ADDED, OTHER = "一致", "已改动", "缺少", "新增", "新增（不计入）"
# the names reportc writes: an unlisted file with one of these names is a report file added afterwards
def _output_names() -> frozenset[str]:
    from .batch_run import SUMMARY_FILES
    from .renderers import file_names

    return frozenset({*file_names(), "validation.html", "validation.json", *SUMMARY_FILES})


OUTPUT_NAMES = _output_names()


@record
class FileState:
    name: str  # relative to the folder verified ("单位0/report.html" for a batch)
    status: str
    counted: bool  # makes the folder fail
    size: int | None = None
    sha256: str | None = None
    expected_size: int | None = None
    expected_sha256: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@record
class Verification:
    folder: Path
    manifest: dict
    files: list[FileState] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # interrupted runs, per-body folders without a manifest

    @property
    def ok(self) -> bool:
        return not self.problems and not any(f.counted for f in self.files)

    def as_dict(self) -> dict:
        m = self.manifest
        return {"folder": str(self.folder), "readable": True, "ok": self.ok, "kind": m.get("kind"),
                "title": m.get("title"), "created": m.get("created"), "reportc": m.get("reportc"),
                "verdict": m.get("verdict"), "workbook": m.get("workbook"),
                "counts": {s: sum(1 for f in self.files if f.status == s) for s in (SAME, CHANGED, MISSING, ADDED, OTHER)},
                "problems": self.problems, "files": [f.as_dict() for f in self.files]}


def verify_folder(folder: Path) -> Verification:
    """Compare folder with its manifest.json; CannotCheck (exit 2) when there is none or it is not reportc's."""
    from .manifest import MANIFEST, read

    folder = Path(folder)
    if not folder.is_dir():
        raise CannotCheck(f"找不到文件夹：{folder}" if not folder.exists() else f"“{folder}”不是文件夹。",
                          "请指定 reportc build 或 reportc batch 的输出文件夹。")
    manifest = read(folder)
    if manifest is None:
        raise CannotCheck(f"文件夹“{folder}”中没有 {MANIFEST}，无法核对。",
                          "manifest.json 由 reportc build 和 reportc batch 写在输出文件夹中（较早版本的 reportc 不写）；"
                          "请指定输出文件夹，或重新生成。")
    result = Verification(folder, manifest)
    _compare(folder, manifest, "", result)
    for sub in manifest.get("folders", []) if manifest.get("kind") in ("batch", "audit") else []:
        from .manifest import NotAManifest, is_plain_name

        if not is_plain_name(sub) or not (folder / sub).is_dir():
            result.files.append(FileState(f"{sub}/", MISSING, True))
            continue
        try:
            inner = read(folder / sub)
        except NotAManifest as exc:
            result.problems.append(exc.message)
            continue
        if inner is None:
            result.problems.append(f"“{folder / sub}”中没有 {MANIFEST}（这个单位的文件未生成或已被删除）。")
            continue
        _compare(folder / sub, inner, f"{sub}/", result)
    return result


def _compare(folder: Path, manifest: dict, prefix: str, result: Verification) -> None:
    from .fsutil import pending
    from .manifest import MANIFEST, listed, sha256_file

    if pending(folder):
        result.problems.append(f"“{folder}”中上一次生成被中断，尚未完成（有 reportc 的记录文件 .reportc-journal.json）；"
                               "请重新运行 reportc build（或 batch）。")
    records = listed(manifest)
    for name, listing in records.items():
        path = folder / name
        expected = {"expected_size": listing["size"], "expected_sha256": listing["sha256"]}
        if not path.is_file() or path.is_symlink():
            result.files.append(FileState(prefix + name, MISSING, True, **expected))
            continue
        try:
            size, digest = path.stat().st_size, sha256_file(path)
        except OSError:
            result.files.append(FileState(prefix + name, MISSING, True, **expected))
            continue
        same = size == listing["size"] and digest == listing["sha256"]
        result.files.append(FileState(prefix + name, SAME if same else CHANGED, not same, size, digest, **expected))
    known = {n.casefold() for n in records} | {MANIFEST}
    for path in sorted(folder.iterdir()):
        if path.name.casefold() in known or path.is_dir() or path.name.startswith("."):
            continue
        ours = path.name.casefold() in OUTPUT_NAMES
        result.files.append(FileState(prefix + path.name, ADDED if ours else OTHER, ours))
