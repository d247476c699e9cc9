"""The ``--help`` of ``longtu`` in Chinese first, English beside.

:func:`zh_en` pairs the two languages of one help text; :class:`LongtuParser` is the argument
parser of every command and sub-command: its ``-h`` says what it does in both languages, and its
:class:`BilingualHelpFormatter` puts argparse's own words (``usage:``, ``options:``,
``positional arguments:``) in both languages and wraps lines by the columns a terminal gives
them (a Chinese character takes two), breaking between Chinese characters where needed.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import Any, NoReturn

HELP_OF_HELP = "显示此帮助并退出 / show this help message and exit"
#: argparse's section headings and their bilingual form.
HEADINGS = {
    "positional arguments": "位置参数 positional arguments",
    "options": "选项 options",
}
USAGE_PREFIX = "用法 usage: "
#: closing punctuation stays at the end of a line, opening at its start.
CLOSING = set("，。；：、）》」”’！？,.;:)]}%")
OPENING = set("（《「“‘([{")


def zh_en(zh: str, en: str) -> str:
    """One help text in Chinese first, then English: ``"中文 / English"``.

    Examples
    --------
    >>> zh_en("输出文件夹", "output folder")
    '输出文件夹 / output folder'
    """
    return f"{zh} / {en}"


def zh_en_paragraphs(zh: str, en: str) -> str:
    """A help text of several sentences: a Chinese paragraph, then an English one.

    Examples
    --------
    >>> print(zh_en_paragraphs("先裁剪。", "Clip first."))
    先裁剪。
    <BLANKLINE>
    Clip first.
    """
    return f"{zh}\n\n{en}"


def add_command(
    sub: argparse._SubParsersAction, name: str, zh: str, en: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """Add sub-command `name`: its line in the list and its own description, zh then en."""
    text = zh_en(zh, en)
    parser: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text, **kwargs)
    return parser


def display_width(text: str) -> int:
    """Width of `text` in a terminal: Chinese (full-width) characters take two columns.

    Examples
    --------
    >>> display_width("甘肃 Gansu")
    10
    """
    return sum(2 if _is_wide(ch) else 1 for ch in text)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _atoms(word: str) -> list[str]:
    """The pieces of a word (no spaces) a line may break between.

    A line may break before and after each Chinese character, but not before closing
    punctuation, nor after opening punctuation, nor inside a run of Latin letters.

    Examples
    --------
    >>> _atoms("报告（或.gpkg）；CSV")
    ['报', '告', '（或.gpkg）；', 'CSV']
    """
    atoms: list[str] = []
    for ch in word:
        last = atoms[-1][-1] if atoms else ""
        joins = bool(last) and (
            ch in CLOSING or last in OPENING or not (_is_wide(ch) or _is_wide(last))
        )
        if joins:
            atoms[-1] += ch
        else:
            atoms.append(ch)
    return atoms


def wrap_columns(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns (Chinese characters take two).

    Whitespace runs become one space; lines break at spaces and between Chinese characters
    (not before closing nor after opening punctuation, nor before the ``/`` between the two
    languages); a piece wider than `width` on its own is cut.

    Examples
    --------
    >>> wrap_columns("输出文件夹 / output folder", 14)
    ['输出文件夹 /', 'output folder']
    >>> wrap_columns("报告写在旁边 / report", 9)
    ['报告写在', '旁边 /', 'report']
    """
    lines: list[str] = []
    line = ""
    for gap, atom in _pieces(text):
        if line and display_width(line + gap + atom) > width:
            lines.append(line)
            line = ""
        if line:
            line += gap + atom
            continue
        while display_width(atom) > width:  # one piece wider than a line: cut it
            head = _cut(atom, width)
            lines.append(head)
            atom = atom[len(head) :]
        line = atom
    return [*lines, line] if line else lines


def _pieces(text: str) -> list[tuple[str, str]]:
    """The pieces of `text` a line may break between, each with the space before it."""
    pieces: list[tuple[str, str]] = []
    for word in text.split():
        if word == "/" and pieces:  # the separator of zh / en ends a line, never starts one
            gap, atom = pieces[-1]
            pieces[-1] = (gap, f"{atom} /")
            continue
        pieces += [(" " if i == 0 else "", atom) for i, atom in enumerate(_atoms(word))]
    return pieces


def _cut(atom: str, width: int) -> str:
    """The longest start of `atom` that fits in `width` columns (at least one character)."""
    end = 1
    while end < len(atom) and display_width(atom[: end + 1]) <= width:
        end += 1
    return atom[:end]


class BilingualHelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter with its own words in Chinese and English, wrapped by columns."""

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        # argparse aligns the usage by len(prefix): lay it out with an ASCII prefix as wide as
        # the bilingual one, then put the bilingual one in its place.
        stand_in = "usage:".ljust(display_width(USAGE_PREFIX))
        text = super()._format_usage(usage, actions, groups, stand_in)
        return text.replace(stand_in, USAGE_PREFIX, 1)

    def start_section(self, heading: str | None) -> None:
        """Start a section of the help under its heading, argparse's own in both languages."""
        super().start_section(HEADINGS.get(heading, heading) if heading else heading)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_columns(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        """`text` (a description or an epilog) wrapped; paragraphs apart by a blank line."""
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        wrapped = (wrap_columns(p, width - len(indent)) for p in paragraphs)
        return "\n\n".join("\n".join(indent + line for line in lines) for lines in wrapped)


class LongtuParser(argparse.ArgumentParser):
    """The argument parser of ``longtu`` and each of its sub-commands, with bilingual help.

    Sub-command parsers are made by the same class (``add_subparsers`` uses the parser's own
    class), so every ``--help`` is formatted by :class:`BilingualHelpFormatter`.

    Examples
    --------
    >>> parser = LongtuParser(prog="demo", description=zh_en("示例", "a demo"))
    >>> help_text = parser.format_help()
    >>> help_text.splitlines()[0]
    '用法 usage: demo [-h]'
    >>> HELP_OF_HELP in help_text and "选项 options:" in help_text
    True
    """

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", BilingualHelpFormatter)
        kwargs["add_help"] = False  # added below, with its help in both languages
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_OF_HELP
            )

    def error(self, message: str) -> NoReturn:
        """Refuse the command line: usage, then the refusal in English and, known, in Chinese."""
        from longtu.cli.usage_errors import usage_error_zh

        self.print_usage(sys.stderr)
        zh = usage_error_zh(message)
        chinese = f"{self.prog}: 错误：{zh}\n" if zh else ""
        self.exit(2, f"{self.prog}: error: {message}\n{chinese}")
