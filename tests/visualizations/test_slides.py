"""Slide-ready exports: title, subtitle, source, scope, years and language from the
export form's fields; wrapping inside the slide; readable names on the real files;
XLSX for people."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest

from graphsvc.exports import build_export
from graphsvc.service import Service
from graphsvc.settings import Settings
from graphsvc.store import open_store
from visualizations.maps import network_map
from visualizations.static import map_figure

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def service(tmp_path, small_records):
    store = open_store(Settings(data_dir=tmp_path / "store"))
    store.write(small_records, undoable=["kulturaktører-2024.xlsx"])
    yield Service(store, Settings(data_dir=tmp_path / "store"))
    store.close()


def _svg(service, what="map", **options) -> str:
    return build_export(service, what, "svg", **options)[0].data.decode("utf-8")


def test_default_source_is_the_data_set_never_a_folder(service, tmp_path):
    svg = _svg(service)
    assert "Kilde: kulturaktører-2024.xlsx: 3 organisationer, 1 projekt" in svg
    assert "graphsvc-data" not in svg and str(tmp_path) not in svg
    # the year window counts the projects running in it (Børneteater på tværs: 2022–2023)
    assert "kulturaktører-2024.xlsx: 3 organisationer, 0 projekter" in _svg(service, year_from=2024, year_to=2025)
    assert "kulturaktører-2024.xlsx: 3 organisationer, 1 projekt ·" in _svg(service, year_from=2023, year_to=2025)


def test_form_fields_set_title_subtitle_source_scope_years_and_language(service):
    svg = _svg(service, title="Samarbejde  i Midt", subtitle="Til byrådet", source="Kilde: Kilde: Egen opgørelse",
               scope="all", year_from=2020, year_to=2023, lang="da")
    assert "Samarbejde i Midt" in svg and "Til byrådet" in svg
    assert "Kilde: Egen opgørelse" in svg and "Kilde: Kilde" not in svg
    svg = _svg(service, scope="all", year_from=2020, year_to=2023, lang="en", source="Source: own count")
    assert "All municipalities of Denmark · projects 2020–2023" in svg
    assert "Source: own count" in svg and "Source: Source" not in svg
    assert build_export(service, "map", "svg", year_from=2020, year_to=2023)[0].name == "map-2020-2023.svg"


def test_long_title_and_source_wrap_inside_the_slide(G):
    view = network_map(G, interactive=False, source="EU-strukturfondsprojekter 2007–2020 " * 8)
    view.title = "Kultursamarbejdet på tværs af kommunegrænserne i hele Region Midtjylland " * 2
    fig = map_figure(view)
    renderer = fig.canvas.get_renderer()
    slide = fig.bbox
    for gid in ("title", "footer"):
        text = next(t for t in fig.texts if t.get_gid() == gid)
        box = text.get_window_extent(renderer)
        assert text.get_text().count("\n") >= 1, gid  # wrapped
        assert slide.x0 <= box.x0 and box.x1 <= slide.x1 and slide.y0 <= box.y0 and box.y1 <= slide.y1, gid
    axes = fig.axes[0].get_window_extent(renderer)
    title = next(t for t in fig.texts if t.get_gid() == "title").get_window_extent(renderer)
    footer = next(t for t in fig.texts if t.get_gid() == "footer").get_window_extent(renderer)
    assert axes.y1 < title.y0 and footer.y1 < axes.y0  # the map sits between them


def test_geographic_export_labels_the_outside_cluster(G):
    from visualizations.static import figure_bytes

    svg = figure_bytes(map_figure(network_map(G, geographic=True, interactive=False)), "svg").decode("utf-8")
    assert 'id="group-outside"' in svg and "Uden for regionen (1)" in svg


def test_xlsx_for_people_in_danish_and_english(service):
    service.settings.maps.dataset_name = ""
    for lang, sheet, headers, kind, size, region in (
        ("da", "Organisationer", ["Id", "Navn", "Aktør eller institution", "Type", "Størrelse", "Kommune"],
         "Aktør", "lille", "ja"),
        ("en", "Organisations", ["Id", "Name", "Actor or institution", "Kind", "Size", "Municipality"],
         "Actor", "small", "yes"),
    ):
        data = build_export(service, "table", "xlsx", lang=lang)[0].data
        wb = openpyxl.load_workbook(io.BytesIO(data))
        ws = wb[sheet]
        assert [c.value for c in ws[1]][:6] == headers
        rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=2)}
        assert rows["a-lemvig"][2:6] == [kind, "teatergruppe", size, "Lemvig"]
        assert rows["a-lemvig"][8] == region
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:Q4"
        for ws in wb.worksheets:
            assert not any("_" in str(c.value) for c in ws[1]), ws.title  # no snake_case header
    wb = openpyxl.load_workbook(io.BytesIO(build_export(service, "table", "xlsx", lang="da")[0].data))
    measures = {r[0].value: [c.value for c in r] for r in wb["Mål"].iter_rows(min_row=2)}
    header = [c.value for c in wb["Mål"][1]]
    # closeness of the Lemvig group in the path Lemvig – Århus – Herning: 2 / (1 + 2) = 0.667
    assert measures["a-lemvig"][header.index("Nærhed (closeness)")] == 0.667


def _label_boxes(svg: str) -> tuple[list[tuple[float, float, float, float]], tuple[float, float]]:
    """The box of every name on the map (its white backing, from the path in the SVG
    group ``label-<n>``) and the slide's size, in SVG units."""
    root = ET.fromstring(svg)
    width, height = (float(v.rstrip("pt")) for v in (root.get("width"), root.get("height")))
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if not (group.get("id") or "").startswith("label-"):
            continue
        path = next(group.iter(f"{SVG}path"))
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
        xs, ys = numbers[0::2], numbers[1::2]
        text = next(group.iter(f"{SVG}text"))
        size = float(re.search(r"font-size:\s*([\d.]+)px", text.get("style")).group(1))
        assert size >= 10, text.text  # SVG units are points: 10 pt is 17 px on a 1920 px slide
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes, (width, height)


