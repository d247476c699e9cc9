"""Tables on printed pages: wrapped cells, ruled rows, paginated over as many pages as needed."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from longtu.maps.print.paths import page_of


def text_width_em(text: str) -> float:
    """Width of `text` in ems: CJK and full-width characters 1, others about 0.55.

    Examples
    --------
    >>> text_width_em("风电"), text_width_em("wind")
    (2.0, 2.2)
    """
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def wrap_cell(text: str, width_em: float) -> list[str]:
    """Wrap `text` into lines no wider than `width_em` (breaks at spaces when it can).

    Examples
    --------
    >>> wrap_cell("千万千瓦级风光互补发电基地", 6)
    ['千万千瓦级风', '光互补发电基', '地']
    >>> wrap_cell("wind power base", 7)
    ['wind power', 'base']
    """
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for token in _tokens(para):
            if line and text_width_em(line + token) > width_em:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
            while text_width_em(line) > width_em and len(line) > 1:
                cut = _cut(line, width_em)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    tokens, word = [], ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def _cut(line: str, width_em: float) -> int:
    for i in range(len(line), 0, -1):
        if text_width_em(line[:i]) <= width_em:
            return max(i, 1)
    return 1


def draw_table(
    ax: Axes,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    col_widths: Sequence[float],
    fontsize: float = 7.0,
) -> int:
    """Draw `rows` under `header` from the top of `ax`; return how many rows fitted.

    `col_widths` are fractions of the axes width. Rows that do not fit are left out (the
    caller puts them on the next page).
    """
    ax.axis("off")
    fig = page_of(ax)
    bbox = ax.get_position()
    width_pt = bbox.width * fig.get_figwidth() * 72
    height_pt = bbox.height * fig.get_figheight() * 72
    line_h = fontsize * 1.35 / height_pt
    y = 1.0
    y = _draw_row(ax, header, col_widths, y, line_h, fontsize, width_pt, bold=True)
    ax.add_line(Line2D([0, 1], [y, y], color="#333333", linewidth=0.8, transform=ax.transAxes))
    fitted = 0
    for row in rows:
        needed = (
            max(
                len(wrap_cell(c, _em(w, width_pt, fontsize)))
                for c, w in zip(row, col_widths, strict=True)
            )
            * line_h
            + line_h * 0.4
        )
        if y - needed < 0:
            break
        y = _draw_row(ax, row, col_widths, y, line_h, fontsize, width_pt)
        ax.add_line(Line2D([0, 1], [y, y], color="#cccccc", linewidth=0.4, transform=ax.transAxes))
        fitted += 1
    ax.add_line(Line2D([0, 1], [1, 1], color="#333333", linewidth=0.8, transform=ax.transAxes))
    return fitted


def _em(width_frac: float, width_pt: float, fontsize: float) -> float:
    return max(width_frac * width_pt / fontsize - 1.5, 1.0)


def _draw_row(ax, cells, col_widths, y, line_h, fontsize, width_pt, *, bold=False) -> float:
    x, n_lines = 0.0, 1
    for cell, w in zip(cells, col_widths, strict=True):
        lines = wrap_cell(cell, _em(w, width_pt, fontsize))
        n_lines = max(n_lines, len(lines))
        ax.text(
            x + 0.005,
            y - line_h * 0.2,
            "\n".join(lines),
            transform=ax.transAxes,
            fontsize=fontsize,
            va="top",
            ha="left",
            linespacing=1.2,
            color="#000000" if bold else "#222222",
        )
        x += w
    new_y = y - n_lines * line_h - line_h * 0.4
    if bold:
        ax.add_patch(
            Rectangle(
                (0, new_y),
                1,
                y - new_y,
                transform=ax.transAxes,
                facecolor="#e8ecef",
                edgecolor="none",
                zorder=0,
            )
        )
    return new_y


def table_pages(
    figsize: tuple[float, float],
    *,
    title_zh: str,
    title_en: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    col_widths: Sequence[float],
    intro: str = "",
    notes: str = "",
    date: dt.date | None = None,
    fontsize: float = 7.0,
) -> list[Figure]:
    """Figures of a table with its title, intro lines and notes, over as many pages as needed.

    Examples
    --------
    >>> figs = table_pages((8.27, 11.69), title_zh="表", title_en="Table", header=["a", "b"],
    ...                    rows=[["1", "2"]] * 200, col_widths=[0.5, 0.5])
    >>> len(figs) > 1
    True
    """
    from longtu.maps.print.furniture import draw_header
    from longtu.maps.print.paths import new_figure

    figs, remaining, page = [], list(rows), 1
    while True:
        fig = new_figure(figsize)
        cont = "" if page == 1 else f"（续 continued, {page}）"
        draw_header(fig, title_zh + cont, title_en, None)
        top = 0.87
        if intro and page == 1:
            text = "\n".join(wrap_cell(intro, figsize[0] * 72 * 0.9 / 8.0))
            fig.text(0.05, top, text, fontsize=8, va="top", linespacing=1.4)
            top -= 0.018 * (text.count("\n") + 1) + 0.01
        ax = fig.add_axes((0.05, 0.1, 0.9, top - 0.1))
        fitted = draw_table(ax, header, remaining, col_widths=col_widths, fontsize=fontsize)
        remaining = remaining[max(fitted, 1) :]
        _page_footer(fig, notes, date or dt.date.today())
        figs.append(fig)
        if not remaining:
            return figs
        page += 1


def _page_footer(fig: Figure, notes: str, date: dt.date) -> None:
    fig.add_artist(Line2D([0.05, 0.95], [0.085, 0.085], color="#999999", linewidth=0.5))
    width = fig.get_figwidth() * 72 * 0.72 / 6.0
    text = "\n".join(wrap_cell(notes, width)[:6])
    fig.text(0.05, 0.078, text, fontsize=6, va="top", color="#333333", linespacing=1.3)
    fig.text(
        0.95,
        0.078,
        f"陇图 Longtu　{date.isoformat()}",
        fontsize=6,
        ha="right",
        va="top",
        color="#444444",
    )
