"""Every HTML page reportc writes is a Jinja2 template (compiler/templates/*.j2).

Templates ship with the package; `--template DIR` puts a folder in front of them so a
portal can supply its own page chrome (any template of the same name in DIR wins).
Autoescaping is on and undefined variables are errors (StrictUndefined): a template
that names a variable reportc does not provide fails with a Chinese message naming
the template file and the variable, and nothing is written. Clerk text is only ever
passed in as data; markup reportc computes (the tables) is passed in as Markup.

CONTEXT below is the one description of what each page template receives; it
generates docs/模板说明.md (python -m reportc.docgen) and a test checks that every
shipped template uses only what it lists.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import UsageProblem

TEMPLATES = Path(__file__).resolve().parent / "templates"

_REPORT = [
    ("title", "字符串", "报告标题（基本信息“报告标题”，未填时自动生成）"),
    ("title_lines", "列表", "标题分行（每行不超过一行宽，末行不只剩一两个字；屏幕够宽时仍排成一行）"),
    ("org", "字符串", "机关名称"),
    ("year", "字符串", "报告年度，如“2025”"),
    ("edition", "字符串", "报告格式版本，如“2021”"),
    ("edition_name", "字符串", "报告格式名称，如“中华人民共和国政府信息公开工作年度报告格式”"),
    ("draft", "布尔值", "校验未通过而按 --draft 生成草稿时为真"),
    ("draft_mark", "字符串", "草稿标记文字“草稿（校验未通过）”"),
    ("generator", "字符串", "生成程序及版本，如“reportc 0.1.0”（只宜放在注释或 meta 中）"),
    ("id_prefix", "字符串", "元素 id 的前缀：report.html 为空；report-fragment.html 为本报告专用的前缀（如“rc2025-3fa9c2-”），"
                  "使片段的 id 不与网站页面或同页的另一份报告重复"),
    ("styles", "安全标记", "报告正文的样式表（report.html：整页样式；report-fragment.html：限定在 .reportc-report 内的样式）"),
    ("body", "安全标记", "报告正文：标题、开篇、六个部分、表格和落款（由 report-body.html.j2 生成）"),
    ("sections", "列表", "各部分，按报告顺序；每项有 id、title、heading（是否印标题，开篇为假）、"
                        "table（表格的安全标记或空）、paragraphs（段落列表，每段有 text 与 level："
                        "0 正文、2 “（一）”小标题、3 “1.”标题）"),
    ("contact", "字典", "基本信息中的联系信息：联系单位、联系地址、邮政编码、联系电话、电子邮箱、电子版发布网站（标签→内容）"),
    ("signature", "列表", "落款各行（署名、发布日期），每行有 text 与 indent（距右边的字数：日期右空四字，署名以日期居中）；"
                          "未填写时为空列表"),
]

CONTEXT: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "report.html.j2": ("report.html：可直接发布的整页", _REPORT),
    "report-fragment.html.j2": ("report-fragment.html：只含正文的片段（样式限定在 .reportc-report 内），供粘贴到网站内容管理系统",
                                _REPORT),
    "report-body.html.j2": ("报告正文（上面两个页面都通过 body 使用它）", [
        v for v in _REPORT if v[0] not in ("body", "styles")]),
    "page.html.j2": ("validation.html 与 index.html 共用的页面外框：替换它即可给这两页换上网站的页头页尾"
                     "（正文在块 content 中）", [
        ("title", "字符串", "页面标题"),
        ("styles", "安全标记", "校验报告与汇总页共用的样式表"),
        ("generator", "字符串", "生成程序及版本"),
    ]),
    "validation.html.j2": ("validation.html：校验报告", [
        ("title", "字符串", "页面标题，如“校验报告：青山县民政局2025年政府信息公开工作年度报告”"),
        ("styles", "安全标记", "校验报告与汇总页共用的样式表"),
        ("passed", "布尔值", "可以生成年报文档时为真（结论为“可以发布”或“须核实”；加 --strict 时“须核实”为假）"),
        ("verdict", "字符串", "结论：“不通过”（有错误）、“须核实”（没有错误，有未说明的提醒）或“可以发布”（没有错误，提醒均已说明或没有提醒）"),
        ("verdict_text", "字符串", "结论后的说明，如“没有错误，提醒3项，均已说明。”"),
        ("verdict_css", "字符串", "结论的样式类：error、warning（须核实，琥珀色）或 pass"),
        ("report_title", "字符串", "报告标题，如“青山县民政局2025年政府信息公开工作年度报告”"),
        ("counts", "字典", "各级别问题数：error、warning、info，以及 explained（已在“情况说明”表说明的提醒数）"),
        ("file", "字符串", "工作簿文件名"),
        ("sha256", "字符串", "工作簿的 SHA-256"),
        ("outputs", "列表", "审核签发栏列出的输出文件（validation.html 本身除外）：每项有 name、size（字节）、sha256"),
        ("signers", "列表", "审核签发栏的签字人：经办人、审核人、签发人"),
        ("edition", "字符串", "报告格式版本"),
        ("generator", "字符串", "生成程序及版本"),
        ("findings", "列表", "发现的问题；每项有 severity、severity_word、rule（如“D6”）、rule_tag（如“规则D6”）、location、message、left（填写值）、right（应为）、caused_by（可能引起它的单元格的发现，或空）、caused_note、"
                             "explanation（“情况说明”表中对它的说明，或空）、explanation_cell（说明所在单元格）"),
        ("checks", "列表", "全部检查；每项有 rule、rule_tag、title、target、location、left（填写值）、right（应为）、status、css"),
        ("numbers", "列表", "正文中的数字（规则S6）：每项有 cell（正文单元格）、sentence、before、number、after（句子以数字分成三段）、"
                            "value、subject（对应的表格项目）、cells、expected（表中为）、verdict（✓、✗ 或 未核对）、css、note"),
    ]),
    "index.html.j2": ("index.html：reportc batch 的汇总页", [
        ("title", "字符串", "页面标题"),
        ("styles", "安全标记", "校验报告与汇总页共用的样式表"),
        ("counts", "字典", "各结论的文件数：可以发布、须核实、不通过、无法读取"),
        ("total", "整数", "文件总数"),
        ("skipped", "整数", "跳过的文件数（以“.”或“~$”开头的工作簿）"),
        ("duplicates", "整数", "与其他文件属同一机关同一年度的文件数"),
        ("entries", "列表", "每个工作簿一项：number、org、year、file、status（结论：可以发布、须核实、不通过，或无法读取、跳过）、"
                          "css、errors、warnings、explained（已说明的提醒数）、blocked（未生成年报文档时为真）、message、"
                          "duplicate（重复时为“重复”，否则为空）、links（每项有 href 与 text）"),
        ("generator", "字符串", "生成程序及版本"),
    ]),
    "audit.html.j2": ("index.html：reportc audit 的核对汇总页", [
        ("title", "字符串", "页面标题"),
        ("styles", "安全标记", "校验报告与汇总页共用的样式表"),
        ("counts", "字典", "各状态的年报数：不通过、存疑、须核实、可以发布、无法读取"),
        ("total", "整数", "年报总数"),
        ("entries", "列表", "每份年报一项：number、org、year、file、status、css、edition、errors、warnings、message、"
                          "links（每项有 href 与 text）"),
        ("generator", "字符串", "生成程序及版本"),
    ]),
}


# validation.json (and `reportc check --json`): the same data validation.html renders
VALIDATION_JSON = [
    ("reportc", "字符串", "生成它的 reportc 版本"),
    ("file", "字符串", "工作簿文件名"),
    ("sha256", "字符串", "工作簿的 SHA-256"),
    ("org", "字符串", "机关名称"),
    ("year", "字符串", "报告年度"),
    ("edition", "字符串", "报告格式版本"),
    ("verdict", "字符串", "结论：“不通过”（有错误）、“须核实”（没有错误，有未说明的提醒）或“可以发布”（没有错误，提醒均已说明或没有提醒）"),
    ("passed", "布尔值", "可以生成年报文档时为真（不通过时为假；加 --strict 时须核实也为假）"),
    ("strict", "布尔值", "只在加了 --strict 时出现，为真"),
    ("counts", "字典", "error、warning、info：各级别问题数；explained：已在“情况说明”表说明的提醒数"),
    ("explanations", "列表", "“情况说明”表中填写的各行：row（第几行）、rule、location、text（照填写的原样）、cell（说明所在单元格）"),
    ("previous", "字典或空", "跨年度核对用的上年工作簿及核对了哪些规则"),
    ("findings", "列表", "发现的问题：rule、rule_tag、severity、location、message、left、right、caused_by、"
                         "explanation（它的情况说明，或 null）、explanation_cell"),
    ("checks", "列表", "全部检查：rule、severity、title、target、location、left、right、status"),
    ("narrative_numbers", "列表", "正文中的数字：每个读到的数字、对应的表格项目和结果（✓、✗、未核对）"),
]


def check_template_dir(folder: Path | None) -> Path | None:
    if folder is None:
        return None
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageProblem(f"找不到模板文件夹：{folder}")
    known = set(CONTEXT)
    if not any((folder / name).is_file() for name in known):
        raise UsageProblem(f"模板文件夹“{folder}”中没有可用的页面模板；可以放入：{'、'.join(sorted(known))}。"
                           "说明见 docs/模板说明.md。")
    return folder


# The render budget of one page (stated in docs/模板说明.md): a template that runs longer or writes
# more is stopped, and nothing is written. reportc's own pages take milliseconds and a few hundred KB.
RENDER_SECONDS = 10
RENDER_CHARS = 50_000_000  # characters of one page (about 50 MB of HTML)
MAX_RANGE = 100_000  # the largest range() a template may make
MAX_POWER = 1000  # the largest exponent of ** in a template


def _small_range(*args) -> bool:
    try:
        return len(range(*args)) <= MAX_RANGE
    except OverflowError:  # longer than the machine can count
        return False
    except TypeError:
        return True  # range() itself says what is wrong


class _OverBudget(Exception):
    """A template ran longer or wrote more than the render budget allows."""


class _Escapes(Exception):
    """A template of the folder is a link to a file outside it."""


def _environment(folder: Path | None):
    """reportc's own templates (folder None), or a --template folder's before ours."""
    import jinja2

    options = dict(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                   trim_blocks=True, lstrip_blocks=True)
    own = jinja2.FileSystemLoader(str(TEMPLATES), encoding="utf-8")
    if folder is None:
        env = _Trusted(jinja2)(loader=own, bytecode_cache=_bytecode_cache(jinja2), **options)
    else:
        env = _Sandbox(jinja2)(loader=jinja2.ChoiceLoader([_ContainedLoader(jinja2)(str(folder), encoding="utf-8"),
                                                          own]), **options)
    env.globals["range"] = range  # checked in Sandbox.call
    env.filters["breakable"] = breakable
    return env


def _Trusted(jinja2):  # noqa: N802 (a class made on demand: jinja2 is imported only when a page is made)
    class Trusted(jinja2.Environment):
        """reportc's own templates: written by us, so neither sandboxed nor budgeted (the sandbox's
        checks on every attribute and the budget's on every piece were a tenth of a build). What a
        workbook holds reaches them only as context values, which autoescape writes as text."""

        budgeted = False

    return Trusted


def _ContainedLoader(jinja2):  # noqa: N802
    class ContainedLoader(jinja2.FileSystemLoader):
        """The template folder's files, never a file a link in it points to outside it (like ../)."""

        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            root = Path(self.searchpath[0]).resolve()
            if filename and root not in Path(filename).resolve().parents:
                raise _Escapes(template)
            return source, filename, uptodate

    return ContainedLoader


