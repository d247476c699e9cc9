"""The command line's refusals and Ctrl-C: one line in English, one in Chinese, no traceback."""

import gc
import io
import signal
import subprocess
import sys
import time
import weakref
from types import SimpleNamespace

import pytest
from conftest import REPO
from test_cli import longtu

from longtu.cli.common import ProgressBar
from longtu.cli.interrupt import catching_ctrl_c, interrupted


def _two_lines(stderr: str) -> tuple[str, str]:
    """The refusal's English and Chinese lines (the last two lines of stderr)."""
    english, chinese = stderr.strip().splitlines()[-2:]
    return english, chinese


def test_an_option_argparse_refuses_is_said_in_both_languages():
    run = longtu("pdf", "page", "--paper", "A9", "--out", "x.pdf")
    english, chinese = _two_lines(run.stderr)
    assert run.returncode == 2
    assert english.endswith("argument --paper: invalid choice: 'A9' (choose from 'A4', 'A3')")
    assert chinese == "longtu pdf page: 错误：参数 --paper 的值 'A9' 无效，可选：'A4', 'A3'。"


def test_a_missing_option_and_a_bad_number_are_said_in_both_languages():
    run = longtu("suitability", "--out", "x")
    assert _two_lines(run.stderr)[1] == "longtu suitability: 错误：缺少必需的参数：--industry。"
    run = longtu("suitability", "--industry", "pv", "--top-n", "ten", "--out", "x")
    assert _two_lines(run.stderr)[1].endswith("参数 --top-n 的值 'ten' 不是有效的整数。")


def test_a_path_the_file_system_refuses_is_said_in_both_languages():
    run = longtu("analyze", "clustering", "--out", "/proc/longtu-cannot-write-here")
    english, chinese = _two_lines(run.stderr)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert english.startswith("longtu: error: ") and chinese.startswith("longtu: 错误：")
    assert english.startswith("longtu: error: /proc/longtu-cannot-write-here: ")
    assert chinese.startswith("longtu: 错误：/proc/longtu-cannot-write-here：")
    assert chinese.endswith("请检查路径（及其所在的文件夹是否存在）。") or "权限" in chinese


def test_an_output_under_a_file_is_refused_in_both_languages(tmp_path):
    afile = tmp_path / "a.txt"
    afile.write_text("not a folder", encoding="utf-8")
    run = longtu("layers", "export", "province", "--out", str(afile / "p.gpkg"))
    english, chinese = _two_lines(run.stderr)
    assert english.endswith(f"{afile} is a file, not a folder; choose another path.")
    expected = f"--out {afile / 'p.gpkg'}：{afile} 是文件而不是文件夹；请换一个路径。"
    assert chinese == "longtu: 错误：" + expected


def test_ctrl_c_ends_in_one_line_each_and_leaves_no_file(tmp_path):
    """Ctrl-C while the briefing book is drawn: status 130, no traceback, no PDF, no temp file."""
    out = tmp_path / "briefing.pdf"
    proc = subprocess.Popen(
        [sys.executable, "-m", "longtu", "pdf", "--out", str(out)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(4)  # past start-up, into the drawing (the book takes 10 s of CPU or more)
    assert proc.poll() is None, "the briefing book was done before Ctrl-C could be tested"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines()[-2:] == [
        "longtu: interrupted (Ctrl-C); no output was left half-written.",
        "longtu: 已中断（Ctrl-C）；没有留下写了一半的输出文件。",
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_report_of_another_format_is_refused_before_any_layer_is_read(tmp_path):
    """The report's name is checked first: the (missing) layer is never opened."""
    run = longtu("constraints", "check", str(tmp_path / "not-there.gpkg"), "--out", "r.shp")
    assert run.returncode == 2 and "skipped" not in run.stderr
    assert _two_lines(run.stderr) == (
        "longtu: error: `out` must end in .gpkg or .parquet; got `r.shp`.",
        "longtu: 错误：报告文件（--out）须以 .gpkg 或 .parquet 结尾，而不是 r.shp。",
    )


def test_a_ctrl_c_python_swallows_still_stops_the_work_at_the_next_step(monkeypatch):
    """Ctrl-C in a weak-reference callback: Python drops it ("Exception ignored"); we do not.

    The callback runs when its object is collected, as the garbage collector does at any
    moment in a long command; the signal is raised inside it, as a real Ctrl-C would be.
    """

    class Drawing:
        pass

    shown: list[type[BaseException]] = []  # what Python would print as "Exception ignored"
    monkeypatch.setattr(sys, "unraisablehook", lambda u: shown.append(u.exc_type))
    bar = ProgressBar("briefing", stream=io.StringIO())
    with catching_ctrl_c():
        drawing = Drawing()
        watch = weakref.ref(drawing, lambda _: signal.raise_signal(signal.SIGINT))
        del drawing  # the KeyboardInterrupt raised in the callback is lost to Python...
        gc.collect()
        assert watch() is None and interrupted()
        assert shown == []  # ...and its traceback not printed (another ignored error would be)
        sys.unraisablehook(SimpleNamespace(exc_type=OSError))
        assert shown == [OSError]
        with pytest.raises(KeyboardInterrupt):
            bar(1, 9)  # the next step of the work stops on it
