"""argparse's refusals of a command line, with the same facts in Chinese on a line of their own.

argparse words its refusals in English (``the following arguments are required: --out``);
:func:`usage_error_zh` gives the Chinese of the ones a person meets, so the CLI ends a refusal
as it ends every other error: ``longtu: error: …`` then ``longtu: 错误：…``.
"""

from __future__ import annotations

import re

__all__ = ["usage_error_zh"]

#: argparse's messages (Python 3.10-3.13) and their Chinese; groups carry the names and values.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (?P<names>.+)", "缺少必需的参数：{names}。"),
    (r"unrecognized arguments: (?P<names>.+)", "无法识别的参数：{names}；用 -h 查看可用的选项。"),
    (
        r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<options>.+)\)",
        "参数 {arg} 的值 {value} 无效，可选：{options}。",
    ),
    (
        r"argument (?P<arg>\S+): invalid (?P<kind>\w+) value: (?P<value>.+)",
        "参数 {arg} 的值 {value} 不是有效的{kind_zh}。",
    ),
    (r"argument (?P<arg>\S+): expected one argument", "参数 {arg} 后面需要一个值。"),
    (r"argument (?P<arg>\S+): expected at least one argument", "参数 {arg} 后面至少需要一个值。"),
    (
        r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)",
        "参数 {arg} 不能与 {other} 同时使用。",
    ),
    (r"one of the arguments (?P<names>.+) is required", "需要以下参数之一：{names}。"),
    (
        r"ambiguous option: (?P<option>\S+) could match (?P<names>.+)",
        "选项 {option} 有歧义，可能是：{names}。",
    ),
)
_KINDS = {"float": "数值", "int": "整数", "str": "文字"}


def usage_error_zh(message: str) -> str | None:
    """The Chinese of argparse's refusal `message`, or None for one not known here.

    Examples
    --------
    >>> usage_error_zh("the following arguments are required: --out")
    '缺少必需的参数：--out。'
    >>> usage_error_zh("argument --top-n: invalid int value: 'ten'")
    "参数 --top-n 的值 'ten' 不是有效的整数。"
    >>> usage_error_zh("argument kind: invalid choice: 'x' (choose from 'a', 'b')")
    "参数 kind 的值 'x' 无效，可选：'a', 'b'。"
    >>> print(usage_error_zh("something argparse never says"))
    None
    """
    for pattern, chinese in _PATTERNS:
        found = re.fullmatch(pattern, message.strip())
        if found:
            words = found.groupdict()
            kind = words.get("kind")
            return chinese.format(**words, kind_zh=_KINDS.get(kind or "", kind or ""))
    return None
