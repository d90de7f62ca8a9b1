"""resolve.py: identifiers first, then the matcher's sure name matches (same country);
doubts are reported, never merged."""

from __future__ import annotations

import pytest

from helixgraph.ingest.resolve import (
    IdentifierError,
    Index,
    Record,
    clean_id,
    org_iri,
    report_rows,
    resolve,
)

SEED = "https://w3id.org/helixgraph/id/org/"


def index() -> Index:
    ix = Index()
    for node, names in {
        "umcg": ["University Medical Center Groningen", "UMCG"],
        "hanze": ["Hanzehogeschool Groningen"],
        "siemens-a": ["Acme Medical"],
        "siemens-b": ["ACME MEDICAL B.V."],
        "lode": ["Lode B.V."],
    }.items():
        ix.nodes.add(SEED + node)
        for n in names:
            ix.add_name(SEED + node, n)
    ix.add_id(SEED + "umcg", "pic", "999914801")
    ix.add_id(SEED + "umcg", "ror", "03cv38k47")
    ix.add_id(SEED + "lode", "pic", "111111111")
    ix.country[SEED + "hanze"] = "NL"
    return ix


def test_clean_id_canonical_forms_and_errors() -> None:
    assert clean_id("ror", "https://ror.org/03cv38k47") == "03cv38k47"
    assert clean_id("isni", "0000000095584598") == "0000 0000 9558 4598"
    with pytest.raises(IdentifierError):
        clean_id("pic", "12345")
    with pytest.raises(IdentifierError):
        clean_id("doi", "10.1/x")


def test_identifier_wins_over_name() -> None:
    rec = Record("pic:999914801", {"pic": "999914801"}, [("ACADEMISCH ZIEKENHUIS GRONINGEN", None)])
    res = resolve([rec], index())
    assert res.iri[rec.key] == SEED + "umcg"
    assert [m.rule for m in res.merges] == ["pic"]
    assert not res.is_new(rec.key)


def test_unknown_organisation_gets_an_iri_from_its_identifier() -> None:
    rec = Record("pic:999999999", {"pic": "999999999"}, [("SOMETHING ELSE", None)])
    res = resolve([rec], index())
    assert res.iri[rec.key] == org_iri("pic", "999999999") == SEED + "pic-999999999"
    assert res.is_new(rec.key) and res.merges == [] and res.ambiguous == []


def test_unique_name_merges_and_several_candidates_are_left_apart() -> None:
    hanze = Record(
        "ror:00xqtxw43", {"ror": "00xqtxw43"}, [("Hanzehogeschool Groningen", None)], country="NL"
    )
    acme = Record("ror:0aaaaaa00", {"ror": "0aaaaaa00"}, [("Acme Medical", None)])
    res = resolve([hanze, acme], index())
    assert res.iri[hanze.key] == SEED + "hanze"
    assert res.merges[0].rule == "name"
    assert res.is_new(acme.key)
    assert [a.key for a in res.ambiguous] == [acme.key]
    assert set(res.ambiguous[0].candidates) == {SEED + "siemens-a", SEED + "siemens-b"}


def test_name_of_another_country_does_not_merge() -> None:
    rec = Record(
        "pic:222222222", {"pic": "222222222"}, [("Hanzehogeschool Groningen", None)], country="DE"
    )
    res = resolve([rec], index())
    assert res.is_new(rec.key) and res.merges == []


def test_conflicting_identifier_refuses_a_name_match() -> None:
    rec = Record("pic:333333333", {"pic": "333333333"}, [("LODE BV", None)])
    res = resolve([rec], index())
    assert res.is_new(rec.key)
    assert "conflicting identifiers" in res.ambiguous[0].reason


def test_abbreviations_and_bare_acronyms_are_not_used_for_matching() -> None:
    rec = Record("pic:444444444", {"pic": "444444444"}, [("NOORD INNOVATIE FONDS", None)], ["UMCG"])
    assert resolve([rec], index()).is_new(rec.key)
    bare = Record("pic:444444445", {"pic": "444444445"}, [("UMCG", None)])
    res = resolve([bare], index())
    assert res.is_new(bare.key) and res.ambiguous[0].candidates == (SEED + "umcg",)


def test_identifiers_pointing_at_two_nodes_are_reported() -> None:
    ix = index()
    ix.add_id(SEED + "hanze", "ror", "00xqtxw43")
    rec = Record("x", {"pic": "999914801", "ror": "00xqtxw43"}, [("X", None)])
    res = resolve([rec], ix)
    assert res.iri["x"] == SEED + "umcg"
    assert res.ambiguous[0].chosen == SEED + "umcg"
    assert SEED + "hanze" in res.ambiguous[0].candidates


def test_a_name_shared_by_several_records_identifies_none() -> None:
    ix = index()
    ix.nodes.add(SEED + "siemens")
    ix.add_name(SEED + "siemens", "Siemens")
    recs = [
        Record(f"pic:{n}", {"pic": n}, [(name, None)], country=cc)
        for n, name, cc in (("500000001", "SIEMENS SRL", "RO"), ("500000002", "SIEMENS SA", "FR"))
    ]
    res = resolve(recs, ix)
    assert all(res.is_new(r.key) for r in recs)
    assert {a.key for a in res.ambiguous} == {r.key for r in recs}
    assert "2 records of this import have this name" in res.ambiguous[0].reason
    one = resolve(recs[:1], ix)
    assert one.iri[recs[0].key] == SEED + "siemens"


def test_spellings_without_identifiers_may_share_a_node() -> None:
    recs = [
        Record(f"name:{n}", {}, [(n, None)], country="NL")
        for n in ("Hanzehogeschool Groningen", "HANZEHOGESCHOOL GRONINGEN B.V.")
    ]
    res = resolve(recs, index())
    assert {res.iri[r.key] for r in recs} == {SEED + "hanze"}
    assert res.ambiguous == []


