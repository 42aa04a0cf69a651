import io

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from visualizations.exports import csv_bytes, export_graph, graph_bytes, tables, xlsx_bytes

METRICS = {n: {"pagerank": p} for n, p in zip("abcdef", [0.2, 0.4, 0.1, 0.1, 0.05, 0.15])}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_formats_read_back_with_networkx(G, hostile, fmt):
    H = export_graph(G, metrics=METRICS, membership={n: 0 for n in G}, isolated={"e": ["ingen bånd"]},
                     viz=fmt == "gexf")
    data = graph_bytes(H, fmt)
    back = nx.read_gexf(io.BytesIO(data)) if fmt == "gexf" else nx.read_graphml(io.BytesIO(data))
    assert set(back.nodes) == set(G.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in G.edges}
    for a, b, w in G.edges(data="weight"):
        assert back[a][b]["weight"] == w
    assert back.nodes["d"]["name"] == hostile
    assert back.nodes["b"]["label"] == "Kunstmuseum Århus"
    assert back.nodes["b"]["type"] == "Institution"
    assert back.nodes["a"]["art_forms"] == "teater; musik"
    assert back.nodes["b"]["municipality"] == "Aarhus"
    assert back.nodes["b"]["pagerank"] == 0.4
    assert back.nodes["e"]["isolated"] is True and back.nodes["e"]["isolated_reasons"] == "ingen bånd"
    assert "municipality_code" not in back.nodes["f"]  # missing values are left out
    assert back["a"]["b"]["cross_municipal"] is True and back["b"]["d"]["cross_municipal"] is False


def test_tables_of_nodes_edges_and_metrics(G):
    t = tables(G, metrics=METRICS, isolated=["e"])
    assert list(t["nodes"]["id"]) == list("abcdef")
    assert t["nodes"].set_index("id").loc["a", "art_forms"] == "teater; musik"
    assert t["nodes"].set_index("id").loc["e", "isolated"]
    assert len(t["edges"]) == 5
    row = t["edges"].set_index(["source", "target"]).loc[("a", "b")]
    assert (row["weight"], row["projects"], row["source_municipality"], row["target_municipality"]) == (
        2.0, 2, "Lemvig", "Aarhus")
    assert list(t["metrics"].columns) == ["id", "name", "municipality", "degree", "weighted_degree", "pagerank"]
    assert t["metrics"].set_index("id").loc["b", "weighted_degree"] == 5.0


def test_xlsx_keeps_text_as_text(G, hostile):
    G.nodes["c"]["name"] = '=HYPERLINK("http://x","klik")'
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(tables(G))))
    assert wb.sheetnames == ["nodes", "edges", "metrics"]
    ws = wb["nodes"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["c"][1].value == '=HYPERLINK("http://x","klik")' and rows["c"][1].data_type == "s"
    assert rows["d"][1].value == hostile
    assert rows["b"][1].value == "Kunstmuseum Århus"
    assert ws.freeze_panes == "A2"


def test_csv_for_danish_and_english_excel():
    df = pd.DataFrame({"navn": ["Æblerød", "=1+2", "-ism"], "x": [0.25, 2.0, None]})
    da = csv_bytes(df, lang="da")
    assert da.startswith(b"\xef\xbb\xbf")
    assert da[3:].decode("utf-8") == "navn;x\r\nÆblerød;\"0,25\"\r\n'=1+2;2\r\n'-ism;\r\n"
    en = csv_bytes(df, lang="en")[3:].decode("utf-8")
    assert en == "navn,x\r\nÆblerød,0.25\r\n'=1+2,2\r\n'-ism,\r\n"
    back = pd.read_csv(io.BytesIO(da), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["x"].tolist()[:2] == [0.25, 2.0]
