"""A store whose collaboration network takes long to measure: ``n`` organisations, each a
partner of ``ties`` others drawn at random (seeded) -- exact betweenness and closeness
of it run for tens of seconds, long enough to test time limits and shutdown."""

from __future__ import annotations

import random
from pathlib import Path

HEAD = """@prefix hx: <https://w3id.org/helixgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/helixgraph/id/org/> .
"""
HELICES = ("academia", "industry", "government", "civilSociety")


def slow_trig(path: Path, n: int = 1500, ties: int = 15, seed: int = 7) -> Path:
    rng = random.Random(seed)
    lines = [HEAD, "<https://w3id.org/helixgraph/graph/source/s000> {"]
    for i in range(n):
        helix = HELICES[i % len(HELICES)]
        lines.append(
            f'  id:o{i} a hx:Organisation ; skos:prefLabel "Org {i}"@en ; hx:helix hx:{helix} .'
        )
        for j in rng.sample(range(n), ties):
            if j != i:
                lines.append(f"  id:o{i} hx:partnerOf id:o{j} .")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
