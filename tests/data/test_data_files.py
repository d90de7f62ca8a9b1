"""Checks on the seed data in ``data/*.csv`` that need no build.

The column lists and the allowed values are parsed from the contract,
``docs/data-model.md``, so a change there is picked up here.  The key check
is that every quote occurs in the text of every source its row cites: that is
what keeps the data to what the articles state.

The article texts are third-party press texts and are not part of the
repository.  They are looked up in ``$HELIXGRAPH_SEEDS`` (default
``/work/shared/seeds``); the checks that need them are skipped when absent.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pytest

from tests.shared_data import SHARED

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CONTRACT = ROOT / "docs" / "data-model.md"
SEEDS = Path(os.environ.get("HELIXGRAPH_SEEDS", str(SHARED / "seeds")))

FILES = [
    "sources.csv",
    "places.csv",
    "organisations.csv",
    "people.csv",
    "posts.csv",
    "initiatives.csv",
    "relations.csv",
    "funding.csv",
    "figures.csv",
]
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
DECIMAL = re.compile(r"\d+(\.\d+)?")
YEAR = re.compile(r"\d{4}")
LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


# --------------------------------------------------------------------------- contract


@cache
def contract() -> str:
    return CONTRACT.read_text(encoding="utf-8")


def _split_list(span: str) -> list[str]:
    return [v.strip() for v in span.split(",") if v.strip()]


@cache
def headers() -> dict[str, list[str]]:
    """`### `x.csv` ...` followed by a line holding the backticked column list."""
    found = {}
    for m in re.finditer(r"^### `([a-z_]+\.csv)`[^\n]*\n`([^`]+)`", contract(), re.M):
        found[m.group(1)] = _split_list(m.group(2))
    return found


def _after(marker: str) -> list[str]:
    """The first backticked comma list after ``marker`` in the contract."""
    text = contract()
    i = text.find(marker)
    assert i >= 0, f"contract no longer contains {marker!r}"
    m = re.compile(r"`([^`]*,[^`]*)`").search(text, i + len(marker))
    assert m, f"no list after {marker!r}"
    return _split_list(m.group(1))


@cache
def vocab() -> dict[str, list[str]]:
    section = contract().split("### `relations.csv`")[1].split("### `funding.csv`")[0]
    return {
        "place_kind": _after("- `kind` ∈"),
        "org_kinds": _after("from this list:"),
        "helices": _after("`helices` (zero or more)"),
        "roles": _after("- `role` ∈"),
        "initiative_kinds": _after("- `kinds` ∈"),
        "relations": re.findall(r"^\s*\| `([a-z_]+)` \|", section, re.M),
        "measures": _after("`hx:measure` ∈"),
        "units": _after("`hx:unit` ∈"),
        "qualifiers": _after("`hx:qualifier` ∈"),
    }


def test_contract_parses():
    assert set(headers()) == set(FILES)
    v = vocab()
    assert "university" in v["org_kinds"] and "consortium" in v["org_kinds"]
    assert v["helices"] == ["academia", "industry", "government", "civil_society"]
    assert v["place_kind"] == ["city", "province", "region", "country"]
    assert "state_secretary" in v["roles"] and "chair" in v["roles"]
    assert "funding_call" in v["initiative_kinds"]
    assert {"member_of", "participates_in", "hosts"} <= set(v["relations"])
    assert "employees_fte" in v["measures"] and "visitors" in v["measures"]
    assert "FTE" in v["units"] and "EUR" in v["units"]
    assert "nearly" in v["qualifiers"]


# --------------------------------------------------------------------------- data


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def numbered(name: str):
    """(line number in the file, row): the header is line 1."""
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for row in reader:
            yield reader.line_num, row


def multi(cell: str) -> list[str]:
    return [v for v in cell.split(";")] if cell else []


def ids(name: str, column: str = "id") -> set[str]:
    return {r[column] for r in rows(name)}


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@cache
def seed_text(source_id: str) -> str:
    row = next(r for r in rows("sources.csv") if r["id"] == source_id)
    return norm((SEEDS / row["seed_file"]).read_text(encoding="utf-8"))


needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"article texts not available in {SEEDS} (set HELIXGRAPH_SEEDS)"
)


def valid_date(value: str) -> bool:
    """A date, year-month or year, as the contract allows."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            date.fromisoformat(value)
            return True
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return 1 <= int(value[5:]) <= 12
        return bool(YEAR.fullmatch(value))
    except ValueError:
        return False


