"""Generate the reference parts of docs/ from the specifications and the CLI.

    python -m reportc.docgen        # rewrite docs/规则一览.md, docs/命令参考.md and docs/模板说明.md

Tests fail when the committed files differ from what this produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .edition import load_edition
from .spec import available_editions

SEVERITY = {"error": "错误", "warning": "提醒", "info": "说明"}


def rules_markdown() -> str:
    lines = [
        "# 规则一览",
        "",
        "<!-- 本文件由 `python -m reportc.docgen` 根据 xlsx_templates/ 中的规范生成，请勿手工修改。 -->",
        "",
        "每条规则有一个固定编号，工作簿“校验”表、`reportc check` 的输出、validation.json 和本文使用同一编号。",
        "“校验表”一栏为“是”的规则在工作簿中随填报实时计算；其余规则只由 reportc 检查。",
        "",
    ]
    for edition in available_editions():
        spec = load_edition(edition).spec
        lines += [f"## {edition}版：《{spec.name}》（{spec.document}）", "",
                  "| 编号 | 级别 | 检查内容 | 校验表 |", "| --- | --- | --- | --- |"]
        from .kinds import kind_of

        for rule in sorted(spec.rules, key=lambda r: spec.rule_rank(r.id)):
            in_sheet = "是" if kind_of(rule).in_sheet else "否"
            lines.append(f"| {rule.id} | {SEVERITY[rule.severity]} | {rule.title} | {in_sheet} |")
        lines.append("")
    from .kinds import KINDS

    lines += ["## 规则种类", "", "规范文件中每条规则的 `kind` 选择下列一种；其余参数由该种类规定，载入规范时逐项核对。", "",
              "| 种类 | 检查什么 | 校验表 | 参数 |", "| --- | --- | --- | --- |"]
    for name, kind in sorted(KINDS.items()):
        params = "；".join(f"`{k}`{'' if p.required else '（可选）'}：{p.doc}" for k, p in kind.params.items()) or "—"
        lines.append(f"| `{name}` | {kind.doc} | {'是' if kind.in_sheet else '否'} | {params} |")
    lines.append("")
    lines += [
        "读取单元格时还会报告：",
        "",
        "- 规则D6（错误）：数字单元格中的文字（“无”“—”“12件”）、以文本形式存放的数字（“1,520”、全角“１５２０”、带空格的“3 ”：表格的合计公式和“校验”表都不计入它们）、负数、件数中的小数、超过6位小数的金额、公式、逻辑值或错误值；说明中写明改正前该格按多少计算（如“按0计算”），由它引起的合计不符等问题列在它下面。",
        "",
    ]
    return "\n".join(lines)


def cli_markdown() -> str:
    from .cli import app
    from typer.main import get_command

    group = get_command(app)
    lines = ["# 命令参考", "", "<!-- 本文件由 `python -m reportc.docgen` 根据命令行程序生成，请勿手工修改。 -->", ""]

    def help_of(command, path):
        ctx = command.make_context(path, [], resilient_parsing=True)
        return command.get_help(ctx)

    lines += ["## reportc", "", "```", help_of(group, "reportc"), "```", ""]
    ctx = group.make_context("reportc", [], resilient_parsing=True)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        lines += [f"## reportc {name}", "", "```", help_of(cmd, f"reportc {name}"), "```", ""]
    return "\n".join(lines + formats_markdown())


def formats_markdown() -> list[str]:
    """The output formats of build and batch, from the renderer registry (reportc/renderers/)."""
    from .renderers import ALL_FORMATS, BY_NAME

    lines = ["## 输出格式（--format）", "", "`reportc build` 和 `reportc batch` 的 `--format` 可选下列格式，用逗号分隔；"
             "校验报告（validation.html、validation.json）和 manifest.json 总是生成。", "",
             "| 格式 | 内容 | 文件 | 默认生成 |", "| --- | --- | --- | --- |"]
    for name in ALL_FORMATS:
        r = BY_NAME[name]
        files = "、".join(o.name for o in r.files)
        default = "是" if r.default else f"否（需要 {r.needs}）" if r.needs else "否"
        lines.append(f"| `{name}` | {r.label} | {files} | {default} |")
    return [*lines, ""]


def templates_markdown() -> str:
    from .pages import context_markdown

    return context_markdown()


DOCS = {"规则一览.md": rules_markdown, "命令参考.md": cli_markdown, "模板说明.md": templates_markdown}


def main(folder: Path) -> None:
    for name, make in DOCS.items():
        (folder / name).write_text(make(), encoding="utf-8")
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs"))
