"""The responsibility network: departments x tasks from 责任单位 / 牵头单位 / 配合单位 (networkx).

Nodes are departments and the rows that name them (tasks and task-list measures). A task whose
task-list measures name units is represented by those measures, so a department is not counted
twice for one task. Edges carry the role: ``responsible`` (责任单位), ``lead`` (牵头单位),
``support`` (配合单位). The department network links two departments by the rows they share;
every link keeps the rows behind it (name and file:line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

ROLES = {"responsible_units": "responsible", "lead_units": "lead", "support_units": "support"}


def unit_rows(frame: pd.DataFrame, district: str) -> pd.DataFrame:
    """The task and measure rows of ``district`` that name departments (see module doc)."""
    rows = frame[(frame["district_id"] == district)
                 & frame["item_type"].isin(("task", "measure"))]
    named = rows[[any(len(v) for v in vals) for vals in
                  zip(*(rows[c] for c in ROLES), strict=True)]]
    covered = set(named.loc[named["item_type"] == "measure", "parent_key"].dropna())
    return named[~((named["item_type"] == "task") & named["item_key"].isin(covered))]


def bipartite(frame: pd.DataFrame, district: str) -> nx.Graph:
    """Departments x rows of one district.

    Returns
    -------
    networkx.Graph
        Department nodes ``("dept", name)`` with ``kind="department"``; row nodes
        ``("item", item_key)`` with ``kind="item"``, ``name``, ``where`` (file:line); edges with
        ``role``.
    """
    import networkx as nx

    graph = nx.Graph()
    for r in unit_rows(frame, district).itertuples(index=False):
        item = ("item", r.item_key)
        graph.add_node(item, kind="item", name=r.name_raw, where=f"{r.source_file}:{r.line}",
                       item_type=r.item_type)
        for column, role in ROLES.items():
            for unit in getattr(r, column):
                dept = ("dept", unit)
                graph.add_node(dept, kind="department", name=unit)
                if not graph.has_edge(dept, item):   # responsible wins over a repeat
                    graph.add_edge(dept, item, role=role)
    return graph


def departments(graph: nx.Graph) -> pd.DataFrame:
    """One row per department: rows named in (by role), partner departments, betweenness.

    Returns
    -------
    DataFrame
        department, n_items, n_responsible, n_lead, n_support, n_partners (departments it
        shares a row with), shared (sum of the rows shared with each partner), betweenness
        (in the department network); most connected first.
    """
    import networkx as nx
    import pandas as pd

    proj = projection(graph)
    between = nx.betweenness_centrality(proj) if len(proj) > 2 else {}
    rows = []
    for node, data in graph.nodes(data=True):
        if data["kind"] != "department":
            continue
        roles = [graph.edges[node, item]["role"] for item in graph[node]]
        rows.append({"department": data["name"], "n_items": len(roles),
                     "n_responsible": roles.count("responsible"), "n_lead": roles.count("lead"),
                     "n_support": roles.count("support"),
                     "n_partners": proj.degree(node) if node in proj else 0,
                     "shared": int(proj.degree(node, weight="weight")) if node in proj else 0,
                     "betweenness": round(between.get(node, 0.0), 4)})
    out = pd.DataFrame(rows, columns=["department", "n_items", "n_responsible", "n_lead",
                                      "n_support", "n_partners", "shared", "betweenness"])
    return out.sort_values(["n_items", "n_partners", "department"],
                           ascending=[False, False, True], kind="stable").reset_index(drop=True)


def projection(graph: nx.Graph) -> nx.Graph:
    """Departments linked by the rows they share: ``weight`` = number of rows, ``items`` = the
    item nodes behind the link."""
    import networkx as nx

    proj = nx.Graph()
    depts = [n for n, d in graph.nodes(data=True) if d["kind"] == "department"]
    proj.add_nodes_from((n, graph.nodes[n]) for n in depts)
    for item, data in graph.nodes(data=True):
        if data["kind"] != "item":
            continue
        named = sorted(graph[item])
        for i, a in enumerate(named):
            for b in named[i + 1:]:
                if proj.has_edge(a, b):
                    proj.edges[a, b]["weight"] += 1
                    proj.edges[a, b]["items"].append(item)
                else:
                    proj.add_edge(a, b, weight=1, items=[item])
    return proj


def links(graph: nx.Graph) -> pd.DataFrame:
    """One row per pair of departments sharing rows: the count and the rows behind it.

    Returns
    -------
    DataFrame
        department_a, department_b, n_shared, items (``name (file:line)`` joined by a newline);
        strongest first.
    """
    import pandas as pd

    proj = projection(graph)
    rows = []
    for a, b, data in proj.edges(data=True):
        items = [f"{graph.nodes[i]['name']} ({graph.nodes[i]['where']})" for i in data["items"]]
        first, second = sorted([a[1], b[1]])
        rows.append((first, second, data["weight"], "\n".join(items)))
    out = pd.DataFrame(rows, columns=["department_a", "department_b", "n_shared", "items"])
    return out.sort_values(["n_shared", "department_a", "department_b"],
                           ascending=[False, True, True], kind="stable").reset_index(drop=True)


def districts_with_units(frame: pd.DataFrame) -> list[str]:
    """Districts whose tasks or measures name any department, in frame order."""
    rows = frame[frame["item_type"].isin(("task", "measure"))]
    has = [any(len(v) for v in vals) for vals in zip(*(rows[c] for c in ROLES), strict=True)]
    return list(dict.fromkeys(rows.loc[has, "district_id"]))