@pytest.mark.skipif(not REAL.is_dir(), reason=f"the real files are not at {REAL}")
def test_network_map_of_the_real_files_has_30_readable_names_none_overlapping(tmp_path):
    from loaders import import_files

    settings = Settings(data_dir=tmp_path / "real")
    store = open_store(settings)
    try:
        eu = sorted((REAL / "eu-structural-funds").glob("*.csv"))
        import_files(store, eu, accept_valid=True)
        import_files(store, [REAL / "museums" / "mus_address.csv"], kind="institution", accept_valid=True)
        svg = build_export(Service(store, settings), "map", "svg", scope="region")[0].data.decode("utf-8")
    finally:
        store.close()
    boxes, (width, height) = _label_boxes(svg)
    assert len(boxes) >= 30
    for x0, y0, x1, y1 in boxes:
        assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


@pytest.mark.parametrize("kind", ["network", "geo", "municipalities"])
def test_slide_parts_stay_inside_and_apart(G, kind):
    """Measured from the drawn boxes at 1920 x 1080: every text inside the slide; the
    title, the map, the legend and the source line do not overlap."""
    from visualizations.maps import municipality_level_map

    view = (municipality_level_map(G, lacking=[("741", "665")]) if kind == "municipalities"
            else network_map(G, geographic=kind == "geo", interactive=False, isolated=["e"]))
    view.subtitle = "Region Midtjylland (19 kommuner) · projekter 2014–2020"
    fig = map_figure(view)
    renderer = fig.canvas.get_renderer()
    slide = fig.bbox
    assert (slide.width, slide.height) == (1920, 1080)
    texts = [t for t in fig.texts if t.get_text()] + [t for t in fig.axes[0].texts if t.get_text()]
    for text in texts:
        box = text.get_window_extent(renderer)
        assert slide.x0 <= box.x0 and box.x1 <= slide.x1 and slide.y0 <= box.y0 and box.y1 <= slide.y1, text.get_text()
    parts = {t.get_gid(): t.get_window_extent(renderer) for t in fig.texts if t.get_gid()}
    parts["map"] = fig.axes[0].get_window_extent(renderer)
    parts["legend"] = fig.legends[0].get_window_extent(renderer)
    names = sorted(parts)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not parts[a].overlaps(parts[b]), (a, b)
