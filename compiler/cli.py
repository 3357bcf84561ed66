"""The `reportc` command line, a thin shell over reportc.api: parse the arguments, call the verb,
have present.py print the result, pick the exit code.

Exit codes: 0 success (verdict 可以发布 or 须核实); 1 不通过 (or 须核实 under --strict: warnings nobody explained);
2 the input cannot be checked at all, or the command was used wrongly.
Heavy libraries are imported inside the commands, so `reportc --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import click
import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__, verbs
from .console import err, out, setup_console
from .errors import CannotCheck, UsageProblem
from .present import display_width, pad
from .renderers import format_help as formats_help


def _option_line(param) -> tuple[str, str] | None:
    if getattr(param, "hidden", False):
        return None
    names = ", ".join([*param.opts, *getattr(param, "secondary_opts", [])])
    if param.param_type_name == "argument":
        names = (param.metavar or param.name).upper()
    if names in ("--help",):
        return names, "显示本帮助并退出。"
    help_text = getattr(param, "help", None) or ""
    default = param.default
    if param.param_type_name == "option" and default not in (None, False, "", ()) and not callable(default):
        help_text += f"［默认：{default}］"
    if param.required:
        help_text += "［必填］"
    return names, help_text


class _ChineseHelp:
    """Help pages in Chinese (click's own help texts are English)."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # the parser's errors carry no command: usage.translate names it
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    def format_help(self, ctx, formatter):
        is_group = isinstance(self, TyperGroup)
        usage = f"用法：{ctx.command_path}"
        if is_group:
            usage += " 命令 [参数与选项]"
        else:
            args = " ".join(
                (p.metavar or p.name).upper() + ("" if p.required else "（可选）")
                for p in self.params if p.param_type_name == "argument"
            )
            usage += " [选项]" + (f" {args}" if args else "")
        lines = [usage, ""]
        if self.help:
            lines += ["  " + line if line else "" for line in self.help.strip().splitlines()] + [""]
        if is_group:
            lines.append("命令：")
            for name in self.list_commands(ctx):
                cmd = self.get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    first = (cmd.help or "").strip().splitlines()[0] if cmd.help else ""
                    lines.append(f"  {pad(name, 8)}{first}")
            lines.append("")
        records = [r for r in (_option_line(p) for p in self.get_params(ctx)) if r]
        if records:
            lines.append("参数与选项：")
            width = max(display_width(n) for n, _ in records) + 2
            for names, text in records:
                lines.append(f"  {pad(names, width)}{text}")
        if is_group:
            lines += ["", f"运行“{ctx.command_path} 命令 --help”查看每个命令的用法。"]
        formatter.write("\n".join(lines) + "\n")


class ChineseGroup(_ChineseHelp, TyperGroup):
    pass


class ChineseCommand(_ChineseHelp, TyperCommand):
    pass


app = typer.Typer(
    cls=ChineseGroup,
    add_completion=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help=(
        "reportc：政府信息公开工作年度报告编制工具。\n"
        "\n"
        "reportc new 生成锁定的填报工作簿；填好后用 reportc check 检查、\n"
        "reportc build 生成可发布的 HTML、Word（DOCX）和 Markdown 年报及校验报告。"
    ),
)


class EditionChoice(click.ParamType):
    """--edition: one of the editions reportc has (read when used); the refusal in Chinese."""

    name = "edition"

    def convert(self, value, param, ctx):
        from .spec import available_editions

        editions = available_editions()
        if value in editions:
            return value
        self.fail(f"不支持的报告格式版本“{value}”，可用版本：{'、'.join(editions)}。", param, ctx)


PREVIOUS_HELP = "本机关上一年度的工作簿或已发布的上年年报（.html/.docx/.pdf），用于跨年度核对（规则S1–S4）；机关名称和年度须对应。"
PREVIOUS_ANY_HELP = "上年工作簿的机关名称或年度不对应时仍然使用（如机关更名），并在检查结果中注明。"


def _renamed(used: bool, old: str, new: str) -> bool:
    """An old option spelling: still works in this release, with a note in Chinese."""
    if used:
        err(f"提示：选项 {old} 已改名为 {new}，本版本仍可使用旧写法，下一版本将停用；请改用 {new}。")
    return used


def _version(value: bool):
    if value:
        out(f"reportc {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="显示版本号并退出。", callback=_version, is_eager=True),
):
    pass


@app.command("new", cls=ChineseCommand, help=(
    "生成填报工作簿（Excel）。\n"
    "\n"
    "工作簿按年度对应的报告格式生成：三张法定表格、正文各部分和“校验”表；\n"
    "只有填报区可以编辑，合计由公式计算，校验结果随填报实时更新。"
))
def new_cmd(
    year: int = typer.Option(None, "--year", help="报告年度，如2025；不填为上一年度。"),
    org: Optional[str] = typer.Option(None, "--org", help="机关名称，如“某县民政局”。"),
    edition: Optional[str] = typer.Option(None, "--edition", help="报告格式版本（2019 或 2021）；不填时按年度确定。",
                                          click_type=EditionChoice()),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件，或存放它的文件夹；不填文件名时命名为“机关名称-年度-填报.xlsx”（不填时保存在当前文件夹）。"),
    overwrite: bool = typer.Option(False, "--overwrite", help="输出文件已存在时覆盖。"),
    force: bool = typer.Option(False, "--force", hidden=True),
    previous: Optional[Path] = typer.Option(None, "--previous", help="本机关上一年度的工作簿或已发布的上年年报（.html/.docx/.pdf）：带入机关名称、联系方式和上年数据作为参考值。"),
    previous_any: bool = typer.Option(False, "--previous-any", help=PREVIOUS_ANY_HELP),
):
    def run():
        from . import api
        from .present import print_new

        notes: list[str] = []
        replace = _renamed(force, "--force", "--overwrite") or overwrite
        path = api.new(year=year, org=org, edition=edition, output=output, overwrite=replace,
                       previous=previous, previous_any=previous_any, notes=notes)
        print_new(path, notes, org_missing=not (org or "").strip() and previous is None)
        return 0

    _run(run)


@app.command("check", cls=ChineseCommand, help=(
    "检查填好的工作簿，列出每个问题及其单元格位置。\n"
    "\n"
    "结论为“不通过”（有错误）、“须核实”（有未说明的提醒）或“可以发布”。\n"
    "\n"
    "退出码：0 可以发布或须核实；1 不通过（加 --strict 时须核实也算）；2 文件无法检查。"
))
def check_cmd(
    file: Path = typer.Argument(..., help="填好的 .xlsx 工作簿。", metavar="工作簿"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 格式输出结果。"),
    strict: bool = typer.Option(False, "--strict", help="有未说明的提醒（结论为“须核实”）时也返回退出码1。"),
    previous: Optional[Path] = typer.Option(None, "--previous", help=PREVIOUS_HELP),
    previous_any: bool = typer.Option(False, "--previous-any", help=PREVIOUS_ANY_HELP),
):
    _run(lambda: verbs.check(file, as_json, strict, previous, previous_any))


STRICT_BUILD_HELP = ("有未说明的提醒（结论为“须核实”，如正文与表格不一致、占位文字）时也按不通过处理：不生成年报文档（除非加 --draft），"
                     "退出码1。已在“情况说明”表说明的提醒不算。")
TEMPLATE_HELP = "页面模板文件夹，用网站自己的页面外观生成 report.html 等网页（见 docs/模板说明.md）。"


@app.command("build", cls=ChineseCommand, help=(
    "检查工作簿并生成可发布的年报（HTML、Word、Markdown）和校验报告。\n"
    "\n"
    "有错误时只写校验报告并返回退出码1（加 --draft 时仍生成文档，每页标注“草稿（校验未通过）”）；\n"
    "加 --strict 时有未说明的提醒（须核实）也按不通过处理。\n"
    "默认输出到 outputs/机关名称-年度/。"
))
def build_cmd(
    file: Path = typer.Argument(..., help="填好的 .xlsx 工作簿。", metavar="工作簿"),
    outdir: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件夹。"),
    formats: Optional[str] = typer.Option(None, "--format", help=formats_help()),
    draft: bool = typer.Option(False, "--draft", help="有错误时仍生成草稿文档。"),
    strict: bool = typer.Option(False, "--strict", help=STRICT_BUILD_HELP),
    previous: Optional[Path] = typer.Option(None, "--previous", help=PREVIOUS_HELP),
    previous_any: bool = typer.Option(False, "--previous-any", help=PREVIOUS_ANY_HELP),
    overwrite: bool = typer.Option(False, "--overwrite", help="输出文件夹中已有另一份年报（其他机关或年度）的文件时覆盖；同一年报重新生成时无须加。"
                                   "只替换 manifest.json 中记录的 reportc 文件，其他文件一律不动。"),
    template: Optional[Path] = typer.Option(None, "--template", help=TEMPLATE_HELP, metavar="文件夹"),
):
    _run(lambda: verbs.build(file, outdir, formats, draft, strict, previous, previous_any, overwrite, template))


@app.command("merge", cls=ChineseCommand, help=(
    "汇总多个单位的工作簿（如全县各部门、乡镇），生成本级汇总工作簿。\n"
    "\n"
    "先逐个检查：有错误的工作簿不汇总（加 --allow-errors 仍汇总）；不同年度或格式版本的不能汇总。\n"
    "表格数字逐格相加并锁定；正文留空，由汇总单位填写；“汇总来源”表列出每个来源文件及其指纹。"
))
def merge_cmd(
    files: list[Path] = typer.Argument(..., help="要汇总的 .xlsx 工作簿（两个或更多）。", metavar="工作簿"),
    output: Path = typer.Option(..., "-o", "--output", help="汇总工作簿的文件名，如“汇总.xlsx”。"),
    org: str = typer.Option(..., "--org", help="汇总后的机关名称，如“某县人民政府”。"),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="有错误的工作簿也汇总。"),
    overwrite: bool = typer.Option(False, "--overwrite", help="输出文件已存在时覆盖。"),
    allow_duplicates: bool = typer.Option(False, "--allow-duplicates",
                                          help="同一机关同一年度的工作簿出现不止一次时仍然汇总（确属名称相同的不同单位时使用）。"),
    force: bool = typer.Option(False, "--force", hidden=True),
):
    def run():
        from . import api
        from .present import print_merge, print_refused
        from .rollup import Refused, expand_patterns

        allow = _renamed(force, "--force", "--allow-errors") or allow_errors
        try:
            path, outcomes = api.merge(expand_patterns(files), output, org, allow, overwrite,
                                       allow_duplicates=allow_duplicates)
        except Refused as exc:
            print_refused(exc.outcomes)
            raise
        print_merge(path, outcomes)
        return 0

    _run(run)


@app.command("batch", cls=ChineseCommand, help=(
    "批量检查并生成一个文件夹（含子文件夹）中的全部工作簿，并写出汇总页。\n"
    "\n"
    "多个工作簿并行处理；某个文件出错不影响其他文件。输出文件夹中的 index.html 和 summary.xlsx\n"
    "列出每个单位的结论（可以发布、须核实、不通过）、错误和提醒数及各文档的链接。有任何工作簿未通过时退出码为1。"
))
def batch_cmd(
    folder: Path = typer.Argument(..., help="存放各单位工作簿的文件夹。", metavar="文件夹"),
    outdir: Path = typer.Option(Path("outputs"), "-o", "--output", help="输出文件夹。"),
    jobs: Optional[int] = typer.Option(None, "--jobs", help="同时处理的数量（默认为处理器核数）。"),
    formats: Optional[str] = typer.Option(None, "--format", help=formats_help()),
    template: Optional[Path] = typer.Option(None, "--template", help=TEMPLATE_HELP, metavar="文件夹"),
    strict: bool = typer.Option(False, "--strict", help="结论为“须核实”（有未说明的提醒）的工作簿也算未通过（不生成年报文档），与 build --strict 相同。"),
    overwrite: bool = typer.Option(False, "--overwrite", help="输出文件夹中已有另一次批量处理的汇总页，或单位文件夹中已有另一份年报时覆盖"
                                   "（只替换 manifest.json 中记录的 reportc 文件，其他文件一律不动）。"),
):
    _run(lambda: verbs.batch(folder, outdir, jobs, formats, template, strict, overwrite))


@app.command("verify", cls=ChineseCommand, help=(
    "核对输出文件夹中的文件是否仍与生成时一致（按 manifest.json 中记录的大小和 SHA-256）。\n"
    "\n"
    "列出已改动、缺少和新增的报告文件；不是 reportc 输出文件名的其他文件只列出，不影响结果。\n"
    "退出码：0 全部一致；1 有不一致；2 没有 manifest.json 或无法读取。"
))
def verify_cmd(
    folder: Path = typer.Argument(..., help="reportc build 或 reportc batch 的输出文件夹。", metavar="文件夹"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 格式输出结果。"),
):
    def run():
        from . import api
        from .present import print_verification

        try:
            result = api.verify(folder)
        except CannotCheck as exc:
            if as_json:
                import json

                out(json.dumps({"folder": str(folder), "readable": False, "error": exc.message, "hint": exc.hint},
                               ensure_ascii=False, indent=2))
            raise
        if as_json:
            import json

            out(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            print_verification(result)
        return 0 if result.ok else 1

    _run(run)


@app.command("import", cls=ChineseCommand, help=(
    "把已发布的年报（网页、Word、带文字层的 PDF、Markdown 或 report.json）导入为填报工作簿。\n"
    "\n"
    "导入后用表格自身的合计关系核对读取结果：全部相符为“导入完成”；有不符或无法读取的数字时\n"
    "仍写出工作簿，在第一张表标注“存疑”并列出单元格，退出码1。无法导入时退出码2，不写工作簿。"
))
def import_cmd(
    file: Path = typer.Argument(..., help="已发布的年报文件（.html、.docx、.pdf、.md 或 report.json）。", metavar="年报文件"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出的工作簿；不填时命名为“机关名称-年度-导入.xlsx”，保存在当前文件夹。"),
    overwrite: bool = typer.Option(False, "--overwrite", help="输出文件已存在时覆盖。"),
):
    def run():
        from . import api
        from .present import print_import

        imported, path = api.import_report(file, output, overwrite)
        print_import(file, imported, path)
        return 1 if imported.doubt_lines() else 0

    _run(run)


@app.command("audit", cls=ChineseCommand, help=(
    "核对一个文件夹中全部已发布的年报（网页、Word、PDF），写出汇总页。\n"
    "\n"
    "每份年报先导入，再按年报格式核对：表格的合计关系、正文与表格是否一致、年度与格式版本。\n"
    "同一机关相邻两年的年报自动配对，做跨年度核对（规则S1–S4）。输出文件夹中的 index.html 和\n"
    "summary.xlsx 先列出“不通过”和“存疑”的年报。有任何年报不通过、存疑或无法读取时退出码为1\n"
    "（只有提醒的为“须核实”，不影响退出码）。"
))
def audit_cmd(
    folder: Path = typer.Argument(..., help="存放已发布年报（.html、.docx、.pdf）的文件夹。", metavar="文件夹"),
    outdir: Path = typer.Option(..., "-o", "--output", help="输出文件夹。"),
    jobs: Optional[int] = typer.Option(None, "--jobs", help="同时处理的数量（默认为处理器核数）。"),
):
    def run():
        from . import api
        from .audit_run import PASSED, VERIFY
        from .present import print_audit

        entries = api.audit(folder, outdir, jobs)
        print_audit(entries, outdir)
        return 1 if any(e.status not in (PASSED, VERIFY) for e in entries) else 0

    _run(run)


def _run(fn) -> None:
    """Run a command body (verbs.guard: Chinese messages, exit codes, never a traceback)."""
    raise typer.Exit(verbs.guard(fn))


def main(argv: list[str] | None = None) -> None:
    setup_console()
    try:
        code = app(args=argv, prog_name="reportc", standalone_mode=False)
    except UsageProblem as exc:
        err(f"错误：{exc}")
        code = 2
    except Exception as exc:
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # click usage errors
            from .usage import translate

            text, code = translate(exc)
            (out if code == 0 else err)(text.rstrip("\n"))
        elif type(exc).__name__ == "Abort":
            err("已中断。")
            code = 130
        else:
            if os.environ.get("REPORTC_DEBUG"):
                raise
            err(f"reportc 内部错误（{type(exc).__name__}：{exc}）。")
            code = 3
    sys.exit(code if isinstance(code, int) else 0)
