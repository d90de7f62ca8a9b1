"""One function per data file: rows → triples in the graphs of their sources."""

from __future__ import annotations

from rdflib import RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG

from helixgraph.ingest.seed.graph import SeedGraph, date_literal, row_hash
from helixgraph.ingest.tables import Row, split_lang
from helixgraph.vocab.namespace import HX, SCHEMA, iri
from helixgraph.vocab.values import (
    HELICES,
    INITIATIVE_KINDS,
    MEASURES,
    ORG_KINDS,
    PLACE_KINDS,
    QUALIFIERS,
    RELATIONS,
    ROLES,
    UNITS,
)

ENTITY_KINDS = ("org", "initiative", "place")


def add_all(sg: SeedGraph, tables: dict[str, list[Row]]) -> None:
    for name, add in (
        ("sources.csv", add_source),
        ("places.csv", add_place),
        ("organisations.csv", add_organisation),
        ("people.csv", add_person),
        ("initiatives.csv", add_initiative),
        ("posts.csv", add_post),
        ("relations.csv", add_relation),
        ("funding.csv", add_award),
        ("figures.csv", add_figure),
    ):
        for row in tables[name]:
            add(sg, row)


def add_source(sg: SeedGraph, row: Row) -> None:
    """Source documents are described in the metadata graph (see build.py)."""
    s = iri("source", row["id"])
    sg.origin.setdefault(s, (str(row.file), row.line))
    g = sg.meta
    lang = row["language"]
    g.add((s, RDF.type, HX.SourceDocument))
    if not row["title"]:
        raise row.error("title", "is empty: every source needs its title")
    g.add((s, DCTERMS.title, Literal(row["title"], lang=lang)))
    g.add((s, RDFS.label, Literal(row["title"], lang=lang)))
    g.add((s, DCTERMS.language, Literal(lang)))
    if row["publisher"]:
        g.add((s, DCTERMS.publisher, Literal(row["publisher"])))
    date = row.date("date")
    if date:
        g.add((s, DCTERMS.date, date_literal(date)))
    if row["url"]:
        g.add((s, SCHEMA.url, Literal(row["url"], datatype=XSD.anyURI)))
    if row["translation_of"]:
        g.add(
            (s, HX.translationOf, sg.ref(row, "translation_of", row["translation_of"], ("source",)))
        )
    if row["seed_file"]:
        g.add((s, HX.seedFile, Literal(row["seed_file"])))
    if row["note"]:
        g.add((s, RDFS.comment, Literal(row["note"], lang="en")))


def _names(sg: SeedGraph, row: Row, sources: list[str], s: URIRef) -> None:
    if not (row["name_en"] or row["name_nl"]):
        raise row.error("name_en", "both name_en and name_nl are empty: give at least one name")
    for col, lang in (("name_en", "en"), ("name_nl", "nl")):
        if row[col]:
            sg.add(sources, s, SKOS.prefLabel, Literal(row[col], lang=lang))
            sg.add(sources, s, RDFS.label, Literal(row[col], lang=lang))


def _abbreviations(sg: SeedGraph, row: Row, sources: list[str], s: URIRef) -> None:
    for abbr in row.many("abbreviations"):
        sg.add(sources, s, HX.abbreviation, Literal(abbr))
        sg.add(sources, s, SKOS.altLabel, Literal(abbr))


def add_place(sg: SeedGraph, row: Row) -> None:
    s, sources = iri("place", row["id"]), sg.sources_of(row)
    sg.node(row, sources, s, HX.Place)
    sg.add(sources, s, RDF.type, HX[PLACE_KINDS[row.choice("kind", list(PLACE_KINDS))]])
    _names(sg, row, sources, s)
    if row["part_of"]:
        sg.add(sources, s, HX.partOf, sg.ref(row, "part_of", row["part_of"], ("place",)))


