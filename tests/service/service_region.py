"""The service tests' small hand-made region (``gap_records``) and the admin token.

The region (``gap_records``), tie by tie:

- Aarhus (751): ARoS Århus Kunstmuseum (large) and four medium ensembles, all five in
  project p-aarhus (2016–2017): 10 ties inside Aarhus.
- Herning (657): Herning Scenekunst (large) and four medium associations, all in project
  p-herning (2016): 10 ties inside Herning.
- Lemvig (665): two small actors, Lemvig Ældreteater and Lemvig Sangkor, with a declared
  collaboration (since 2018), and Ældreteater with ARoS in project p-cross (2022–2023).
- Samsø (741): Samsø Øforening, small, with no tie at all.

So E = 22 ties among N = 13 organisations (78 pairs). Under the "organisations" null
model Herning–Aarhus expects 22 · 5 · 5 / 78 = 7.05 ties and has none: residual
−7.05/√7.05 = −2.655, the only lacking pair (≤ −2 with ≥ 1 expected). Herning–Lemvig
expects 22 · 5 · 2 / 78 = 2.82 (residual −1.68) and Samsø's pairs 22 · 5 / 78 = 1.41 with
Aarhus or Herning (residual −1.19): without ties but not lacking.

Isolated small actors, in rank order: Samsø Øforening (no ties), Lemvig Sangkor (its
only partner is in Lemvig), Lemvig Ældreteater (2 partners reaching 1 other municipality).
"""

from __future__ import annotations

from graphsvc.model import Actor, Collaboration, Institution, Participation, Project, Records

TOKEN = "test-token-7f3a9c"
HOSTILE = '<img src=x onerror="window.__xss=1">'


def gap_records() -> Records:
    aarhus = [("i-aros", "ARoS Århus Kunstmuseum")] + [(f"a-aar{i}", f"Aarhus Ensemble {i}") for i in range(1, 5)]
    herning = [("i-herning", "Herning Scenekunst")] + [(f"a-her{i}", f"Herning Forening {i}") for i in range(1, 5)]
    institutions = [
        Institution(id="i-aros", name=aarhus[0][1], kind="museum", size="large", art_forms=["billedkunst"],
                    municipality_code="751"),
        Institution(id="i-herning", name=herning[0][1], kind="teater", size="large", art_forms=["teater"],
                    municipality_code="657"),
    ]
    actors = [Actor(id=i, name=n, kind="ensemble", size="medium", art_forms=["musik"], municipality_code="751")
              for i, n in aarhus[1:]]
    actors += [Actor(id=i, name=n, kind="ensemble", size="medium", art_forms=["musik"], municipality_code="657")
               for i, n in herning[1:]]
    actors += [
        Actor(id="a-lemvig", name="Lemvig Ældreteater", kind="teatergruppe", size="small", art_forms=["teater"],
              target_groups=["ældre"], municipality_code="665"),
        Actor(id="a-lemvig2", name="Lemvig Sangkor", kind="kor", size="small", art_forms=["musik"],
              municipality_code="665"),
        Actor(id="a-samsoe", name="Samsø Øforening", kind="forening", size="small", art_forms=["teater"],
              municipality_code="741"),
    ]
    projects = [
        Project(id="p-aarhus", title="Kunst i Aarhus", start_year=2016, end_year=2017, municipality_codes=["751"]),
        Project(id="p-herning", title="Scenekunst i Herning", start_year=2016, end_year=2016,
                municipality_codes=["657"]),
        Project(id="p-cross", title="Ældre på museum", start_year=2022, end_year=2023,
                municipality_codes=["665", "751"]),
    ]
    participations = [Participation(org_id=i, project_id="p-aarhus", role="lead" if i == "i-aros" else "partner")
                      for i, _ in aarhus]
    participations += [Participation(org_id=i, project_id="p-herning",
                                     role="lead" if i == "i-herning" else "partner") for i, _ in herning]
    participations += [Participation(org_id="a-lemvig", project_id="p-cross", role="lead"),
                       Participation(org_id="i-aros", project_id="p-cross")]
    return Records(
        actors=actors, institutions=institutions, projects=projects, participations=participations,
        collaborations=[Collaboration(source_id="a-lemvig", target_id="a-lemvig2", since=2018, source="survey")],
    )
