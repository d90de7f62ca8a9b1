"""Write the labelled evaluation set of the matcher (tests/fixtures/reconcile/).

    .venv/bin/python benchmarks/reconcile_eval_set.py [/work/shared]

1. ``ror_nl_queries.csv``: every name ROR gives each Dutch organisation (not withdrawn) (its display
   label, its aliases and labels in other languages, its acronyms) as a query whose answer
   is that organisation, and two variants of each display label a spreadsheet would hold:
   upper case with the legal form a register adds (CORDIS style: ``STICHTING …``,
   ``… B.V.``), and one typo (a letter of the longest word dropped). A name that ROR gives
   to two or more organisations is left out (it has no single answer); the count is noted.
2. ``cordis_ror_pairs.csv``: hand-checked CORDIS participants (their legal name as the
   CORDIS PIC table writes it, and their city) with the ROR organisation they are, or with
   none where ROR has no such organisation (checked by hand: a sure match would be false).
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import defaultdict
from pathlib import Path

from helixgraph.matching import key

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "reconcile"

# (PIC, ROR id or "" when ROR has no such organisation, what was checked)
PAIRS: list[tuple[str, str, str]] = [
    ("999984738", "03xqtf034", "NKI-AVL: the Netherlands Cancer Institute"),
    ("999577144", "01ezq2j76", "imec Netherlands, Eindhoven"),
    ("997801850", "02dyts510", "TenneT TSO, Arnhem"),
    ("987492011", "055yb9v95", "IBM Nederland"),
    ("999988424", "018906e22", "Erasmus MC, Rotterdam"),
    ("948381902", "012q11j28", "ProQR Therapeutics, Leiden"),
    ("999518362", "043c0p156", "KNAW, the Royal Netherlands Academy"),
    ("999981634", "04qw24q55", "Wageningen University (ROR: Wageningen University & Research)"),
    ("998937235", "00925cq50", "Tata Steel Nederland Technology: Tata Steel (Netherlands)"),
    ("999547365", "04qw24q55", "Stichting Wageningen Research: part of WUR in ROR"),
    ("999988909", "01bnjb948", "TNO"),
    ("999518944", "05dfgh554", "KNMI, De Bilt"),
    ("972778178", "00bc6bw85", "Ministry of Economic Affairs (and Climate Policy)"),
    ("994154068", "04kyfd050", "Astellas Pharma Europe, Leiden"),
    ("999992110", "016xsfp80", "Stichting Katholieke Universiteit, Nijmegen: Radboud"),
    ("999931291", "00b5m4j81", "Shell International, The Hague"),
    ("960652402", "031362551", "KIC InnoEnergy, Eindhoven"),
    ("935256153", "02aj7yc53", "Princess Máxima Center for paediatric oncology"),
    ("999449880", "04hxnp039", "Danone Research: Danone Nutricia Research, Utrecht"),
    ("999991625", "02p2bgp27", "Philips Electronics Nederland"),
    ("999995020", "059be4e97", "NXP Semiconductors Netherlands"),
    ("999608766", "02p2bgp27", "Philips Medical Systems Nederland"),
    ("969594444", "052kwn289", "Avantium Chemicals, Amsterdam"),
    ("999744081", "001g7ce71", "BTG Biomass Technology Group, Enschede"),
    ("998073644", "01fkbmk11", "MARIN, Wageningen"),
    ("925925432", "04w49cs59", "RDW, the Netherlands Vehicle Authority"),
    ("951080248", "030deh410", "IHE Delft Institute for Water Education"),
    ("998508010", "01fm2fv39", "Sanquin Bloedvoorziening, Amsterdam"),
    ("988470062", "00eehvf61", "HKV Lijn in Water, Lelystad"),
    ("984878443", "00k01kt20", "DSM Ahead, Sittard: DSM (Netherlands)"),
    ("998621694", "03wr7bx86", "MARIS, Marine Information Service"),
    ("999740977", "05ddg7v64", "NIZO food research, Ede"),
    ("997739382", "04fp8ns78", "Lareb, the pharmacovigilance centre"),
    ("999624092", "01f61vq51", "FOM, Foundation for Fundamental Research on Matter"),
    ("969858478", "05p706d77", "HAS Opleidingen: HAS green academy"),
    ("999425242", "00b5m4j81", "Shell Global Solutions International"),
    ("999778807", "02p2bgp27", "Philips Consumer Lifestyle"),
    ("998827431", "00k01kt20", "DSM Food Specialties, Delft"),
    ("999990849", "05xvt9f17", "Academisch Ziekenhuis Leiden: LUMC"),
    ("999988715", "04xa4c474", "ECN, Energy Research Centre of the Netherlands"),
    # ROR has no such organisation (looked for by name, acronym and city)
    ("953320463", "", "Ziekenhuisgroep Twente: not Noordwest Ziekenhuisgroep"),
    ("949734761", "", "Gemeente Leeuwarden: not Medisch Centrum Leeuwarden"),
    ("986558289", "", "Netherlands Maritime Technology Foundation: not MARIN"),
    ("984320111", "", "Provincie Groningen"),
    ("948946636", "", "Provincie Fryslân: not Provincie Gelderland"),
    ("928386322", "", "Energy Delta Institute, Groningen: not Medical Delta"),
    ("995413613", "", "BTG Bioliquids: a spin-off, not BTG itself"),
    ("999649215", "", "Twente Medical Systems International: not CMSB"),
    ("955352419", "", "Regio Twente: not GGD Twente"),
    ("950244496", "", "Business Development Friesland: not Friesland College"),
    ("937356979", "", "Engie Services Nederland"),
    ("951109445", "", "ING Groep"),
    ("999480241", "", "Thales Nederland"),
    ("951644691", "", "KPN"),
    ("997830271", "", "Gasunie"),
    ("950766938", "", "Alliander: not Alliade"),
    ("997787688", "", "Hortec, Oldenzaal: not ORTEC"),
]
LEGAL_FORM_BY_TYPE = {"company": "{} B.V.", "nonprofit": "STICHTING {}", "facility": "STICHTING {}"}


def typo(name: str) -> str | None:
    """The name with one letter of its longest word (≥ 7 letters) dropped."""
    words = name.split()
    longest = max(words, key=len)
    if len(longest) < 7 or not longest.isalpha():
        return None
    cut = len(longest) // 2
    return name.replace(longest, longest[:cut] + longest[cut + 1 :], 1)


def ror_queries(shared: Path) -> tuple[list[dict[str, str]], int]:
    table = (shared / "data/ror/ror_nl_organizations.csv").open(encoding="utf-8")
    rows = [r for r in csv.DictReader(table) if r["status"] != "withdrawn"]  # as imported
    owners: dict[str, set[str]] = defaultdict(set)
    names_of: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        ror = r["ror_id"].rsplit("/", 1)[-1]
        names = [(r["name"], "label")]
        names += [(a, "acronym") for a in r["acronyms"].split("|") if a]
        names += [(a, "alias") for a in r["aliases_labels"].split("|") if a]
        names_of[ror] = names
        for text, _ in names:
            owners[key(text)].add(ror)
    out, dropped = [], 0
    for r in rows:
        ror = r["ror_id"].rsplit("/", 1)[-1]
        seen: set[str] = set()
        queries = list(names_of[ror])
        form = LEGAL_FORM_BY_TYPE.get(r["types"].split("|")[0])
        if form:
            queries.append((form.format(r["name"]).upper(), "upper"))
        misspelled = typo(r["name"])
        if misspelled:
            queries.append((misspelled, "typo"))
        for text, variant in queries:
            if text in seen:
                continue
            seen.add(text)
            if len(owners[key(text)]) > 1:
                dropped += 1
                continue
            out.append(
                {"query": text, "ror": ror, "pic": "", "variant": variant, "city": r["city"]}
            )
    return out, dropped


def cordis_pairs(shared: Path) -> list[dict[str, str]]:
    wanted = {pic for pic, _, _ in PAIRS}
    with gzip.open(shared / "data/derived/pic_name_lookup.csv.gz", "rt", encoding="utf-8") as f:
        names = {r["pic"]: r for r in csv.DictReader(f) if r["pic"] in wanted}
    out = []
    for pic, ror, note in PAIRS:
        row = names[pic]
        city = row["city"].title()
        out.append(
            {
                "query": row["name"],
                "ror": ror,
                "pic": pic,
                "variant": "cordis",
                "city": city,
                "checked": note,
            }
        )
    return out


def write(path: Path, rows: list[dict[str, str]], notes: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        for note in notes:
            f.write(f"# {note}\n")
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared")
    OUT.mkdir(parents=True, exist_ok=True)
    queries, dropped = ror_queries(shared)
    write(
        OUT / "ror_nl_queries.csv",
        queries,
        [
            "Made by benchmarks/reconcile_eval_set.py from ROR (CC0), data/ror/ror_nl_organizations.csv.",
            f"{len(queries)} queries; {dropped} names shared by two or more ROR organisations left out.",
        ],
    )
    pairs = cordis_pairs(shared)
    write(
        OUT / "cordis_ror_pairs.csv",
        pairs,
        [
            "Made by benchmarks/reconcile_eval_set.py: CORDIS names from data/derived/pic_name_lookup",
            "(EU Open Data Portal, CC BY 4.0), each pair checked by hand (the 'checked' column);",
            "an empty ror: ROR has no such organisation, so a sure match would be a false one.",
        ],
    )
    print(f"{len(queries)} ROR queries ({dropped} ambiguous left out), {len(pairs)} CORDIS pairs")


if __name__ == "__main__":
    main()