def add_organisation(sg: SeedGraph, row: Row) -> None:
    s, sources = iri("org", row["id"]), sg.sources_of(row)
    sg.node(row, sources, s, HX.Organisation)
    kinds = row.choices("kinds", list(ORG_KINDS))
    if not kinds:
        raise row.error("kinds", "is empty: say what kind of organisation this is")
    for kind in kinds:
        sg.add(sources, s, RDF.type, HX[ORG_KINDS[kind]])
    for helix in row.choices("helices", list(HELICES)):
        sg.add(sources, s, HX.helix, HX[HELICES[helix]])
    _names(sg, row, sources, s)
    _abbreviations(sg, row, sources, s)
    for name in row.many("other_names"):
        text, lang = split_lang(name, None)
        sg.add(sources, s, SKOS.altLabel, Literal(text, lang=lang))
    for place in row.many("located_in"):
        sg.add(sources, s, HX.locatedIn, sg.ref(row, "located_in", place, ("place",)))
    if row["parent"]:
        sg.add(sources, s, ORG.subOrganizationOf, sg.ref(row, "parent", row["parent"], ("org",)))
    founded = row.date("founded")
    if founded:
        sg.add(sources, s, HX.founded, date_literal(founded))
    if row["website"]:
        sg.add(sources, s, SCHEMA.url, Literal(row["website"], datatype=XSD.anyURI))
    if row["note"]:
        sg.add(sources, s, RDFS.comment, Literal(row["note"], lang="en"))


def add_person(sg: SeedGraph, row: Row) -> None:
    s, sources = iri("person", row["id"]), sg.sources_of(row)
    if not row["name"]:
        raise row.error("name", "is empty")
    sg.node(row, sources, s, HX.Person)
    sg.add(sources, s, FOAF.name, Literal(row["name"]))
    sg.add(sources, s, RDFS.label, Literal(row["name"]))


def add_initiative(sg: SeedGraph, row: Row) -> None:
    s, sources = iri("initiative", row["id"]), sg.sources_of(row)
    sg.node(row, sources, s, HX.Initiative)
    for kind in row.choices("kinds", list(INITIATIVE_KINDS)):
        sg.add(sources, s, RDF.type, HX[INITIATIVE_KINDS[kind]])
    _names(sg, row, sources, s)
    _abbreviations(sg, row, sources, s)
    for place in row.many("located_in"):
        sg.add(sources, s, HX.locatedIn, sg.ref(row, "located_in", place, ("place",)))
    for col, prop in (("start", HX.startDate), ("end", HX.endDate)):
        value = row.date(col)
        if value:
            sg.add(sources, s, prop, date_literal(value))
    for col, lang in (("description_en", "en"), ("description_nl", "nl")):
        if row[col]:
            sg.add(sources, s, DCTERMS.description, Literal(row[col], lang=lang))


def add_post(sg: SeedGraph, row: Row) -> None:
    sources = sg.sources_of(row)
    person = sg.ref(row, "person", row["person"], ("person",))
    role = row.choice("role", list(ROLES))
    if bool(row["organisation"]) == bool(row["initiative"]):
        raise row.error("organisation", "give exactly one of 'organisation' and 'initiative'")
    where = (
        sg.ref(row, "organisation", row["organisation"], ("org",))
        if row["organisation"]
        else sg.ref(row, "initiative", row["initiative"], ("initiative",))
    )
    s = iri("post", row_hash(row["person"], role, str(where)))
    sg.node(row, sources, s, HX.Post)
    sg.add(sources, person, ORG.holds, s)
    sg.add(sources, s, ORG.role, HX[ROLES[role]])
    sg.add(sources, s, HX.postIn, where)
    sg.text(row, sources, s, RDFS.label, "title")
    sg.text(row, sources, s, HX.quote, "quote")


