"""Map pages: projection, fonts, labels, text, embedded fonts and the rendered picture."""

from __future__ import annotations

import datetime as dt
import subprocess
from itertools import combinations
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pytest
from pdf_helpers import pdf_fonts, render_png
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import Point

from longtu.layout import load_layer
from longtu.maps.print.draw_layers import Drawn
from longtu.maps.print.fonts import MissingGlyphError, check_glyphs, missing_glyphs
from longtu.maps.print.furniture import footnote
from longtu.maps.print.labels import greedy_place, overlap_area
from longtu.maps.print.page import PageError, render_page, resolve_extent, save_page
from longtu.maps.print.projection import ProjectionError, north_angle_deg, project_gdf

DATA = Path(__file__).parent / "data" / "print"
DATE = dt.date(2026, 11, 23)
# Mean absolute difference (0-255 grey levels) allowed against a stored reference. Measured on
# the Jiayuguan page at 50 dpi: another date in the footer 0.004, the page without the
# industrial-bases layer 1.8, without the zones 7.8; a plan-table edit moving a symbol or two
# stays well under 1.
MAX_MEAN_DIFF = 1.0


@pytest.fixture(scope="module")
def page_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("page") / "jiayuguan.pdf"
    return save_page(
        out,
        extent="prefecture:620200",
        layers=["economic_zones", "parks", "energy_sites", "industrial_bases"],
        date=DATE,
    )


def test_overlap_and_greedy_placement_by_hand():
    assert overlap_area((0, 0, 4, 2), (3, 1, 5, 5)) == 1
    # Label 0 takes its spot; label 1's first choice overlaps it, its second does not;
    # label 2 has only spots that overlap an obstacle and is dropped.
    chosen = greedy_place(
        [[(0, 0, 2, 1)], [(1, 0, 3, 1), (2, 0, 4, 1)], [(10, 10, 11, 11)]],
        obstacles=[(9, 9, 12, 12)],
    )
    assert chosen == [0, 1, None]
    # A frame refuses candidates that stick out of it.
    assert greedy_place([[(-1, 0, 1, 1), (0, 0, 1, 1)]], frame=(0, 0, 5, 5)) == [1]


def test_projection_is_albers_centred_on_gansu():
    lanzhou = gpd.GeoDataFrame(geometry=[Point(103.0, 37.0)], crs="EPSG:4326")
    assert project_gdf(lanzhou).geometry.iloc[0].distance(Point(0, 0)) < 1e-6
    assert abs(north_angle_deg(103.0, 40.0)) < 1e-9
    # Meridians converge towards the pole by the cone constant n = (sin 33° + sin 41°) / 2:
    # 8 degrees west of the central meridian, north leans 8 n = 4.803 degrees to the right.
    n = (np.sin(np.radians(33)) + np.sin(np.radians(41))) / 2
    assert north_angle_deg(95.0, 40.0) == pytest.approx(8 * n, abs=1e-3)
    with pytest.raises(ProjectionError, match="`gdf` has no CRS"):
        project_gdf(gpd.GeoDataFrame(geometry=[Point(0, 0)]))


def test_every_name_on_the_maps_has_a_glyph():
    names = []
    for layer in (
        "prefectures",
        "counties",
        "parks",
        "energy_sites",
        "economic_zones",
        "industrial_bases",
    ):
        frame = load_layer(layer)
        for col in ("name_zh", "name_en", "base_name_zh", "base_name_en", "short_name_zh"):
            if col in frame:
                names += frame[col].dropna().astype(str).tolist()
    assert missing_glyphs("".join(names)) == []
    with pytest.raises(MissingGlyphError, match="`text`"):
        check_glyphs("甘肃\U0001f600")


def test_unknown_extent_and_layer_are_refused():
    with pytest.raises(PageError, match="`extent`"):
        resolve_extent("county:620102")
    with pytest.raises(PageError, match="`layers`"):
        render_page(layers=["nature_reserves"])


def test_page_text_has_title_legend_and_footer(page_pdf):
    text = PdfReader(page_pdf).pages[0].extract_text()
    for expected in (
        "嘉峪关市产业布局图",
        "图例 Legend",
        "国家级园区 national",
        "光伏 PV",
        "优质钢材生产及加工基地",
        "省界 province boundary",
        "审图号",
        "比例尺 1:",
        "位置示意图",
        "南海诸岛",
        "2026-11-23",
    ):
        assert expected in text, expected