def _Sandbox(jinja2):  # noqa: N802
    """A --template folder's templates: sandboxed, and stopped when over the render budget."""
    import time

    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})
        budgeted = True
        deadline = float("inf")

        def tick(self) -> None:
            if time.monotonic() > self.deadline:
                raise _OverBudget(f"用时超过{RENDER_SECONDS}秒")

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja2's signature)
            __self.tick()
            if __obj is range and not _small_range(*args):
                raise _OverBudget(f"range() 超过{MAX_RANGE}项")
            return super().call(__context, __obj, *args, **kwargs)

        def call_binop(self, context, operator, left, right):
            self.tick()
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > RENDER_CHARS:
                        raise _OverBudget(f"乘出的结果超过{RENDER_CHARS}项")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_POWER:
                raise _OverBudget(f"乘方的指数超过{MAX_POWER}")
            return super().call_binop(context, operator, left, right)

    return Sandbox


def _bytecode_cache(jinja2):
    """reportc's own templates compiled once, kept in the user's cache folder (compiling them is a
    tenth of a build). Keyed by reportc's and Jinja2's versions; Jinja2 itself checks each template's
    source against its checksum. A folder that cannot be used means no cache, never an error.
    (A --template folder's templates are always compiled afresh.)"""
    from . import __version__
    from .usercache import cache_dir

    class QuietCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket):
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001  (unreadable or corrupt: compiled again)
                bucket.reset()

        def dump_bytecode(self, bucket):
            try:
                Path(self.directory).mkdir(parents=True, exist_ok=True)
                super().dump_bytecode(bucket)
            except Exception:  # noqa: BLE001  (read-only or full disk: not kept)
                pass

    try:
        folder = cache_dir() / f"templates-{__version__}-{jinja2.__version__}"
        return QuietCache(str(folder), "%s.cache")
    except Exception:  # noqa: BLE001
        return None


