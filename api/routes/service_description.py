"""The SPARQL 1.1 service description: what ``GET /sparql`` without a query answers to
a client that does not ask for HTML (the endpoint, its features, formats and named graphs)."""

from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi import Request, Response

from helixgraph.sparql import Job, NotAcceptable, Service, negotiate
from helixgraph.vocab.namespace import PREFIXES, QUERY_PREFIXES

from .sparql_protocol import endpoint, error

# the W3C service-description and formats vocabularies are not helixgraph's (not in
# vocab.PREFIXES); dcterms is
SD_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
    "dcterms": PREFIXES["dcterms"],
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": PREFIXES["xsd"],
}
# the predeclared prefixes, as SHACL prefix declarations (sh:declare) of the endpoint
DECLARED = "".join(
    f';\n  sh:declare [ sh:prefix "{n}" ; sh:namespace "{ns}"^^xsd:anyURI ]'
    for n, ns in QUERY_PREFIXES.items()
)
SD = "\n" + "".join(f"@prefix {n}: <{ns}> .\n" for n, ns in SD_PREFIXES.items())
SD += """<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  dcterms:title "helixgraph SPARQL endpoint" ;
  dcterms:description "Triple-helix innovation ecosystems (MedTech, Groningen and Twente). \
The default graph is the RDF merge of all named graphs (one per source, plus the ontology \
and the metadata graph): a set holding each distinct triple once, however many sources state \
it, so counts count distinct facts; GRAPH ?g ranges over the named graphs only and keeps \
answering per source. A request that names a dataset (default-graph-uri / named-graph-uri, \
or FROM / FROM NAMED) replaces it. CONSTRUCT and DESCRIBE answers hold no triple twice. \
The prefixes listed by sh:declare are predeclared: a query may use them without PREFIX lines \
(its own PREFIX lines win)." {declared};
  sd:supportedLanguage sd:SPARQL11Query {update_language};
  sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
  sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML,
    formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle,
    formats:N-Triples, formats:JSON-LD, formats:RDF_XML, formats:N-Quads, formats:TriG ;
  sd:defaultDataset [
    a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ] {named}
  ] .
"""


async def service_description(request: Request, service: Service, fmt: str | None) -> Response:
    try:
        chosen, media_type = negotiate(request.headers.get("accept"), True, fmt)
    except NotAcceptable as exc:
        return error(406, str(exc))
    graphs = await service.aquery(
        Job("SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g", format="json")
    )
    names: list[str] = []
    if graphs.status == "ok":
        rows = json.loads(graphs.body)["results"]["bindings"]
        names = [r["g"]["value"] for r in rows if r["g"]["type"] == "uri"]
    named = "".join(f";\n    sd:namedGraph [ a sd:NamedGraph ; sd:name <{n}> ]" for n in names)
    text = SD.format(
        endpoint=endpoint(request),
        update_language=", sd:SPARQL11Update " if service.writable else "",
        named=named,
        declared=DECLARED,
    )
    if not service.limits.allow_service:
        text = text.replace(", sd:BasicFederatedQuery", "")
    quads = ox.parse(text.encode(), ox.RdfFormat.TURTLE)
    body = ox.serialize(
        [q.triple for q in quads],
        format=chosen.ox_format,  # type: ignore[arg-type]
        prefixes=SD_PREFIXES,
    )
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
