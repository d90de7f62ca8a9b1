"""``/.well-known/void``: a VoID and DCAT description of the dataset (RFC 5785 well-known
path, as the VoID guide asks): the dataset, its SPARQL endpoint, its URI space and
vocabulary, its dumps (the Graph Store Protocol's ``/store``), and one subset per named
graph with its size, the source it comes from, and that source's licence and publisher,
all read from the build's metadata graph. Turtle by default; any RDF format by ``Accept``
or ``?format=``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from helixgraph.sparql import FORMAT_ALIASES, Job, NotAcceptable, Service, negotiate
from helixgraph.vocab.iris import ID, META_GRAPH
from helixgraph.vocab.namespace import BASE, DATASET, HX, QUERY_PREFIXES

from ..problems import problem

router = APIRouter(tags=["linked data"])

VOID = QUERY_PREFIXES["void"]
DCAT = QUERY_PREFIXES["dcat"]
DCT = QUERY_PREFIXES["dcterms"]
RDF_TYPE = QUERY_PREFIXES["rdf"] + "type"
PROV = QUERY_PREFIXES["prov"]
SUBSETS = f"""CONSTRUCT {{
  ?build <{PROV}endedAtTime> ?built .
  ?g a <{VOID}Dataset> ; <{VOID}triples> ?n ; <{DCT}source> ?src ;
     <{DCT}license> ?licence ; <{DCT}publisher> ?publisher ; <{DCT}title> ?title .
}} WHERE {{ GRAPH <{META_GRAPH}> {{
  {{ ?g <{VOID}triples> ?n .
  OPTIONAL {{ ?g <{PROV}wasDerivedFrom> ?src .
    OPTIONAL {{ ?src <{DCT}license> ?licence }}
    OPTIONAL {{ ?src <{DCT}publisher> ?publisher }}
    OPTIONAL {{ ?src <{DCT}title> ?title }} }} }}
  UNION {{ ?build <{PROV}endedAtTime> ?built }}
}} }}"""
TOTAL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def describe(subsets: bytes, total: int, sparql: str, base: str) -> list[ox.Triple]:
    """The dataset's own description around the subsets the metadata graph gives."""
    triples = [q.triple for q in ox.parse(subsets, ox.RdfFormat.N_TRIPLES)]
    ds = ox.NamedNode(str(DATASET))

    def add(p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> None:
        triples.append(ox.Triple(ds, ox.NamedNode(p), o))

    add(RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(RDF_TYPE, ox.NamedNode(DCAT + "Dataset"))
    add(DCT + "title", ox.Literal("helixgraph", language="en"))
    add(
        DCT + "description",
        ox.Literal(
            "A knowledge graph of triple-helix innovation ecosystems: organisations, "
            "initiatives, funding and the links between them, each fact with its source.",
            language="en",
        ),
    )
    add(VOID + "sparqlEndpoint", ox.NamedNode(sparql))
    add(VOID + "uriSpace", ox.Literal(ID))
    add(VOID + "vocabulary", ox.NamedNode(str(HX)))
    add(
        VOID + "triples",
        ox.Literal(str(total), datatype=ox.NamedNode(QUERY_PREFIXES["xsd"] + "integer")),
    )
    add(VOID + "rootResource", ox.NamedNode(BASE + "ontology"))
    graphs = sorted(
        {t.subject for t in triples if t.predicate.value == VOID + "triples" and t.subject != ds},
        key=str,
    )
    for g in graphs:
        add(VOID + "subset", g)
    # when this version was made: the end of its build or of its latest import
    ended = [
        t.object
        for t in triples
        if t.predicate.value == PROV + "endedAtTime" and isinstance(t.object, ox.Literal)
    ]
    if ended:
        add(DCT + "modified", max(ended, key=lambda lit: lit.value))
    # dumps: the merged default graph, and each named graph (Graph Store Protocol)
    for name, media in (("ntriples", "application/n-triples"), ("turtle", "text/turtle")):
        url = f"{base}store?default&format={name}"
        dump = ox.BlankNode()
        add(DCAT + "distribution", dump)
        triples += [
            ox.Triple(dump, ox.NamedNode(RDF_TYPE), ox.NamedNode(DCAT + "Distribution")),
            ox.Triple(dump, ox.NamedNode(DCAT + "downloadURL"), ox.NamedNode(url)),
            ox.Triple(dump, ox.NamedNode(DCAT + "mediaType"), ox.Literal(media)),
        ]
        add(VOID + "dataDump", ox.NamedNode(url))
    for g in graphs:
        url = f"{base}store?{urlencode({'graph': g.value, 'format': 'ntriples'})}"
        triples.append(ox.Triple(g, ox.NamedNode(VOID + "dataDump"), ox.NamedNode(url)))
    service = ox.BlankNode()
    add(DCAT + "distribution", service)
    triples += [
        ox.Triple(service, ox.NamedNode(RDF_TYPE), ox.NamedNode(DCAT + "Distribution")),
        ox.Triple(service, ox.NamedNode(DCAT + "accessURL"), ox.NamedNode(sparql)),
    ]
    return triples


@router.get("/.well-known/void", summary="VoID / DCAT description of the dataset")
async def void(
    request: Request,
    format: Annotated[str | None, Query(description="turtle, jsonld, ntriples, rdfxml")] = None,
) -> Response:
    service: Service = request.app.state.service
    fmt = FORMAT_ALIASES.get(format, format) if format else None
    try:
        chosen, media_type = negotiate(request.headers.get("accept"), True, fmt)
    except NotAcceptable as exc:
        return problem(request, 406, "Not acceptable", str(exc))
    subsets = await service.aquery(Job(SUBSETS, format="ntriples"))
    total = await service.aquery(Job(TOTAL, format="csv"))
    if subsets.status != "ok" or total.status != "ok":
        return problem(request, 503, "Not available", subsets.message or total.message)
    base = str(request.base_url)
    sparql = base + "sparql"
    count = int(total.body.decode().split()[1])
    triples = await run_in_threadpool(describe, subsets.body, count, sparql, base)
    body = ox.serialize(triples, format=chosen.ox_format, prefixes=QUERY_PREFIXES)  # type: ignore[arg-type]
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
