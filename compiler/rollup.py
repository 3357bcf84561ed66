"""`reportc merge`: the roll-up of several bodies' workbooks into one reportc workbook."""

from __future__ import annotations

from pathlib import Path

from .errors import CannotCheck, UsageProblem

def body_key(org: str, year) -> tuple[str, str]:
    """The same body and year however typed: full/half-width forms, brackets （）【】[] and
    spaces anywhere do not matter (“某县 民政局（本级）” = “某县民政局(本级)”)."""
    from .values import org_key

    return org_key(org), "".join(str(year or "").split())


def invalid_cells(outcome) -> list[str]:
    """The cells of a source that hold no valid number (规则D6 errors) and how the roll-up counted
    them: “三、依申请公开!D8（按0计算）”."""
    import re

    out = []
    for f in outcome.findings:
        if f.rule == "D6" and f.severity == "error":
            m = re.search(r"本格按(.+?)计算", f.message)
            out.append(f"{f.location}（按{m.group(1) if m else '0'}计算）")
    return out


class Refused(CannotCheck):
    """Some inputs have errors (exit code 1 unless --force)."""

    exit_code = 1

    def __init__(self, message: str, outcomes: list):
        super().__init__(message)
        self.outcomes = outcomes


def expand_patterns(files) -> list[Path]:
    """`部门/*.xlsx` as the docs show it: cmd.exe and PowerShell pass the pattern itself to reportc
    (only POSIX shells expand it), so a name with * or ? that is no file is matched here, in its
    folder, against workbooks (not Excel's ~$ lock files or hidden files)."""
    out: list[Path] = []
    for f in files:
        path = Path(f)
        if path.exists() or not any(c in path.name for c in "*?"):
            out.append(path)
            continue
        found = sorted(m for m in path.parent.glob(path.name)
                       if m.is_file() and m.suffix.lower() == ".xlsx" and not m.name.startswith(("~$", ".")))
        if not found:
            raise UsageProblem(f"没有与“{f}”相符的工作簿（.xlsx）。", "请检查文件夹和文件名是否正确。")
        out += found
    return out


def merge(files: list[Path], output: Path, org: str, force: bool = False, overwrite: bool = False,
          allow_duplicates: bool = False):
    """Check every input, refuse mixed years/editions (and failing inputs unless force, the
    same body and year twice unless allow_duplicates), sum every table input cell exactly,
    and write the roll-up workbook."""
    from .publish import check
    from .fsutil import atomic_write_bytes, output_error, refuse_inputs_inside
    from .writer import build_workbook

    if len(files) < 2:
        raise UsageProblem("汇总至少需要两个工作簿。")
    if not org or not org.strip():
        raise UsageProblem("请用 --org 写明汇总后的机关名称，如 --org “某县人民政府”。")
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise UsageProblem(f"输出文件应以 .xlsx 结尾：{output}")
    refuse_inputs_inside(output, files, folder=False)
    if output.exists() and not overwrite:
        raise UsageProblem(f"文件已存在：{output}\n如需覆盖，请加 --overwrite。")
    seen: dict[Path, Path] = {}
    for f in files:
        if Path(f).resolve() in seen:
            raise UsageProblem(f"同一个工作簿被列了两次：“{seen[Path(f).resolve()]}”和“{f}”。", "请每个工作簿只列一次。")
        seen[Path(f).resolve()] = Path(f)
    outcomes = [check(Path(f)) for f in files]
    _refuse_mixed(outcomes, force, allow_duplicates)
    spec = outcomes[0].workbook.spec
    year_text = outcomes[0].workbook.data.texts.get("info.year", "")
    if not year_text.isdigit():
        raise CannotCheck("工作簿没有填写年度，无法汇总。")
    content = build_workbook(spec, org.strip(), int(year_text), merged=_merged(spec, outcomes))
    try:
        atomic_write_bytes(output, content)
    except OSError as exc:
        raise output_error(exc, output) from None
    return output, outcomes


def _refuse_mixed(outcomes: list, force: bool, allow_duplicates: bool) -> None:
    """Refuse what cannot be summed: several years or editions, the same file or the same body twice,
    a number too large, a source with errors (unless force)."""
    from .values import TOO_LARGE

    kinds = {(o.workbook.spec.edition, o.workbook.data.texts.get("info.year", "")) for o in outcomes}
    if len(kinds) > 1:
        listing = "；".join(f"{o.workbook.path.name}：{o.workbook.data.texts.get('info.year') or '未填'}年度、"
                           f"{o.workbook.spec.edition}版格式" for o in outcomes)
        raise CannotCheck("不能汇总不同年度或不同格式版本的工作簿。" + listing, "请只汇总同一年度、同一格式版本的工作簿。")
    digests = {}
    for o in outcomes:
        if o.sha256 in digests:
            raise UsageProblem(f"“{o.workbook.path.name}”与“{digests[o.sha256]}”内容完全相同，不能重复汇总。")
        digests[o.sha256] = o.workbook.path.name
    bodies: dict[tuple[str, str], list[str]] = {}
    for o in outcomes:
        texts = o.workbook.data.texts
        if texts.get("info.org", "").strip():
            bodies.setdefault(body_key(texts["info.org"], texts.get("info.year", "")), []).append(o.workbook.path.name)
    twice = [names for names in bodies.values() if len(names) > 1]
    if twice and not allow_duplicates:
        listing = "；".join("、".join(f"“{n}”" for n in names) for names in twice)
        raise UsageProblem(f"同一机关同一年度的工作簿出现了不止一次（内容不同，可能是重新保存或修改过的副本）：{listing}。"
                           "汇总会把同一单位的数字算两遍。请只保留一个；确属不同单位而名称相同时，加 --allow-duplicates 仍然汇总。")
    too_large = [f"{o.workbook.path.name} {f.location}" for o in outcomes for f in o.findings
                 if f.rule == "D6" and f.severity == "error" and TOO_LARGE in f.message]
    if too_large:
        raise CannotCheck(f"有数字大得不合常理，无法汇总：{'、'.join(too_large[:10])}{'等' if len(too_large) > 10 else ''}。",
                          "请在这些工作簿中改正后再汇总（此项不能用 --allow-errors 跳过）。")
    failing = [o for o in outcomes if o.errors]
    if failing and not force:
        raise Refused(f"有 {len(failing)} 个工作簿存在错误，未汇总：" + "、".join(o.workbook.path.name for o in failing)
                      + "。请先改正（或加 --allow-errors 仍然汇总）。", failing)


def _merged(spec, outcomes: list) -> dict:
    """Every table input cell summed exactly, and the 汇总来源 of each source."""
    from .checks import input_keys

    totals = {}
    for key in input_keys(spec):
        totals[key] = sum((o.workbook.data.numbers[key] for o in outcomes), 0)
        limit = spec.number_limits.get(spec.column_kind(key).kind)
        if limit is not None and abs(totals[key]) > limit:
            raise CannotCheck(f"汇总后的数字太大：{key} 合计为 {totals[key]}，超出规范规定的上限 {limit}。",
                              "请核对各工作簿中的这一项是否填写正确。")
    merged = {
        "values": {k: str(v) for k, v in totals.items()},
        "sources": [
            {"org": o.workbook.data.texts.get("info.org", ""), "file": o.workbook.path.name, "sha256": o.sha256,
             "errors": o.errors, "warnings": sum(1 for f in o.findings if f.severity == "warning"),
             # only when there are some: roll-ups made before keep their 汇总来源 sheet
             **({"invalid": invalid_cells(o)} if invalid_cells(o) else {})}
            for o in outcomes
        ],
    }
    return merged
