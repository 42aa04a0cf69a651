"""The service tests' small hand-made regions and the admin token.

``gap_records``, tie by tie:

- Aarhus (751): ARoS Århus Kunstmuseum (large) and four medium ensembles, all five in
  project p-aarhus (2016–2017): 10 ties inside Aarhus.
- Herning (657): Herning Scenekunst (large) and four medium associations, all in project
  p-herning (2016): 10 ties inside Herning.
- Lemvig (665): two small actors, Lemvig Ældreteater and Lemvig Sangkor, with a declared
  collaboration (since 2018), and Ældreteater with ARoS in project p-cross (2022–2023).
- Samsø (741): Samsø Øforening, small, with no tie at all.

So 22 ties among 13 organisations. With Newman's weighting a pair in a project of 5
weighs 1/4 and a pair of two 1 (docs/analysis.md): every ensemble and association has
weighted degree 1, ARoS 2, Ældreteater 2, Sangkor 1; m = 10·¼ + 10·¼ + 1 + 1 = 7. One
project crosses a border, so the gaps analysis has too little data for any pair.

Isolated small actors, in rank order: Samsø Øforening (no ties), Lemvig Sangkor (its
only partner is in Lemvig), Lemvig Ældreteater (2 partners reaching 1 other municipality).

``gap_region_records`` adds a block of cross-border projects (2018–2021) to it, so the
gaps analysis has something to say; see its docstring.
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


# the block's five other municipalities, each with one culture house
OTHERS = [("615", "Horsens"), ("730", "Randers"), ("740", "Silkeborg"), ("746", "Skanderborg"), ("791", "Viborg")]
OTHER_IDS = [f"i-kh{code}" for code, _ in OTHERS]
BLOCK_YEARS = (2018, 2021)


def gap_region_records() -> Records:
    """``gap_records`` and a block of 89 cross-border projects, all 2018–2021, among Aarhus
    (A), Herning (H) and five others O = Horsens, Randers, Silkeborg, Skanderborg, Viborg
    (one culture house each, medium):

    - 4 projects of ARoS with all five culture houses, and 4 of Herning Scenekunst with
      all five;
    - 1 project of the five culture houses alone;
    - 8 projects of two for each of A–O_k and H–O_k: an Aarhus ensemble (Herning
      association) and the culture house, the ensembles taking turns (2 each).

    Shared projects in 2018–2021: A–O_k = H–O_k = 4 + 8 = 12, O_k–O_l = 4 + 4 + 1 = 9,
    A–H = 0. And one project of two before the block, p-her-lem (2016): Lemvig
    Ældreteater with Herning Scenekunst. Over all years Lemvig shares 1 project with
    Herning (2016) and 1 with Aarhus (p-cross, 2022).
    """
    base = gap_records()
    houses = [Institution(id=oid, name=f"Kulturhus {town}", kind="kulturhus", size="medium",
                          art_forms=["musik"], municipality_code=code)
              for oid, (code, town) in zip(OTHER_IDS, OTHERS)]
    start, end = BLOCK_YEARS
    members: dict[str, list[str]] = {}
    for n in range(1, 5):
        members[f"p-aarhus-rundt-{n}"] = ["i-aros", *OTHER_IDS]
        members[f"p-herning-rundt-{n}"] = ["i-herning", *OTHER_IDS]
    members["p-kulturhuse"] = list(OTHER_IDS)
    for house in OTHER_IDS:
        for n in range(8):
            members[f"p-aar-{house}-{n}"] = [f"a-aar{n % 4 + 1}", house]
            members[f"p-her-{house}-{n}"] = [f"a-her{n % 4 + 1}", house]
    projects = [Project(id=pid, title=f"Samarbejde {pid}", start_year=start, end_year=end) for pid in members]
    participations = [Participation(org_id=org, project_id=pid, role="lead" if k == 0 else "partner")
                      for pid, orgs in members.items() for k, org in enumerate(orgs)]
    projects.append(Project(id="p-her-lem", title="Ældre på scenen", start_year=2016, end_year=2016,
                            municipality_codes=["657", "665"]))
    participations += [Participation(org_id="a-lemvig", project_id="p-her-lem", role="lead"),
                       Participation(org_id="i-herning", project_id="p-her-lem")]
    return Records(
        actors=base.actors, institutions=base.institutions + houses,
        projects=base.projects + projects, participations=base.participations + participations,
        collaborations=base.collaborations,
    )
