from __future__ import annotations

import math

import networkx as nx
import pytest

from helixgraph.metrics.synergy import (
    QUADRUPLE_HELIX,
    helix_synergy,
    helix_synergy_from_counts,
    mutual_information,
)


def h(*probabilities: float) -> float:
    return -sum(p * math.log2(p) for p in probabilities if p > 0)


def test_hand_worked_example() -> None:
    # U+I, U+G, I+G, U+I+G: H_x = H(3/4, 1/4); H_xy = H(1/2, 1/4, 1/4) = 1.5; H_uig = 2
    r = helix_synergy_from_counts({"110": 1, "101": 1, "011": 1, "111": 1})
    assert r["entropies"]["academia"] == pytest.approx(h(0.75, 0.25))
    assert r["entropies"]["academia,industry"] == pytest.approx(1.5)
    assert r["entropies"]["academia,industry,government"] == pytest.approx(2.0)
    assert r["T"] == pytest.approx(3 * h(0.75, 0.25) - 3 * 1.5 + 2.0)
    assert r["T"] < 0 and r["unit"] == "bits" and r["n"] == 4


def test_xor_configuration_is_one_bit_of_synergy_and_copies_one_bit_of_redundancy() -> None:
    xor = helix_synergy_from_counts({"000": 1, "011": 1, "101": 1, "110": 1})
    assert xor["T"] == pytest.approx(3 * 1 - 3 * 2 + 2)  # -1 bit
    copies = helix_synergy_from_counts({"000": 5, "111": 5})
    assert copies["T"] == pytest.approx(3 * 1 - 3 * 1 + 1)  # +1 bit
    same = helix_synergy_from_counts({"111": 9})
    assert same["T"] == 0.0


def test_independent_spheres_have_zero_mutual_information() -> None:
    table = {f"{a}{b}{c}": 1 for a in "01" for b in "01" for c in "01"}
    assert helix_synergy_from_counts(table)["T"] == pytest.approx(0.0, abs=1e-12)


def test_four_helix_generalisation_alternates_signs() -> None:
    comps = [
        {"academia", "industry"},
        {"government", "civil_society"},
        {"academia"},
        {"industry", "government", "civil_society"},
        set(),
    ]
    r = mutual_information(comps, QUADRUPLE_HELIX)
    ent = r["entropies"]
    expected = sum((-1) ** (key.count(",") + 2) * value for key, value in ent.items())
    assert len(ent) == 15
    assert r["T"] == pytest.approx(expected)
    assert r["table"]["0000"] == 1 and r["n"] == 5


def test_helix_synergy_from_a_bipartite_graph_with_multi_helix_organisations() -> None:
    B = nx.Graph(
        [("umcg", "p1"), ("philips", "p1"), ("rug", "p2"), ("province", "p2"), ("x", "p3")]
    )
    nx.set_node_attributes(
        B,
        {
            "umcg": ["academia", "government"],
            "philips": "industry",
            "rug": "academia",
            "province": "government",
        },
        "helix",
    )
    r = helix_synergy(B, ["p1", "p2", "p3"])
    assert r["table"] == {"000": 1, "101": 1, "111": 1}
    assert helix_synergy(B, ["p1", "p2", "p3"], min_participants=2)["n"] == 2


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="pattern"):
        helix_synergy_from_counts({"12": 1})
    with pytest.raises(ValueError, match="two or more"):
        mutual_information([], ["academia"])
