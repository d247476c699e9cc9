"""Labels that do not overlap: greedy placement over candidate positions.

Each label gets a list of candidate boxes (display units: its text extent at each candidate
offset); labels are taken in priority order and each keeps its first candidate that overlaps no
box already placed and no obstacle (legend, inset, scale bar). A label with no free candidate is
dropped, unless it is marked ``required``, in which case the candidate with the least overlap
is used. This is the classic cartographic greedy algorithm (Imhof's priorities, checked with
bounding boxes); it is deterministic and fast for the few hundred labels of a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from longtu.maps.print.paths import page_renderer

HALO = [patheffects.withStroke(linewidth=2.2, foreground="white", alpha=0.9)]
"""White outline behind label text, so that lines under a label do not cut through it."""
HALO_ONLY = [patheffects.Stroke(linewidth=2.2, foreground="white", alpha=0.9)]
"""The outline alone: a placed label is drawn as this, under the same words as plain text (text
drawn with a path effect becomes outlines in a PDF, which a reader cannot search or copy)."""

Box = tuple[float, float, float, float]
"""(x0, y0, x1, y1) with x0 <= x1 and y0 <= y1."""

POINT_OFFSETS_PT: tuple[tuple[float, float, str, str], ...] = (
    (5, 0, "left", "center"),
    (-5, 0, "right", "center"),
    (0, 5, "center", "bottom"),
    (0, -5, "center", "top"),
    (4, 4, "left", "bottom"),
    (-4, 4, "right", "bottom"),
    (4, -4, "left", "top"),
    (-4, -4, "right", "top"),
    (10, 0, "left", "center"),
    (-10, 0, "right", "center"),
    (0, 10, "center", "bottom"),
    (0, -10, "center", "top"),
)
"""Candidate offsets (points) and alignments of a point label: beside, above, below, corners."""

AREA_OFFSETS_PT: tuple[tuple[float, float, str, str], ...] = (
    (0, 0, "center", "center"),
    (0, 12, "center", "center"),
    (0, -12, "center", "center"),
    (16, 0, "center", "center"),
    (-16, 0, "center", "center"),
    (0, 22, "center", "center"),
    (0, -22, "center", "center"),
    (24, 12, "center", "center"),
    (-24, -12, "center", "center"),
    (24, -12, "center", "center"),
    (-24, 12, "center", "center"),
)
"""Candidate offsets of an area label: centred at the representative point, then shifted."""


def overlap_area(a: Box, b: Box) -> float:
    """Area shared by boxes `a` and `b` (0 when they do not overlap).

    Examples
    --------
    >>> overlap_area((0, 0, 2, 2), (1, 1, 3, 3))
    1
    >>> overlap_area((0, 0, 1, 1), (1, 0, 2, 1))
    0
    """
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0


def greedy_place(
    candidates: Sequence[Sequence[Box]],
    *,
    obstacles: Sequence[Box] = (),
    required: Sequence[bool] | None = None,
    frame: Box | None = None,
) -> list[int | None]:
    """Choose one candidate box per label so that chosen boxes do not overlap.

    Parameters
    ----------
    candidates
        Per label, in priority order (most important first), its candidate boxes in order of
        preference.
    obstacles
        Boxes no label may overlap.
    required
        Per label, whether it must be placed even when every candidate overlaps (it then takes
        the candidate with the least overlap). Default: none required.
    frame
        If given, candidates not wholly inside it are refused, for required labels too.

    Returns
    -------
    list
        Per label, the index of the chosen candidate, or None when it was dropped.

    Examples
    --------
    Two labels competing for the same spot: the second takes its second choice.

    >>> greedy_place([[(0, 0, 2, 1)], [(1, 0, 3, 1), (0, 2, 2, 3)]])
    [0, 1]
    >>> greedy_place([[(0, 0, 2, 1)], [(1, 0, 3, 1)]])
    [0, None]
    >>> greedy_place([[(0, 0, 2, 1)], [(1, 0, 3, 1)]], required=[True, True])
    [0, 0]
    """
    required = list(required) if required is not None else [False] * len(candidates)
    placed: list[Box] = list(obstacles)
    chosen: list[int | None] = []
    for boxes, must in zip(candidates, required, strict=True):
        pick = _first_free(boxes, placed, frame)
        if pick is None and must:
            pick = _least_overlap(boxes, placed, frame)
        chosen.append(pick)
        if pick is not None:
            placed.append(boxes[pick])
    return chosen


def _inside(box: Box, frame: Box | None) -> bool:
    return frame is None or (
        box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]
    )


def _least_overlap(boxes: Sequence[Box], placed: Sequence[Box], frame: Box | None) -> int | None:
    costs = {
        i: sum(overlap_area(b, p) for p in placed) for i, b in enumerate(boxes) if _inside(b, frame)
    }
    return min(costs, key=costs.__getitem__) if costs else None


def _first_free(boxes: Sequence[Box], placed: Sequence[Box], frame: Box | None) -> int | None:
    for i, box in enumerate(boxes):
        if not _inside(box, frame):
            continue
        if all(overlap_area(box, p) == 0 for p in placed):
            return i
    return None


@dataclass
class Label:
    """A label to place at a map position (page CRS).

    Attributes
    ----------
    x, y : float
        Anchor in data coordinates.
    text : str
        Main text (Chinese).
    subtext : str
        Small second line (English), may be empty.
    size : float
        Font size of `text` in points; `subtext` is drawn at 70 % of it.
    kind : {"point", "area"}
        Point labels sit beside the anchor, area labels on it.
    required : bool
        Keep even if it must overlap.
    color : str
        Text colour.
    """

    x: float
    y: float
    text: str
    subtext: str = ""
    size: float = 7.0
    kind: str = "point"
    required: bool = False
    color: str = "#222222"


def _box(bbox: Bbox, pad: float) -> Box:
    return (bbox.x0 - pad, bbox.y0 - pad, bbox.x1 + pad, bbox.y1 + pad)


def place_labels(
    ax: Axes, labels: Sequence[Label], *, obstacles: Sequence[Bbox] = ()
) -> tuple[int, int]:
    """Draw `labels` on `ax` without overlaps; return (placed, dropped) counts.

    Labels are tried in the given order (put the important ones first). Obstacles are display
    boxes (e.g. ``legend.get_window_extent()``) that labels must avoid.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax.set_xlim(0, 10); ax.set_ylim(0, 10)  # doctest: +ELLIPSIS
    (...)
    >>> place_labels(ax, [Label(5, 5, "A"), Label(5, 5, "B"), Label(5, 5, "C")])
    (3, 0)
    >>> plt.close(fig)
    """
    renderer = page_renderer(ax.figure)
    frame = _box(ax.get_window_extent(renderer), 0)
    artists, candidates = [], []
    for lab in labels:
        texts, boxes = _candidates(ax, lab, renderer)
        artists.append(texts)
        candidates.append(boxes)
    obstacle_boxes = [_box(b, 2) for b in obstacles]
    chosen = greedy_place(
        candidates,
        obstacles=obstacle_boxes,
        required=[lab.required for lab in labels],
        frame=frame,
    )
    for lab, texts, pick in zip(labels, artists, chosen, strict=True):
        _apply(ax, lab, texts, pick)
    placed = sum(p is not None for p in chosen)
    return placed, len(chosen) - placed


def _offsets(lab: Label) -> tuple[tuple[float, float, str, str], ...]:
    return AREA_OFFSETS_PT if lab.kind == "area" else POINT_OFFSETS_PT


def _candidates(ax: Axes, lab: Label, renderer) -> tuple[list, list[Box]]:
    main = ax.annotate(
        lab.text,
        (lab.x, lab.y),
        xytext=(0, 0),
        textcoords="offset points",
        fontsize=lab.size,
        color=lab.color,
        zorder=30,
        path_effects=HALO,
        annotation_clip=False,
    )
    sub = None
    if lab.subtext:
        sub = ax.annotate(
            lab.subtext,
            (lab.x, lab.y),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=lab.size * 0.7,
            color=lab.color,
            zorder=30,
            path_effects=HALO,
            annotation_clip=False,
        )
    boxes = []
    for dx, dy, ha, va in _offsets(lab):
        _position(main, sub, lab, dx, dy, ha, va)
        bbox = main.get_window_extent(renderer)
        if sub is not None:
            bbox = Bbox.union([bbox, sub.get_window_extent(renderer)])
        boxes.append(_box(bbox, 1.0))
    return [main, sub], boxes


def _position(main, sub, lab: Label, dx: float, dy: float, ha: str, va: str) -> None:
    """Put the Chinese line at the offset and the English line just below it."""
    sub_h = lab.size * 0.85 if sub is not None else 0.0
    if va == "bottom":
        main_dy, sub_dy = dy + sub_h, dy
    elif va == "top":
        main_dy, sub_dy = dy, dy - lab.size * 1.15
    else:
        main_dy, sub_dy = dy + sub_h / 2, dy + sub_h / 2 - lab.size * 1.15
    main.set_position((dx, main_dy))
    main.set_horizontalalignment(ha)
    main.set_verticalalignment("top" if va == "top" else "bottom" if va == "bottom" else "center")
    if sub is not None:
        sub.set_position((dx, sub_dy))
        sub.set_horizontalalignment(ha)
        sub.set_verticalalignment(
            "center" if va == "center" else "bottom" if va == "bottom" else "top"
        )


def _apply(ax: Axes, lab: Label, texts: list, pick: int | None) -> None:
    main, sub = texts
    if pick is None:
        main.remove()
        if sub is not None:
            sub.remove()
        return
    _position(main, sub, lab, *_offsets(lab)[pick])
    for text in (main, sub):
        if text is not None:
            _as_searchable(ax, text)


def _as_searchable(ax: Axes, text) -> None:
    """Keep `text`'s outline as the halo and draw its words on top as plain, searchable text."""
    text.set_path_effects(HALO_ONLY)
    ax.annotate(
        text.get_text(),
        text.xy,
        xytext=text.get_position(),
        textcoords="offset points",
        fontsize=text.get_fontsize(),
        color=text.get_color(),
        ha=text.get_horizontalalignment(),
        va=text.get_verticalalignment(),
        zorder=text.get_zorder() + 0.1,
        annotation_clip=False,
    )