@pytest.mark.parametrize("name", FILES)
def test_header_is_exactly_the_contract(name):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == headers()[name]


@pytest.mark.parametrize("name", FILES)
def test_plain_utf8_rows_have_all_columns(name):
    raw = (DATA / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    assert b"\r" not in raw, "unix line endings"
    raw.decode("utf-8")
    width = len(headers()[name])
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        for rec in reader:
            assert len(rec) == width, f"{name}:{reader.line_num}: {len(rec)} cells"
    assert rows(name), f"{name} has no rows"


@pytest.mark.parametrize("name", FILES)
def test_cells_are_trimmed_and_multi_values_clean(name):
    single = {"title", "note", "quote", "description_en", "description_nl", "purpose_en",
              "purpose_nl", "topic", "name", "name_en", "name_nl"}
    for line, row in numbered(name):
        for col, cell in row.items():
            assert cell == cell.strip(), f"{name}:{line}: column {col!r}: surrounding blanks"
            assert "\n" not in cell, f"{name}:{line}: column {col!r}: line break in cell"
            if col not in single:
                for v in multi(cell):
                    assert v and v == v.strip(), f"{name}:{line}: column {col!r}: empty item"


def test_ids_unique_and_slug_shaped():
    for name in ["sources.csv", "places.csv", "organisations.csv", "people.csv",
                 "initiatives.csv", "funding.csv"]:
        seen = set()
        for line, row in numbered(name):
            assert SLUG.fullmatch(row["id"]), f"{name}:{line}: id {row['id']!r} is not a slug"
            assert row["id"] not in seen, f"{name}:{line}: duplicate id {row['id']!r}"
            seen.add(row["id"])
    # relations.csv resolves subject/object by id alone: ids must not clash across kinds
    pools = [ids("places.csv"), ids("organisations.csv"), ids("people.csv"),
             ids("initiatives.csv")]
    total = sum(len(p) for p in pools)
    assert len(set().union(*pools)) == total, "an id is used for two kinds of entity"


def test_no_duplicate_rows():
    for name in FILES:
        seen = set()
        for line, row in numbered(name):
            key = tuple(row.values())
            assert key not in seen, f"{name}:{line}: duplicate row"
            seen.add(key)


# --------------------------------------------------------------------------- sources


def test_sources_table():
    src = {r["id"]: r for r in rows("sources.csv")}
    for line, r in numbered("sources.csv"):
        assert re.fullmatch(r"s\d{3}", r["id"]), f"sources.csv:{line}: id"
        assert LANG.fullmatch(r["language"]), f"sources.csv:{line}: language"
        assert not r["date"] or valid_date(r["date"]), f"sources.csv:{line}: date"
        assert not r["url"] or r["url"].startswith(("http://", "https://"))
        if r["translation_of"]:
            orig = src.get(r["translation_of"])
            assert orig, f"sources.csv:{line}: translation_of does not resolve"
            assert orig["language"] != r["language"]
        assert re.fullmatch(r"\d{3}_[0-9a-f]+\.txt", r["seed_file"]), f"sources.csv:{line}"
        assert r["seed_file"].startswith(r["id"][1:] + "_"), f"sources.csv:{line}: seed number"
    assert src["s001"]["translation_of"] == "s000"
    assert src["s004"]["date"] == "2021-02-22"


@needs_seeds
def test_seed_files_exist():
    for r in rows("sources.csv"):
        assert (SEEDS / r["seed_file"]).is_file(), r["seed_file"]


@needs_seeds
def test_source_titles_are_the_articles_own():
    for r in rows("sources.csv"):
        if r["title"]:
            assert norm(r["title"]) in seed_text(r["id"]), r["id"]


def test_every_row_cites_known_sources():
    known = ids("sources.csv")
    for name in FILES[1:]:
        for line, row in numbered(name):
            cited = multi(row["sources"])
            assert cited, f"{name}:{line}: column 'sources' is empty"
            for s in cited:
                assert s in known, f"{name}:{line}: column 'sources': unknown {s!r}"
            assert len(set(cited)) == len(cited), f"{name}:{line}: source cited twice"


def test_every_source_is_used():
    used = set()
    for name in FILES[1:]:
        for row in rows(name):
            used.update(multi(row["sources"]))
    assert used == ids("sources.csv")


# --------------------------------------------------------------------------- quotes


QUOTED = ["posts.csv", "relations.csv", "funding.csv", "figures.csv"]


@pytest.mark.parametrize("name", QUOTED)
def test_every_fact_row_has_a_quote(name):
    for line, row in numbered(name):
        assert row["quote"], f"{name}:{line}: column 'quote' is empty"


@needs_seeds
@pytest.mark.parametrize("name", QUOTED)
def test_quotes_occur_in_every_cited_source(name):
    """The key check: a quote must be the source's own words, in each source the row cites."""
    for line, row in numbered(name):
        q = norm(row["quote"])
        for s in multi(row["sources"]):
            assert q in seed_text(s), f"{name}:{line}: column 'quote': not in {s}: {q!r}"


@needs_seeds
def test_names_occur_in_the_sources():
    """Each cited source mentions the entity by one of its recorded names."""

    def mentions(source: str, labels: list[str]) -> bool:
        text = seed_text(source).casefold()
        return any(norm(label).casefold() in text for label in labels if label)

    for line, r in numbered("people.csv"):
        for s in multi(r["sources"]):
            assert norm(r["name"]) in seed_text(s), f"people.csv:{line}: not in {s}"
    for line, r in numbered("places.csv"):
        for s in multi(r["sources"]):
            assert mentions(s, [r["name_en"], r["name_nl"]]), f"places.csv:{line}: not in {s}"
    for line, r in numbered("organisations.csv"):
        labels = [r["name_en"], r["name_nl"], *multi(r["abbreviations"])]
        labels += [v.rsplit("@", 1)[0] for v in multi(r["other_names"])]
        for s in multi(r["sources"]):
            assert mentions(s, labels), f"organisations.csv:{line}: {r['id']} not named in {s}"


# --------------------------------------------------------------------------- vocabularies


def test_vocabularies():
    v = vocab()
    for line, r in numbered("places.csv"):
        assert r["kind"] in v["place_kind"], f"places.csv:{line}: column 'kind'"
    for line, r in numbered("organisations.csv"):
        assert multi(r["kinds"]), f"organisations.csv:{line}: column 'kinds' is empty"
        for k in multi(r["kinds"]):
            assert k in v["org_kinds"], f"organisations.csv:{line}: column 'kinds': {k!r}"
        for h in multi(r["helices"]):
            assert h in v["helices"], f"organisations.csv:{line}: column 'helices': {h!r}"
    for line, r in numbered("posts.csv"):
        assert r["role"] in v["roles"], f"posts.csv:{line}: column 'role': {r['role']!r}"
    for line, r in numbered("initiatives.csv"):
        assert multi(r["kinds"]), f"initiatives.csv:{line}: column 'kinds' is empty"
        for k in multi(r["kinds"]):
            assert k in v["initiative_kinds"], f"initiatives.csv:{line}: column 'kinds': {k!r}"
    for line, r in numbered("relations.csv"):
        assert r["relation"] in v["relations"], f"relations.csv:{line}: column 'relation'"
    for line, r in numbered("figures.csv"):
        assert r["measure"] in v["measures"], f"figures.csv:{line}: column 'measure'"
        assert r["unit"] in v["units"], f"figures.csv:{line}: column 'unit'"
        assert not r["qualifier"] or r["qualifier"] in v["qualifiers"], f"figures.csv:{line}"


# Units that fit a measure (a curator's consistency check, not part of the contract).
MEASURE_UNITS = {
    "employees_fte": {"FTE"},
    "jobs": {"count", "persons"},
    "revenue": {"EUR"},
    "budget": {"EUR"},
    "employment_growth": {"percent"},
    "member_count": {"count"},
    "participants": {"persons", "count"},
    "researchers": {"persons", "FTE"},
    "visitors": {"persons", "count"},
    "award_count": {"count"},
    "generations": {"count"},
    "follow_up_years": {"years"},
}


def test_figure_units_fit_their_measure():
    for line, r in numbered("figures.csv"):
        assert r["unit"] in MEASURE_UNITS[r["measure"]], f"figures.csv:{line}: column 'unit'"


# The helix policy of data/README.md: what a kind implies about the helices.
HELIX_POLICY = {
    "university": {"academia"},
    "university_of_applied_sciences": {"academia"},
    "vocational_college": {"academia"},
    "faculty": {"academia"},
    "research_institute": {"academia"},
    "research_centre": {"academia"},
    "research_infrastructure": {"academia"},
    "biobank": {"academia"},
    "academic_hospital": {"academia", "civil_society"},
    "hospital": {"civil_society"},
    "firm": {"industry"},
    "startup": {"industry"},
    "sme": {"industry"},
    "large_firm": {"industry"},
    "ministry": {"government"},
    "government_body": {"government"},
    "provincial_government": {"government"},
    "municipal_government": {"government"},
    "regional_funding_body": {"government"},
}


def test_helix_policy():
    for line, r in numbered("organisations.csv"):
        helices = set(multi(r["helices"]))
        for k in multi(r["kinds"]):
            missing = HELIX_POLICY.get(k, set()) - helices
            assert not missing, f"organisations.csv:{line}: kind {k!r} needs helix {missing}"


# --------------------------------------------------------------------------- references


def test_place_and_organisation_references():
    places, orgs = ids("places.csv"), ids("organisations.csv")
    for line, r in numbered("places.csv"):
        assert not r["part_of"] or r["part_of"] in places, f"places.csv:{line}: part_of"
        assert r["part_of"] != r["id"]
    for line, r in numbered("organisations.csv"):
        for p in multi(r["located_in"]):
            assert p in places, f"organisations.csv:{line}: column 'located_in': {p!r}"
        assert not r["parent"] or r["parent"] in orgs, f"organisations.csv:{line}: parent"
        assert not r["founded"] or valid_date(r["founded"]), f"organisations.csv:{line}"
        assert not r["website"] or r["website"].startswith(("http://", "https://"))
        assert r["name_en"] or r["name_nl"], f"organisations.csv:{line}: no name"
        for v in multi(r["other_names"]):
            assert re.fullmatch(r".+@[a-z]{2,3}", v), f"organisations.csv:{line}: {v!r}"
    for line, r in numbered("initiatives.csv"):
        for p in multi(r["located_in"]):
            assert p in places, f"initiatives.csv:{line}: column 'located_in': {p!r}"
        assert r["name_en"] or r["name_nl"], f"initiatives.csv:{line}: no name"
        for col in ("start", "end"):
            assert not r[col] or valid_date(r[col]), f"initiatives.csv:{line}: column {col!r}"
        if r["start"] and r["end"]:
            assert r["start"] <= r["end"]


def test_place_hierarchy_has_no_cycles():
    parent = {r["id"]: r["part_of"] for r in rows("places.csv")}
    for start in parent:
        seen, p = set(), start
        while p:
            assert p not in seen, f"cycle through {start}"
            seen.add(p)
            p = parent.get(p, "")


def test_posts():
    people, orgs, inits = ids("people.csv"), ids("organisations.csv"), ids("initiatives.csv")
    for line, r in numbered("posts.csv"):
        assert r["person"] in people, f"posts.csv:{line}: column 'person'"
        assert bool(r["organisation"]) != bool(r["initiative"]), (
            f"posts.csv:{line}: exactly one of 'organisation' and 'initiative'"
        )
        assert not r["organisation"] or r["organisation"] in orgs, f"posts.csv:{line}"
        assert not r["initiative"] or r["initiative"] in inits, f"posts.csv:{line}"
        assert r["title"], f"posts.csv:{line}: column 'title' is empty"


# relation -> (allowed subject kinds, allowed object kinds), from the contract's table
RELATION_TYPES = {
    "member_of": ({"org", "person"}, {"org"}),
    "partner_of": ({"org"}, {"org"}),
    "collaborates_with": ({"org"}, {"org"}),
    "sub_organisation_of": ({"org"}, {"org"}),
    "spin_off_of": ({"org"}, {"org"}),
    "participates_in": ({"org", "person"}, {"initiative"}),
    "leads": ({"org", "person"}, {"initiative"}),
    "located_in": ({"org", "initiative"}, {"place"}),
    "part_of": ({"initiative", "place"}, {"initiative", "place"}),
    "hosts": ({"org"}, {"initiative"}),
}


def test_relation_table_matches_contract():
    assert set(RELATION_TYPES) == set(vocab()["relations"])


def test_relations_resolve_and_fit_their_types():
    kind_of = {}
    for kind, name in [("place", "places.csv"), ("org", "organisations.csv"),
                       ("person", "people.csv"), ("initiative", "initiatives.csv")]:
        for i in ids(name):
            kind_of[i] = kind
    for line, r in numbered("relations.csv"):
        s, o = kind_of.get(r["subject"]), kind_of.get(r["object"])
        assert s, f"relations.csv:{line}: column 'subject': {r['subject']!r} does not resolve"
        assert o, f"relations.csv:{line}: column 'object': {r['object']!r} does not resolve"
        subj_ok, obj_ok = RELATION_TYPES[r["relation"]]
        assert s in subj_ok and o in obj_ok, f"relations.csv:{line}: {s} {r['relation']} {o}"
        if r["relation"] == "part_of":
            assert s == o, f"relations.csv:{line}: part_of links like to like"
        assert r["subject"] != r["object"], f"relations.csv:{line}: self-link"
        assert r["topic"], f"relations.csv:{line}: column 'topic' is empty"


def test_symmetric_relations_written_once():
    seen = set()
    for line, r in numbered("relations.csv"):
        if r["relation"] in {"partner_of", "collaborates_with"}:
            key = (r["relation"], frozenset((r["subject"], r["object"])), r["sources"], r["quote"])
            assert key not in seen, f"relations.csv:{line}: the same link in both directions"
            seen.add(key)


def test_funding():
    orgs, inits = ids("organisations.csv"), ids("initiatives.csv")
    for line, r in numbered("funding.csv"):
        assert r["recipient"] in orgs | inits, f"funding.csv:{line}: column 'recipient'"
        assert not r["funder"] or r["funder"] in orgs, f"funding.csv:{line}: column 'funder'"
        assert not r["programme"] or r["programme"] in inits, f"funding.csv:{line}: programme"
        if r["amount"]:
            assert DECIMAL.fullmatch(r["amount"]), f"funding.csv:{line}: column 'amount'"
            Decimal(r["amount"])
            assert re.fullmatch(r"[A-Z]{3}", r["currency"]), f"funding.csv:{line}: currency"
        else:
            assert not r["currency"], f"funding.csv:{line}: currency without amount"
        assert not r["date"] or valid_date(r["date"]), f"funding.csv:{line}: column 'date'"


def test_figures():
    targets = ids("organisations.csv") | ids("initiatives.csv") | ids("places.csv")
    for line, r in numbered("figures.csv"):
        assert r["subject"] in targets, f"figures.csv:{line}: column 'subject'"
        assert DECIMAL.fullmatch(r["value"]), f"figures.csv:{line}: column 'value'"
        try:
            Decimal(r["value"])
        except InvalidOperation:  # pragma: no cover - the regex already guards this
            pytest.fail(f"figures.csv:{line}: column 'value'")
        assert not r["year"] or YEAR.fullmatch(r["year"]), f"figures.csv:{line}: column 'year'"
        assert not r["date"] or valid_date(r["date"]), f"figures.csv:{line}: column 'date'"
        if r["year"] and r["date"]:
            assert r["date"].startswith(r["year"]), f"figures.csv:{line}: year and date differ"


# --------------------------------------------------------------------------- a few facts


def _one(name: str, **match: str) -> list[dict[str, str]]:
    return [r for r in rows(name) if all(r[k] == v for k, v in match.items())]


def test_spot_checks_from_the_brief():
    # the award to Lode: funder SNN, no amount (the article states none)
    (lode,) = _one("funding.csv", recipient="lode-bv")
    assert lode["funder"] == "snn" and lode["amount"] == "" and lode["programme"]
    # Open Diagnostics Ecosysteem: 2.1 million, funder and year not stated
    (ode,) = _one("funding.csv", recipient="open-diagnostics-ecosysteem")
    got = (ode["amount"], ode["currency"], ode["funder"], ode["date"])
    assert got == ("2100000", "EUR", "", "")
    # "bijna 170.000" is nearly, "zo'n 40" approximately
    assert {r["qualifier"] for r in _one("figures.csv", subject="lifelines",
                                         measure="participants")} == {"nearly"}
    assert _one("figures.csv", subject="life-cooperative", measure="member_count",
                qualifier="approximately", sources="s002")
    # 4,000 FTE in 2020
    assert _one("figures.csv", subject="life-cooperative", measure="employees_fte",
                value="4000", year="2020")
