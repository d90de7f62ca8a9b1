"""Funding flows: totals by funder, recipient, helix, region and year.

The input is a directed funding graph: an edge ``funder -> recipient`` with ``amount``
(the summed amount of its awards), ``by_year`` (``{year: amount}``, year as a string or
``"unknown"``) and ``awards`` (how many awards). helixgraph's ``network.funding_graph``
builds one from the knowledge graph; any graph with the same attributes will do.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

Graph = Any


def _as_list(value: Any) -> list[Hashable]:
    if value is None:
        return ["unknown"]
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(value, key=str) if value else ["unknown"]
    return [value]


def _add(table: dict[Any, float], key: Hashable, amount: float) -> None:
    table[key] = table.get(key, 0.0) + amount


def funding_totals(
    F: Graph, amount: str = "amount", group: str = "helix", region: str = "regions"
) -> dict[str, Any]:
    """Return funding totals overall and by funder, recipient, helix, region and year.

    ``group`` and ``region`` name node attributes; a value may be a list (an organisation
    in several helices, or in a place nested in larger places), in which case the amount
    counts for each entry, so those sums can exceed ``total``. Missing values count under
    ``"unknown"``. ``helix_flows[g][h]`` is the amount from funders of helix ``g`` to
    recipients of helix ``h``.

    Example
    -------
    >>> import networkx as nx
    >>> F = nx.DiGraph()
    >>> F.add_node("nwo", helix="government")
    >>> F.add_node("rug", helix="academia", regions=["groningen"])
    >>> F.add_edge("nwo", "rug", amount=5.0, by_year={"2020": 5.0}, awards=1)
    >>> t = funding_totals(F)
    >>> t["total"], t["by_recipient_helix"], t["by_region"]
    (5.0, {'academia': 5.0}, {'groningen': 5.0})

    References
    ----------
    .. [1] Etzkowitz, H. (2008). The Triple Helix: University-Industry-Government
       Innovation in Action. Routledge (public venture capital and the state's role).
    """
    total = 0.0
    awards = 0
    by_funder: dict[Hashable, float] = {}
    by_recipient: dict[Hashable, float] = {}
    by_helix: dict[Hashable, float] = {}
    by_funder_helix: dict[Hashable, float] = {}
    by_region: dict[Hashable, float] = {}
    by_year: dict[str, float] = {}
    flows: dict[Hashable, dict[Hashable, float]] = {}
    for f, r, data in F.edges(data=True):
        a = float(data.get(amount, 0.0))
        total += a
        awards += int(data.get("awards", 1))
        _add(by_funder, f, a)
        _add(by_recipient, r, a)
        for h in _as_list(F.nodes[r].get(group)):
            _add(by_helix, h, a)
        for h in _as_list(F.nodes[f].get(group)):
            _add(by_funder_helix, h, a)
            for k in _as_list(F.nodes[r].get(group)):
                _add(flows.setdefault(h, {}), k, a)
        for place in _as_list(F.nodes[r].get(region)):
            _add(by_region, place, a)
        for year, x in (data.get("by_year") or {"unknown": a}).items():
            _add(by_year, str(year), float(x))

    def ranked(table: dict[Any, float]) -> dict[Any, float]:
        return dict(sorted(table.items(), key=lambda kv: (-kv[1], str(kv[0]))))

    return {
        "total": total,
        "awards": awards,
        "by_funder": ranked(by_funder),
        "by_recipient": ranked(by_recipient),
        "by_funder_helix": ranked(by_funder_helix),
        "by_recipient_helix": ranked(by_helix),
        "by_region": ranked(by_region),
        "by_year": dict(sorted(by_year.items())),
        "helix_flows": {
            g: ranked(row) for g, row in sorted(flows.items(), key=lambda kv: str(kv[0]))
        },
    }


def funding_flows(
    F: Graph, amount: str = "amount", funders: Iterable[Hashable] | None = None
) -> list[dict[str, Any]]:
    """Return the funder -> recipient flows as records, largest first.

    Each record: ``funder``, ``recipient``, ``amount``, ``awards`` and ``by_year``.
    ``funders`` restricts the list to some funders.

    Example
    -------
    >>> import networkx as nx
    >>> F = nx.DiGraph([("nwo", "rug", {"amount": 5.0, "by_year": {"2020": 5.0}, "awards": 1})])
    >>> funding_flows(F)[0]["amount"]
    5.0

    References
    ----------
    .. [1] Leydesdorff, L., Etzkowitz, H. (1996). Emergence of a triple helix of
       university-industry-government relations. Science and Public Policy 23(5), 279-286.
    """
    keep = None if funders is None else set(funders)
    records = [
        {
            "funder": f,
            "recipient": r,
            "amount": float(data.get(amount, 0.0)),
            "awards": int(data.get("awards", 1)),
            "by_year": dict(sorted((data.get("by_year") or {}).items())),
        }
        for f, r, data in F.edges(data=True)
        if keep is None or f in keep
    ]
    records.sort(key=lambda rec: (-rec["amount"], str(rec["funder"]), str(rec["recipient"])))
    return records