# --------------------------------------------------------------------------- the matcher


def matcher_index() -> Index:
    ix = index()
    for node, names, cc in (
        ("rug", ["Rijksuniversiteit Groningen"], "NL"),
        ("philips", ["Koninklijke Philips N.V."], "NL"),
        ("sensor-g", ["Nordic Sensor Systems Groningen"], "NL"),
        ("sensor-t", ["Nordic Sensor Systems Twente"], "NL"),
    ):
        ix.nodes.add(SEED + node)
        ix.country[SEED + node] = cc
        for n in names:
            ix.add_name(SEED + node, n)
    return ix


def test_dutch_english_and_legal_form_variants_merge_by_the_matcher() -> None:
    recs = [
        Record(
            "ror:012p63287", {"ror": "012p63287"}, [("University of Groningen", "en")], country="NL"
        ),
        Record("pic:999991111", {"pic": "999991111"}, [("ROYAL PHILIPS", None)], country="NL"),
    ]
    res = resolve(recs, matcher_index())
    assert res.iri[recs[0].key] == SEED + "rug" and res.iri[recs[1].key] == SEED + "philips"
    by = {m.key: m for m in res.merges}
    assert by[recs[0].key].rule == "name" and by[recs[0].key].score == 100.0
    assert by[recs[0].key].matched == "Rijksuniversiteit Groningen"
    assert by[recs[0].key].by == "name 100 ('Rijksuniversiteit Groningen')"
    assert res.ambiguous == []


def test_a_close_name_that_is_not_sure_is_reported_not_merged() -> None:
    rec = Record(
        "pic:999992222", {"pic": "999992222"}, [("NORDIC SENSOR SYSTEMS", None)], country="NL"
    )
    res = resolve([rec], matcher_index())
    assert res.is_new(rec.key) and res.merges == []
    [doubt] = res.ambiguous
    assert doubt.candidates[0] == SEED + "sensor-g"
    assert "no sure match; left apart" in doubt.reason


def test_a_near_name_in_another_country_is_neither_merged_nor_reported() -> None:
    ix = matcher_index()
    at_home = Record(
        "pic:999993333", {"pic": "999993333"}, [("Universiteit Groningen", None)], country="NL"
    )
    abroad = Record(
        "pic:999994444", {"pic": "999994444"}, [("Universität Groningen", None)], country="DE"
    )
    assert resolve([at_home], ix).iri[at_home.key] == SEED + "rug"
    res = resolve([abroad], ix)
    assert res.is_new(abroad.key) and res.merges == [] and res.ambiguous == []


def test_lookup_name_is_the_matchers_sure_match_in_the_country() -> None:
    res = resolve([], matcher_index())
    assert res.lookup_name("University of Groningen", "NL") == SEED + "rug"
    assert res.lookup_name("University of Groningen", "BE") is None
    assert res.lookup_name("Nordic Sensor Systems", "NL") is None
    assert res.lookup_name("UMCG", "NL") is None  # an acronym alone merges nothing


def test_a_city_of_the_record_is_a_constraint_too() -> None:
    ix = matcher_index()
    ix.cities[SEED + "sensor-g"] = {"groningen"}
    rec = Record("x", {}, [("Nordic Sensor Systems", None)], country="NL")
    assert resolve([rec], ix).ambiguous[0].candidates[0] == SEED + "sensor-g"
    rec.city = "Enschede"  # not where the close candidate is: not even close any more
    res = resolve([rec], ix)
    assert res.is_new("x") and res.ambiguous == []


def test_the_report_row_of_a_name_merge_says_its_score_and_the_name_it_matched() -> None:
    rec = Record("name:philips", {}, [("Philips, Koninklijke", None)], country="NL")
    [row] = report_rows(resolve([rec], matcher_index()))
    assert row["outcome"] == "merged" and row["rule"] == "name 100 ('Koninklijke Philips N.V.')"


def test_a_dutch_firms_branch_is_the_name_ror_gives_it() -> None:
    ix = matcher_index()
    ix.nodes.add(SEED + "asml")
    ix.country[SEED + "asml"] = "NL"
    ix.add_name(SEED + "asml", "ASML (Netherlands)")
    rec = Record(
        "pic:999995555", {"pic": "999995555"}, [("ASML NETHERLANDS B.V.", None)], country="NL"
    )
    res = resolve([rec], ix)
    assert res.iri[rec.key] == SEED + "asml" and res.merges[0].matched == "ASML (Netherlands)"
    abroad = Record(
        "pic:999996666", {"pic": "999996666"}, [("ASML NETHERLANDS B.V.", None)], country="BE"
    )
    assert resolve([abroad], ix).is_new(abroad.key)


def test_one_word_against_the_records_city_is_not_sure() -> None:
    ix = matcher_index()
    ix.nodes.add(SEED + "avans-plus")
    ix.country[SEED + "avans-plus"] = "NL"
    ix.cities[SEED + "avans-plus"] = {"breda"}
    ix.add_name(SEED + "avans-plus", "Avans+")
    rec = Record("pic:999997777", {"pic": "999997777"}, [("STICHTING AVANS", None)], country="NL")
    assert resolve([rec], ix).iri[rec.key] == SEED + "avans-plus"  # nothing says otherwise
    rec.city = "Tilburg"
    res = resolve([rec], ix)
    assert res.is_new(rec.key) and res.ambiguous[0].candidates == (SEED + "avans-plus",)
    rec.city = "Breda"
    assert resolve([rec], ix).iri[rec.key] == SEED + "avans-plus"