def test_place_names_on_the_map_can_be_searched(page_pdf):
    """Labels keep their white halo, yet their words stay text a reader can find and copy.

    The Jiayuguan page names its prefecture and, in the part of them it shows, its neighbours.
    """
    text = PdfReader(page_pdf).pages[0].extract_text()
    for name in ("嘉峪关市", "Jiayuguan City", "酒泉市", "张掖市", "嘉峪关工业园区"):
        assert name in text, name


def test_every_font_is_embedded_as_truetype(page_pdf):
    fonts = pdf_fonts(page_pdf)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        assert program is not None, font["/BaseFont"]
        # CFF programs are converted: a /FontFile2 must hold TrueType outlines.
        if "/FontFile2" in descriptor:
            assert program.get_object().get_data()[:4] == b"\x00\x01\x00\x00"


def test_unplaced_features_are_counted_not_drawn():
    note = footnote(Drawn(unplaced={"a": "国家核燃料循环基地", "b": "五○四", "c": "五○四"}))
    assert note.startswith("注：未落位要素 3 个")
    assert note.count("五○四") == 1
    sites = load_layer("energy_sites")
    n_unplaced = int(sites.geometry.isna().sum())
    fig = render_page(layers=["energy_sites"], date=DATE)
    footer = " ".join(t.get_text() for t in fig.texts)
    plt.close(fig)
    assert f"未落位要素 {n_unplaced} 个" in footer.replace("\n", "")


def test_labels_do_not_overlap_each_other():
    fig = render_page(extent="zone:zone_lanbai", layers=["parks", "energy_sites"], date=DATE)
    renderer = fig.canvas.get_renderer()
    # Every label on the map: prefectures (Chinese and English lines), parks, energy sites,
    # counties, neighbouring provinces.
    texts = [t for t in fig.axes[0].texts if t.get_zorder() == 30]
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert len(texts) >= 20
    overlapping = [
        (texts[i].get_text(), texts[j].get_text())
        for i, j in combinations(range(len(texts)), 2)
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []


def test_page_matches_reference_picture(page_pdf, tmp_path):
    got = render_png(page_pdf, tmp_path)
    ref = np.asarray(Image.open(DATA / "jiayuguan_a4_50dpi.png").convert("L"), dtype=float)
    assert got.shape == ref.shape
    assert np.abs(got - ref).mean() < MAX_MEAN_DIFF


def test_landscape_a3_page_matches_reference_picture(tmp_path):
    out = save_page(
        tmp_path / "hexi.pdf",
        extent="zone:zone_hexi",
        paper="A3",
        orientation="landscape",
        layers=["parks", "energy_sites"],
        date=DATE,
    )
    reader = PdfReader(out)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (420, 297)
    got = render_png(out, tmp_path, dpi=30)
    ref = np.asarray(Image.open(DATA / "hexi_a3_landscape_30dpi.png").convert("L"), dtype=float)
    assert got.shape == ref.shape
    assert np.abs(got - ref).mean() < MAX_MEAN_DIFF


def regenerate_references(out_dir: Path = DATA) -> None:
    """Re-render the stored reference pictures after a deliberate change of layout or data.

    Run ``python tests/test_print_page.py`` and look at the new pictures before committing them.
    """
    import tempfile

    from longtu.maps.print.atlas import make_atlas

    tmp = Path(tempfile.mkdtemp())
    layers = ["economic_zones", "parks", "energy_sites", "industrial_bases"]
    jiayuguan = save_page(tmp / "j.pdf", extent="prefecture:620200", layers=layers, date=DATE)
    hexi = save_page(tmp / "h.pdf", extent="zone:zone_hexi", paper="A3", orientation="landscape",
                     layers=["parks", "energy_sites"], date=DATE)  # fmt: skip
    atlas = make_atlas(tmp / "a.pdf", by="prefecture", date=DATE)
    for pdf, dpi, name in ((jiayuguan, 50, "jiayuguan_a4_50dpi"),
                           (hexi, 30, "hexi_a3_landscape_30dpi"),
                           (atlas, 50, "atlas_index_50dpi")):  # fmt: skip
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile",
                        "-gray", str(pdf), str(out_dir / name)], check=True)  # fmt: skip


if __name__ == "__main__":
    regenerate_references()