def _stream(env, name: str, context: dict) -> str:
    """The page, rendered piece by piece within the render budget."""
    import time

    if not env.budgeted:  # reportc's own templates
        return env.get_template(name).render(**context)
    env.deadline = time.monotonic() + RENDER_SECONDS
    try:
        parts, size = [], 0
        for part in env.get_template(name).generate(**context):
            size += len(part)
            if size > RENDER_CHARS:
                raise _OverBudget(f"页面超过{RENDER_CHARS // 1_000_000}百万字符")
            env.tick()
            parts.append(part)
        return "".join(parts)
    finally:
        env.deadline = float("inf")


_ENVS: dict = {}


def render(name: str, context: dict, folder: Path | None = None) -> str:
    """Render one page template; a template problem becomes a Chinese UsageProblem (exit 2)."""
    import jinja2

    key = str(folder) if folder else None
    env = _ENVS.get(key) or _ENVS.setdefault(key, _environment(folder))
    try:
        return _stream(env, name, context)
    except _Escapes as exc:
        raise UsageProblem(f"页面模板 {exc} 是指向模板文件夹以外的链接，不予使用（与“../”一样），没有生成任何文件。") from None
    except _OverBudget as exc:
        file, line = _template_frame(exc, name)
        raise UsageProblem(
            f"页面模板 {file}{f' 第{line}行' if line else ''}超出了生成预算（{exc}），已停止，没有生成任何文件。"
            f"预算见 docs/模板说明.md。") from None
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(exc)
        m = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        var = (m.group(1) or m.group(2)) if m else str(exc)
        raise UsageProblem(
            f"页面模板 {file}{f' 第{line}行' if line else ''}引用了不存在的变量“{var}”，没有生成任何文件。"
            f"该模板可用的变量见 docs/模板说明.md。") from None
    except jinja2.TemplateSyntaxError as exc:
        raise UsageProblem(f"页面模板 {exc.filename or exc.name} 第{exc.lineno}行有语法错误（{exc.message}），"
                           "没有生成任何文件。") from None
    except jinja2.TemplateError as exc:
        raise UsageProblem(f"页面模板 {name} 无法使用（{exc}），没有生成任何文件。") from None
    except UsageProblem:
        raise
    except Exception as exc:  # the template itself fails: 1/0, body + 1, endless recursion
        file, line = _template_frame(exc, name)
        what = "模板递归调用自身（include 或宏）没有尽头" if isinstance(exc, RecursionError) else (
            f"{type(exc).__name__}：{str(exc)[:200]}")
        raise UsageProblem(
            f"页面模板 {file}{f' 第{line}行' if line else ''}在生成页面时出错（{what}），没有生成任何文件。") from None


