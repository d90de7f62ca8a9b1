"""Leydesdorff's triple-helix synergy: mutual information in three (or more) dimensions.

Each project or initiative is one observation; its *composition* is the set of spheres
(helices) among its participants. Each sphere is a binary dimension (present/absent), and
the observations fill a 2 x 2 x 2 table (2^k for k spheres). With Shannon entropies in bits,

    T(UIG) = H_U + H_I + H_G - H_UI - H_UG - H_IG + H_UIG

and in general (McGill's interaction information, as Leydesdorff generalises it to the
quadruple helix) ``T = sum over non-empty subsets S of (-1) ** (|S| + 1) * H_S``, so
``T(1234) = sum H_i - sum H_ij + sum H_ijk - H_1234``.

Sign convention: Leydesdorff's. In three dimensions a *negative* T means synergy -- the
configuration reduces uncertainty beyond what the bilateral relations explain; positive
T means the three spheres' relations do not add up to a system. The sign of this
quantity alternates with the number of dimensions (Krippendorff 2009), so a
four-dimensional T is reported as computed, and is not directly comparable with T(UIG).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

Graph = Any

TRIPLE_HELIX = ("academia", "industry", "government")
QUADRUPLE_HELIX = ("academia", "industry", "government", "civil_society")


def _entropy(counts: Iterable[int]) -> float:
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return 0.0
    return -sum(c / total * math.log2(c / total) for c in values)


def mutual_information(
    compositions: Iterable[Collection[Hashable]],
    spheres: Sequence[Hashable] = TRIPLE_HELIX,
) -> dict[str, Any]:
    """Return Leydesdorff's mutual information T among ``spheres``, in bits.

    ``compositions`` holds, for each observation (a project), the spheres taking part in
    it; spheres not in ``spheres`` are ignored (a project of only other spheres falls in
    the all-absent cell, and still counts). The result: ``T`` (bits), ``n`` observations,
    ``entropies`` keyed by the joined sphere names (``"academia,industry"``), and ``table``:
    the counts keyed by presence patterns such as ``"110"`` (in the order of ``spheres``).

    Example
    -------
    Four projects: U+I, U+G, I+G and U+I+G. Each sphere is present in 3 of 4
    (``H = 0.8113`` bits each); each pair's pattern is 11 twice, 10 once, 01 once
    (``H = 1.5`` bits); the triple pattern has four distinct cells (``H = 2`` bits);
    ``T = 3 * 0.8113 - 3 * 1.5 + 2 = -0.0662`` bits: a little synergy.

    >>> r = mutual_information([{"academia", "industry"}, {"academia", "government"},
    ...                         {"industry", "government"}, {"academia", "industry", "government"}])
    >>> round(r["T"], 4)
    -0.0662

    References
    ----------
    .. [1] Leydesdorff, L. (2003). The mutual information of university-industry-government
       relations: an indicator of the triple helix dynamics. Scientometrics 58(2), 445-467.
    .. [2] Leydesdorff, L., Sun, Y. (2009). National and international dimensions of the
       triple helix in Japan. JASIST 60(4), 778-788.
    .. [3] McGill, W. J. (1954). Multivariate information transmission. Psychometrika
       19(2), 97-116.
    .. [4] Krippendorff, K. (2009). Information of interactions in complex systems.
       International Journal of General Systems 38(6), 669-680.
    """
    k = len(spheres)
    if k < 2 or len(set(spheres)) != k:
        raise ValueError(f"need two or more different spheres, got {list(spheres)!r}")
    table: Counter[tuple[int, ...]] = Counter()
    for composition in compositions:
        table[tuple(int(s in composition) for s in spheres)] += 1
    entropies: dict[str, float] = {}
    T = 0.0
    for size in range(1, k + 1):
        for subset in combinations(range(k), size):
            marginal: Counter[tuple[int, ...]] = Counter()
            for pattern, count in table.items():
                marginal[tuple(pattern[i] for i in subset)] += count
            h = _entropy(marginal.values())
            entropies[",".join(str(spheres[i]) for i in subset)] = h
            T += (-1) ** (size + 1) * h
    if abs(T) < 1e-12:  # sums of entropies that cancel leave rounding noise
        T = 0.0
    return {
        "T": T,
        "unit": "bits",
        "spheres": list(spheres),
        "n": sum(table.values()),
        "entropies": entropies,
        "table": {"".join(map(str, p)): c for p, c in sorted(table.items())},
    }


def helix_synergy(
    B: Graph,
    projects: Iterable[Hashable],
    group: str = "helix",
    spheres: Sequence[Hashable] = TRIPLE_HELIX,
    min_participants: int = 1,
) -> dict[str, Any]:
    """Return T among ``spheres`` from the helix composition of ``projects`` in a bipartite graph.

    ``B`` links organisations to projects (or initiatives); ``projects`` are its project
    nodes. A project's composition is the set of ``group`` attribute values of its
    neighbours (a value may also be a list or set, for organisations of several helices).
    Projects with fewer than ``min_participants`` neighbours are skipped.
    See :func:`mutual_information` for the result and the sign convention.

    Example
    -------
    >>> import networkx as nx
    >>> B = nx.Graph([("u", "p1"), ("f", "p1"), ("u", "p2"), ("g", "p2")])
    >>> nx.set_node_attributes(B, {"u": "academia", "f": "industry", "g": "government"}, "helix")
    >>> helix_synergy(B, ["p1", "p2"])["table"]
    {'101': 1, '110': 1}

    References
    ----------
    .. [1] Leydesdorff, L. (2003). The mutual information of university-industry-government
       relations: an indicator of the triple helix dynamics. Scientometrics 58(2), 445-467.
    """
    compositions: list[set[Hashable]] = []
    for p in projects:
        members = list(B[p])
        if len(members) < min_participants:
            continue
        composition: set[Hashable] = set()
        for v in members:
            value = B.nodes[v].get(group)
            if isinstance(value, (list, set, tuple, frozenset)):
                composition.update(value)
            elif value is not None:
                composition.add(value)
        compositions.append(composition)
    return mutual_information(compositions, spheres)


def helix_synergy_from_counts(
    table: Mapping[str, int], spheres: Sequence[Hashable] = TRIPLE_HELIX
) -> dict[str, Any]:
    """Return T from a table of counts keyed by presence patterns such as ``"110"``.

    Example
    -------
    >>> round(helix_synergy_from_counts({"110": 1, "101": 1, "011": 1, "111": 1})["T"], 4)
    -0.0662

    References
    ----------
    .. [1] Leydesdorff, L. (2003). Scientometrics 58(2), 445-467.
    """
    compositions: list[set[Hashable]] = []
    for pattern, count in table.items():
        if len(pattern) != len(spheres) or set(pattern) - {"0", "1"}:
            raise ValueError(f"pattern {pattern!r} is not {len(spheres)} digits of 0/1")
        present = {s for s, bit in zip(spheres, pattern, strict=True) if bit == "1"}
        compositions.extend(present for _ in range(count))
    return mutual_information(compositions, spheres)
