import datetime as dt
import io

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from graphsvc.errors import InputError
from visualizations.heatmap import gap_heatmap
from visualizations.maps import municipality_level_map, network_map
from visualizations.static import figure_bytes, render_static

DAY = dt.date(2026, 11, 25)


def _geo(G):
    return network_map(G, geographic=True, lang="da", source="testdata", date=DAY)


def test_png_is_16_9_and_at_least_full_hd(G):
    png = render_static(_geo(G), "png")
    image = Image.open(io.BytesIO(png))
    assert image.size == (1920, 1080)


def test_svg_keeps_text_as_text(G):
    svg = render_static(_geo(G), "svg").decode("utf-8")
    assert "Kultursamarbejdet i Region Midtjylland – på kortet" in svg
    assert "Kommunegrænser: Geodatastyrelsen &amp; Danske Kommuner (DAGI)" in svg
    assert "Kilde: testdata · Udarbejdet 2026-11-25" in svg
    assert "Kunstmuseum Århus" in svg  # a labelled top node
    assert "&lt;img src=x" in svg and "<img" not in svg


def test_pdf_has_the_text_and_embedded_truetype_fonts(G):
    pdf = PdfReader(io.BytesIO(render_static(_geo(G), "pdf")))
    text = pdf.pages[0].extract_text()
    assert "Kultursamarbejdet i Region Midtjylland" in text
    assert "Kommunegrænser" in text
    fonts = pdf.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   if "/DescendantFonts" in f.get_object() else f.get_object()["/FontDescriptor"]
                   for f in fonts.values()]
    assert descriptors and all("/FontFile2" in d.get_object() for d in descriptors)


def test_english_labels(G):
    view = municipality_level_map(G, lacking=[("741", "665")], lang="en", date=DAY)
    svg = render_static(view, "svg").decode("utf-8")
    assert "Collaboration between the municipalities of Region Midtjylland" in svg
    assert "Lacking ties (1)" in svg and "Samsø" in svg


def test_gap_heatmap():
    codes = ["665", "741", "751"]
    ratio = pd.DataFrame([[2.0, 0.0, 0.5], [0.0, 1.0, 1.5], [0.5, 1.5, 1.0]], index=codes, columns=codes)
    fig = gap_heatmap(ratio, lacking=[("665", "741")], lang="en", date=DAY)
    png = Image.open(io.BytesIO(figure_bytes(fig, "png")))
    assert png.size == (1920, 1080)
    svg = figure_bytes(fig, "svg").decode("utf-8")
    assert "Collaboration between municipalities: observed against expected" in svg
    for text in ("Lemvig", "Samsø", "Aarhus", "0.5", "1.5"):
        assert text in svg


def test_unknown_static_format(G):
    with pytest.raises(InputError, match="cannot draw a static map as 'gif'"):
        render_static(_geo(G), "gif")