def add_relation(sg: SeedGraph, row: Row) -> None:
    sources = sg.sources_of(row)
    name = row.choice("relation", list(RELATIONS))
    prop, subject_kinds, object_kinds = RELATIONS[name]
    subject = sg.ref(row, "subject", row["subject"], subject_kinds)
    obj = sg.ref(row, "object", row["object"], object_kinds)
    if subject == obj:
        raise row.error("object", f"{row['object']!r} is linked to itself")
    sg.add(sources, subject, prop, obj)
    e = iri("link", row_hash(str(subject), str(prop), str(obj), row["topic"]))
    sg.node(row, sources, e, HX.LinkEvidence)
    sg.add(sources, e, RDF.subject, subject)
    sg.add(sources, e, RDF.predicate, prop)
    sg.add(sources, e, RDF.object, obj)
    sg.text(row, sources, e, HX.topic, "topic")
    sg.text(row, sources, e, HX.quote, "quote")


def add_award(sg: SeedGraph, row: Row) -> None:
    s, sources = iri("award", row["id"]), sg.sources_of(row)
    sg.node(row, sources, s, HX.FundingAward)
    if not row["recipient"]:
        raise row.error("recipient", "is empty: an award needs the recipient the source names")
    sg.add(
        sources, s, HX.recipient, sg.ref(row, "recipient", row["recipient"], ("org", "initiative"))
    )
    if row["funder"]:
        sg.add(sources, s, HX.funder, sg.ref(row, "funder", row["funder"], ("org",)))
    amount = row.decimal("amount")
    if amount is not None:
        if amount < 0:
            raise row.error("amount", f"{row['amount']!r} is negative")
        if not row["currency"]:
            raise row.error("currency", "is empty but an amount is given (e.g. EUR)")
        sg.add(sources, s, HX.amount, Literal(amount, datatype=XSD.decimal))
    if row["currency"]:
        if len(row["currency"]) != 3 or not row["currency"].isupper():
            raise row.error("currency", f"{row['currency']!r} is not an ISO 4217 code like EUR")
        sg.add(sources, s, HX.currency, Literal(row["currency"]))
    date = row.date("date")
    if date:
        sg.add(sources, s, HX.awardDate, date_literal(date))
    if row["programme"]:
        sg.add(
            sources, s, HX.programme, sg.ref(row, "programme", row["programme"], ("initiative",))
        )
    for col, lang in (("purpose_en", "en"), ("purpose_nl", "nl")):
        sg.text(row, sources, s, HX.purpose, col, lang)
    sg.text(row, sources, s, HX.quote, "quote")


def add_figure(sg: SeedGraph, row: Row) -> None:
    sources = sg.sources_of(row)
    about = sg.ref(row, "subject", row["subject"], ENTITY_KINDS)
    measure = row.choice("measure", list(MEASURES))
    value = row.decimal("value")
    if value is None:
        raise row.error("value", "is empty: a figure needs its number")
    unit = row.choice("unit", UNITS)
    year, date = row.date("year"), row.date("date")
    if year and len(year) != 4:
        raise row.error("year", f"{year!r} is not a year (YYYY); use the 'date' column for a date")
    s = iri(
        "figure",
        row_hash(
            str(about),
            measure,
            str(value),
            unit,
            year or "",
            date or "",
            row["qualifier"],
            "+".join(sources),
        ),
    )
    sg.node(row, sources, s, HX.Figure)
    sg.add(sources, s, HX.about, about)
    sg.add(sources, s, HX.measure, HX[MEASURES[measure]])
    sg.add(sources, s, HX.value, Literal(value, datatype=XSD.decimal))
    sg.add(sources, s, HX.unit, Literal(unit))
    if year:
        sg.add(sources, s, HX.year, Literal(year, datatype=XSD.gYear))
    if date:
        sg.add(sources, s, HX.date, date_literal(date))
    if row["qualifier"]:
        sg.add(sources, s, HX.qualifier, Literal(row.choice("qualifier", QUALIFIERS)))
    sg.text(row, sources, s, HX.quote, "quote")
