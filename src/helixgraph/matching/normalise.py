"""Organisation names as comparable keys: case, accents, punctuation, legal forms and the
Dutch/English variants of the same words folded away.

>>> key("Rijksuniversiteit Groningen")
'groningen university'
>>> key("University of Groningen")
'groningen university'
>>> key("Hanzehogeschool Groningen, Stichting")
'groningen hanze uas'
>>> key("Hanze University of Applied Sciences Groningen")
'groningen hanze uas'
>>> key("Koninklijke Philips N.V.") == key("Royal Philips")
True

A key is the set of a name's meaningful words, sorted, so word order does not count
("Groningen University" is the University of Groningen). :func:`words` keeps the order,
for the fuzzy scorers that want it; :func:`looks_like_acronym` tells an acronym ("UMCG",
"TU/e") from a name.
"""

from __future__ import annotations

import re
import unicodedata

# Legal forms and their Dutch, German, French, English… spellings, dropped from keys.
LEGAL_FORMS = frozenset(
    [
        "bv",
        "nv",
        "vof",
        "cv",
        "stichting",
        "vereniging",
        "cooperatie",
        "ua",
        "ba",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ev",
        "eg",
        "ltd",
        "limited",
        "plc",
        "llp",
        "inc",
        "corp",
        "corporation",
        "llc",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sl",
        "slu",
        "ab",
        "oy",
        "oyj",
        "as",
        "aps",
        "asa",
        "sp",
        "zoo",
        "doo",
        "kft",
        "sro",
        "zrt",
        "holding",
        "holdings",
    ]
)
# Words that carry no identity in an organisation name (both languages).
STOP_WORDS = frozenset(
    [
        "the",
        "of",
        "de",
        "het",
        "der",
        "des",
        "van",
        "voor",
        "en",
        "and",
        "for",
        "in",
        "te",
        "la",
        "le",
        "du",
        "den",
    ]
)
# Dutch (and a few other) words → the English word both sides are compared in.
VARIANTS: dict[str, str] = {
    "universiteit": "university",
    "rijksuniversiteit": "university",
    "universitair": "university",
    "universitaire": "university",
    "universitat": "university",
    "universitaet": "university",
    "universite": "university",
    "universita": "university",
    "universidad": "university",
    "uni": "university",
    "hogeschool": "uas",
    "hochschule": "uas",
    "technische": "technology",
    "technical": "technology",
    "technological": "technology",
    "katholieke": "catholic",
    "vrije": "free",
    "medisch": "medical",
    "medische": "medical",
    "centrum": "center",
    "centre": "center",
    "instituut": "institute",
    "institut": "institute",
    "ziekenhuis": "hospital",
    "gemeente": "municipality",
    "provincie": "province",
    "nederland": "netherlands",
    "nederlandse": "netherlands",
    "dutch": "netherlands",
    "nationaal": "national",
    "nationale": "national",
    "onderzoek": "research",
    "wetenschappelijk": "scientific",
    "toegepast": "applied",
    "toegepaste": "applied",
    "natuurwetenschappelijk": "scientific",
    "ministerie": "ministry",
    "koninklijke": "royal",
    "koninklijk": "royal",
    "kenniscentrum": "knowledge center",
    "laboratorium": "laboratory",
    "lab": "laboratory",
    "labs": "laboratory",
    "bibliotheek": "library",
    "academie": "academy",
    "maatschappij": "society",
    "europese": "european",
    "internationale": "international",
    "groep": "group",
    "univ": "university",
    "techn": "technology",
    "technologies": "technology",
    "inst": "institute",
    "sciences": "science",
    "systems": "system",
    "intl": "international",
    "natl": "national",
    "ctr": "center",
    "cent": "center",
    "hosp": "hospital",
    "res": "research",
    "st": "saint",
    "sint": "saint",
}
# Phrases that are one idea, folded before the words are looked at.
PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\buniversity of applied sciences?\b"), " uas "),
    (re.compile(r"\buniversities of applied sciences\b"), " uas "),
    (re.compile(r"\bhogeschool van\b"), " uas "),
    (re.compile(r"\bmedical cent(?:er|re)\b"), " medical center "),
    (re.compile(r"\bu\s?m\s?c\b"), " university medical center "),
)
# ROR's way to tell a company's national branch: "Philips (Netherlands)"
_BRANCH = re.compile(r"\((?:the )?(?:netherlands|nederland|nl)\)")
# Dutch compounds written as one word: split the known tail off ("hanzehogeschool").
COMPOUND_TAILS = ("hogeschool", "universiteit", "ziekenhuis", "instituut", "centrum")
# The parts of a legal form spelled with dots (b.v., n.v., u.a., e.v.)
_DOTTED = re.compile(r"\b([a-z])\.\s?([a-z])\.?(?=\s|$|,)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_ACRONYM = re.compile(r"[A-Z0-9][A-Za-z0-9&/.\-]{1,11}")


def fold(text: str) -> str:
    """Lower case, accents dropped, ``&`` read as ``and`` (``'Coöperatie'`` → ``'cooperatie'``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.lower().replace("&", " and ").replace("'s", "s")


def _split_compound(word: str) -> list[str]:
    if word in VARIANTS:
        return [word]
    for tail in COMPOUND_TAILS:
        if word.endswith(tail) and len(word) > len(tail) + 2:
            return [word[: -len(tail)], tail]
    return [word]


def words(text: str) -> list[str]:
    """The meaningful words of a name, in order, each in its compared (English) form."""
    folded = _BRANCH.sub(" ", _DOTTED.sub(r"\1\2", fold(text)))
    spaced = " ".join(_NON_WORD.sub(" ", folded).split())  # punctuation does not split phrases
    for pattern, repl in PHRASES:
        spaced = pattern.sub(repl, spaced)
    out: list[str] = []
    raw = spaced.split()
    for w in raw:
        for part in _split_compound(w):
            if part in LEGAL_FORMS or part in STOP_WORDS:
                continue
            mapped = VARIANTS.get(part, part)
            out.extend(mapped.split())
    if not out:  # a name that is only a legal form or stop words keeps its words
        out = raw
    return out


def plain(text: str) -> str:
    """A name as written, only folded and without legal forms: the words in order, no
    variants mapped (``'Hanzehogeschool Groningen, Stichting'`` → ``'hanzehogeschool
    groningen'``). Stable enough to name a node (an importer's IRI slug); compare names
    with :func:`key`."""
    spaced = _NON_WORD.sub(" ", _DOTTED.sub(r"\1\2", fold(text))).split()
    kept = [w for w in spaced if w not in LEGAL_FORMS]
    return " ".join(kept or spaced)


def key(text: str) -> str:
    """The comparable key of a name: its meaningful words, deduplicated and sorted."""
    return " ".join(sorted(set(words(text))))


def squashed(text: str) -> str:
    """Letters and digits only: an acronym's key (``'TU/e'`` → ``'tue'``, ``'U.M.C.G.'`` → ``'umcg'``)."""
    return _NON_WORD.sub("", fold(text))


def looks_like_acronym(text: str) -> bool:
    """A short single token with capitals (``UMCG``, ``TU/e``, ``TNO``), not a plain word."""
    t = text.strip()
    if " " in t or not _ACRONYM.fullmatch(t):
        return False
    capitals = sum(c.isupper() for c in t)
    return capitals >= 2 or (capitals >= 1 and len(t) <= 4 and not t[1:].islower())