def _template_frame(exc: BaseException, default: str = "（未知模板）") -> tuple[str, int | None]:
    """The template file and line an error was raised in (jinja2 rewrites tracebacks to them)."""
    found: tuple[str, int | None] = ("", None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found if found[0] else (default, None)


# A long run without break opportunities (e-mail address, URL, long number) pushes itself to
# the next line and leaves the justified line before it stretched: offer breaks inside it.
LONG_RUN = re.compile(r"[A-Za-z0-9@._:/?&=%#+~-]{16,}")
BREAK_AFTER = re.compile(r"([@./?&=_-])")


def breakable(text) -> object:
    """Escape text and add <wbr> break opportunities inside long Latin runs."""
    from markupsafe import Markup, escape

    out, last = [], 0
    text = str(text)
    for m in LONG_RUN.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(BREAK_AFTER.sub(r"\1<wbr>", str(escape(m.group(0)))))
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def context_markdown() -> str:
    lines = [
        "# 页面模板说明",
        "",
        "<!-- 本文件由 `python -m reportc.docgen` 根据 compiler/pages.py 中的说明生成，请勿手工修改。 -->",
        "",
        "reportc 的每个网页（report.html、report-fragment.html、validation.html、批量汇总页 index.html）",
        "都由 Jinja2 模板生成，模板随程序安装（compiler/templates/）。网站可以用自己的页面外观：",
        "",
        "1. 新建一个文件夹，放入与下表同名的模板文件（只放要替换的即可，其余仍用自带模板）；",
        "2. 生成时加 `--template 文件夹`，如 `reportc build 年报.xlsx --template 门户模板`（`reportc batch` 同样可用）。",
        "",
        "自己的 report.html.j2 最简单的写法是保留网站的页头页尾，在正文位置写 `{{ body }}`，在 `<head>` 中写",
        "`<style>{{ styles }}</style>`。",
        "",
        "规则：",
        "",
        "- 所有变量自动转义（autoescape）；表格和正文（body、table）由 reportc 生成为安全标记，原样插入。",
        "- 填报人员写的文字只作为数据传入，从不当作模板执行。",
        "- 模板引用了下表没有的变量时，生成失败（退出码 2），提示模板文件和变量名，不写出任何文件。",
        "- 模板在沙箱中执行，不能调用程序内部的方法。",
        "- 模板在生成页面时出错（如除以零、`{{ body + 1 }}`、无尽的递归 include 或宏），生成失败（退出码 2），"
        "提示模板文件和行号，不写出任何文件。",
        f"- 生成预算：每个页面用时不超过 {RENDER_SECONDS} 秒、不超过 {RENDER_CHARS // 1_000_000} 百万字符；"
        f"`range()` 不超过 {MAX_RANGE} 项，乘方的指数不超过 {MAX_POWER}。超出预算的模板被停止（退出码 2），不写出任何文件。",
        "- 模板文件夹中指向文件夹以外的链接（符号链接）与 `../` 一样不予使用（退出码 2）。",
        "- 过滤器 `breakable`：转义文字并在电子邮箱、网址等长串中加入换行点，避免两端对齐时字距被拉开。",
        "",
    ]
    for name, (what, variables) in CONTEXT.items():
        lines += [f"## {name}", "", what, "", "| 变量 | 类型 | 内容 |", "| --- | --- | --- |"]
        lines += [f"| `{v}` | {kind} | {text} |" for v, kind, text in variables]
        lines.append("")
    lines += ["## validation.json", "", "校验报告的数据（`reportc check --json` 输出同样的内容），供程序读取：", "",
              "| 键 | 类型 | 内容 |", "| --- | --- | --- |"]
    lines += [f"| `{k}` | {kind} | {text} |" for k, kind, text in VALIDATION_JSON]
    lines.append("")
    return "\n".join(lines)
