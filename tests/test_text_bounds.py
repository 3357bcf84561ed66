"""No text stalls a check: every reader of clerk text (numbers, the narrative checker, rule R5,
the opening) takes time linear in the text, whatever its characters.

Times are CPU time of this process (time.process_time), not wall-clock time: other processes
on a loaded machine do not make them fail, a quadratic reader still does (it took minutes)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import assert_no_traceback, run_cli
from reportc.narrative import MAX_NUMBERS, MAX_PARAGRAPH, missing_numbers, read_text
from reportc.numbers_zh import find_numbers
from reportc.opening import period_years, refresh
from reportc.spec import load_spec

sys.path.insert(0, str(Path(__file__).parent))
from make_hostile import good_workbook  # noqa: E402

EXCEL_CELL = 32767
SPEC = load_spec("2021")
VALUES = {k: 0 for t in SPEC.tables for k, _, _ in t.cells()}

# The cases that stalled `reportc check` for more than a minute (or 23 s, the last one).
STALLS = {
    "digits": "收到申请" + "1" * 100_000,
    "digits_unit": "收到申请" + "1" * 100_000 + "件",
    "point_digits": "收到申请1." + "1" * 100_000,
    "numerals": "一二三四五六七八九十百千万" * 8000,
    "percent": "同比增长" + "1" * 50_000 + "%",
    "groups": "收到申请1" + ",000" * 30_000,
}

# Pieces of numbers and of the phrases the checker looks for, in every form: digits, Chinese
# numerals, separators, units, %, spaces, brackets, clause marks, fillers, subjects, zero phrases.
TOKENS = ["1", "0", "9", ",", ".", "%", "％", "１", "件", "万", "亿", "余", "多", "约", "元", "万元", " ", "\u3000",
          "\u00a0", "\n", "一", "十", "百", "千", "零", "两", "〇", "（", "）", "(", ")", "，", "。", "；", "、", ":",
          "共计", "合计", "收到申请", "新收", "办结", "同比增长", "较上年减少", "占", "比例", "行政复议", "诉讼",
          "未发生", "均维持", "被", "予以", "其中市级", "2024年", "统计期限", "本报告由", "联系（", "下载。", "第", "文件"]


def _read_everything(text: str) -> None:
    read_text(SPEC, text, VALUES, year="2025")
    missing_numbers(text, ["收到", "办结", "主动公开"], ["件", "条", "次"])
    period_years(text)
    refresh(SPEC, {"info.org": "某局", "info.year": "2025"}, text)


def _cpu(fn, *args) -> float:
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


@given(pattern=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=8))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_excel_cell_is_read_in_linear_time(pattern):
    """A cell of Excel's full length made of any repeated mix of adversarial pieces is read
    (narrative, R5, opening, numbers) in well under 2 s of CPU (the target is 0.5 s, see
    benchmarks/text_bounds.py)."""
    unit = "".join(pattern)
    text = (unit * (EXCEL_CELL // len(unit) + 1))[:EXCEL_CELL]
    assert _cpu(_read_everything, text) <= 2.0, repr(unit)
    assert _cpu(find_numbers, text) <= 2.0, repr(unit)


@pytest.mark.parametrize("name", sorted(STALLS))
def test_the_texts_that_stalled_a_check_are_read_at_once(name):
    text = STALLS[name]
    assert _cpu(_read_everything, text) <= 2.0
    assert _cpu(find_numbers, text) <= 2.0


@pytest.mark.parametrize("unit", ["1", "一二三四五六七八九十百千万", "1,000", "1件", "收到申请1件，其中自然人1件。", "a。",
                                  "未发生行政复议。", "同比增长1%。", "（", "共计", "2024年统计期限"])
def test_a_megabyte_cell_is_read_within_two_seconds(unit):
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    assert _cpu(_read_everything, text) <= 2.0
    assert _cpu(find_numbers, text[:100_000]) <= 2.0


def test_a_run_longer_than_a_number_is_not_a_number():
    """A number has at most 20 digits; a longer run (a pasted code, a key held down) is not read."""
    assert [n.value for n in find_numbers("收到申请" + "1" * 20 + "件")] == [int("1" * 20)]
    assert find_numbers("收到申请" + "1" * 21 + "件") == []
    assert find_numbers("收到申请1" + ",000" * 6 + "件") == []
    assert [n.value for n in find_numbers("收到申请1,234,567件，办结一千二百三十四件")] == [1234567, 1234]


def test_where_reading_stops_is_said():
    """The budgets are never silent: a reading 未核对 says where and why reading stopped."""
    many = "收到申请1件，" * (MAX_NUMBERS + 20)
    readings = read_text(SPEC, many.replace("，", "。"), VALUES, year="2025")
    assert len(readings) <= MAX_NUMBERS + 1
    assert f"本段的数字超过{MAX_NUMBERS}个" in readings[-1].note
    long_sentence = "收到申请" + "，其中" * 600 + "自然人3件。"
    readings = read_text(SPEC, long_sentence, VALUES, year="2025")
    assert [(r.stated, r.note) for r in readings] == [("3", "句子超过1000字，未核对")]
    huge = "收到申请1件。" * (MAX_PARAGRAPH // 7 + 10)
    readings = read_text(SPEC, huge, VALUES, year="2025")
    assert "Excel 单元格的上限" in readings[-1].note


def _children_cpu() -> float:
    """CPU seconds used by this process's finished children (wall-clock seconds where that is unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_check_finishes_on_the_cells_that_stalled_it(tmp_path):
    """`reportc check` on a workbook whose narrative cells hold the texts that stalled it (more
    than a minute each before) answers, without a traceback, well within its 120 s timeout."""
    keys = ["s1__intro__1", "s1__intro__2", "s1__intro__3", "s5__intro__1", "s5__intro__2", "s6__intro__1"]
    cells = {key: STALLS[name][:EXCEL_CELL] for key, name in zip(keys, sorted(STALLS), strict=True)}
    path = tmp_path / "长文本.xlsx"
    path.write_bytes(good_workbook(**cells))
    before = _children_cpu()
    result = run_cli("check", path, cwd=tmp_path)
    used = _children_cpu() - before
    assert_no_traceback(result)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert used < 60, used  # CPU seconds of the check (a loaded machine stretches only the wall clock): before, it never finished
