"""The external datasets helixgraph imports, described as source documents.

Facts imported from a dataset (and the seed's ``data/identifiers.csv`` rows that cite
one) are ``prov:wasDerivedFrom`` the dataset's ``hx:SourceDocument``
(``https://w3id.org/helixgraph/id/source/{id}``), described in the metadata graph with
its title, publisher, licence and address.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from helixgraph.vocab.namespace import DCTERMS, HX, RDF, RDFS, SCHEMA, XSD, iri


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    publisher: str
    url: str
    licence: str  # an IRI
    date: str = ""
    note: str = ""
    language: str = "en"

    @property
    def iri(self) -> str:
        return str(iri("source", self.id))


CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"

DATASETS: dict[str, Dataset] = {
    d.id: d
    for d in (
        Dataset(
            "cordis-h2020",
            "CORDIS - EU research projects under Horizon 2020 (2014-2020)",
            "European Commission, CORDIS",
            "https://data.europa.eu/data/datasets/cordish2020projects",
            CC_BY,
            "2020-12",
            "Participations from zambujo/eunets data/h2020.csv.gz (snapshot 2020-12); organisation "
            "names from the CORDIS H2020 (2017) and FP7 organisation tables.",
        ),
        Dataset(
            "cordis-horizon-europe",
            "CORDIS - EU research projects under Horizon Europe (2021-2027)",
            "European Commission, CORDIS",
            "https://data.europa.eu/data/datasets/cordis-eu-research-projects-under-horizon-europe-2021-2027",
            CC_BY,
            "2025-12",
            "Projects and participations in the layout of CORDIS's official CSV export "
            "(project.csv, organization.csv). CORDIS, European Commission.",
        ),
        Dataset(
            "cordis-h2020-projects",
            "CORDIS - EU research projects under Horizon 2020 (2014-2020), official CSV export",
            "European Commission, CORDIS",
            "https://data.europa.eu/data/datasets/cordish2020projects",
            CC_BY,
            "",
            "Projects and participations from CORDIS's official CSV export (project.csv, "
            "organization.csv). CORDIS, European Commission.",
        ),
        Dataset(
            "ror",
            "Research Organization Registry (ROR)",
            "ROR",
            "https://ror.org/",
            CC0,
            "",
            "Records from ror-community/ror-records releases v1.0-v2.9 (latest version of each).",
        ),
        Dataset(
            "nl-structural-funds",
            "Lijst van begunstigden EFRO en ESF Nederland 2007-2013",
            "Europa om de hoek; republished by Open Knowledge (os-data/eu-structural-funds)",
            "https://www.europaomdehoek.nl/",
            "",
            "2015-03-31",
            "Mandatory public list of beneficiaries (Reg. 1828/2006); no explicit licence.",
            "nl",
        ),
    )
}


def is_dataset(source_id: str) -> bool:
    return source_id in DATASETS


def _t(node: object) -> ox.NamedNode:
    return ox.NamedNode(str(node))


def describe(d: Dataset, graph: str, *, custom_title: str | None = None) -> list[ox.Quad]:
    """The quads that describe dataset ``d`` as a ``hx:SourceDocument`` in ``graph``."""
    s, g = ox.NamedNode(d.iri), ox.NamedNode(graph)
    title = custom_title or d.title
    lang = d.language
    out = [
        ox.Quad(s, _t(RDF.type), _t(HX.SourceDocument), g),
        ox.Quad(s, _t(DCTERMS.title), ox.Literal(title, language=lang), g),
        ox.Quad(s, _t(RDFS.label), ox.Literal(title, language=lang), g),
        ox.Quad(s, _t(DCTERMS.language), ox.Literal(lang), g),
        ox.Quad(s, _t(DCTERMS.publisher), ox.Literal(d.publisher), g),
        ox.Quad(s, _t(SCHEMA.url), ox.Literal(d.url, datatype=_t(XSD.anyURI)), g),
    ]
    if d.licence:
        out.append(ox.Quad(s, _t(DCTERMS.license), ox.NamedNode(d.licence), g))
    if d.date:
        kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(d.date), XSD.date)
        out.append(ox.Quad(s, _t(DCTERMS.date), ox.Literal(d.date, datatype=_t(kind)), g))
    if d.note:
        out.append(ox.Quad(s, _t(RDFS.comment), ox.Literal(d.note, language="en"), g))
    return out
