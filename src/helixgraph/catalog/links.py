"""Direct relations of a node, each with its link-evidence (topic, quote, sources)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog.facts import Facts, all_sources, labels, outgoing, ref, select
from helixgraph.catalog.parts import statements
from helixgraph.catalog.terms import PROPERTY_RELATION, SYMMETRIC, hx, parse_iri

Json = dict[str, Any]


def evidence(store: ox.Store, iri: str) -> dict[tuple[str, str, str], list[Json]]:
    """(subject, predicate, object) → evidence nodes of the statements that touch ``iri``."""
    rows = select(
        store,
        f"""SELECT DISTINCT ?e ?s ?p ?o WHERE {{
        {{ ?e rdf:subject <{iri}> }} UNION {{ ?e rdf:object <{iri}> }}
        ?e a hx:LinkEvidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}""",
    )
    nodes = outgoing(store, [r["e"].value for r in rows])
    out: dict[tuple[str, str, str], list[Json]] = {}
    for r in sorted(rows, key=lambda r: r["e"].value):
        e = r["e"].value
        fx = nodes.get(e, {})
        parsed = parse_iri(e)
        out.setdefault((r["s"].value, r["p"].value, r["o"].value), []).append(
            {
                "id": parsed[1] if parsed else e,
                "iri": e,
                "topic": statements(fx, hx("topic")),
                "quote": statements(fx, hx("quote")),
                "sources": all_sources(fx),
            }
        )
    return out


def relations(
    store: ox.Store, iri: str, out_facts: Facts, in_facts: Facts, names: tuple[str, ...]
) -> list[Json]:
    """The relations named ``names`` (data-file names, e.g. ``partner_of``) in both directions."""
    wanted = {p: n for p, n in PROPERTY_RELATION.items() if n in names}
    found: list[tuple[str, str, str, list[str], str]] = []  # name, direction, other, sources, key
    for facts, outward in ((out_facts, True), (in_facts, False)):
        for pred, fs in facts.items():
            if pred not in wanted:
                continue
            for f in fs:
                if not isinstance(f.value, ox.NamedNode):
                    continue
                other = f.value.value
                direction = (
                    "symmetric" if pred in SYMMETRIC else "outgoing" if outward else "incoming"
                )
                key = f"{iri} {pred} {other}" if outward else f"{other} {pred} {iri}"
                found.append((wanted[pred], direction, other, f.sources, key))
    ev = evidence(store, iri)
    names_ = labels(store, [f[2] for f in found])
    out = []
    for name, direction, other, sources, key in sorted(found, key=lambda x: (x[0], x[2], x[1])):
        s, p, o = key.split(" ")
        out.append(
            {
                "relation": name,
                "property": p,
                "direction": direction,
                "target": ref(other, names_[other]),
                "sources": sources,
                "evidence": ev.get((s, p, o), []),
            }
        )
    return out
