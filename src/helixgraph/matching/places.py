"""Countries as a query states them: an ISO 3166 code or a name (English, Dutch, or the
country's own), to compare with an organisation's country code."""

from __future__ import annotations

from helixgraph.matching.normalise import fold

COUNTRIES: dict[str, tuple[str, ...]] = {
    "NL": ("netherlands", "the netherlands", "nederland", "holland"),
    "BE": ("belgium", "belgie", "belgique"),
    "DE": ("germany", "duitsland", "deutschland"),
    "FR": ("france", "frankrijk"),
    "GB": ("united kingdom", "uk", "great britain", "verenigd koninkrijk"),
    "UK": (),
    "IE": ("ireland", "ierland"),
    "LU": ("luxembourg", "luxemburg"),
    "DK": ("denmark", "denemarken", "danmark"),
    "SE": ("sweden", "zweden", "sverige"),
    "NO": ("norway", "noorwegen", "norge"),
    "FI": ("finland", "suomi"),
    "ES": ("spain", "spanje", "espana"),
    "PT": ("portugal",),
    "IT": ("italy", "italie", "italia"),
    "AT": ("austria", "oostenrijk", "osterreich"),
    "CH": ("switzerland", "zwitserland", "schweiz", "suisse"),
    "PL": ("poland", "polen", "polska"),
    "CZ": ("czechia", "czech republic", "tsjechie"),
    "GR": ("greece", "griekenland"),
    "EL": (),
    "HU": ("hungary", "hongarije"),
    "EE": ("estonia", "estland"),
    "LV": ("latvia", "letland"),
    "LT": ("lithuania", "litouwen"),
    "SI": ("slovenia", "slovenie"),
    "SK": ("slovakia", "slowakije"),
    "HR": ("croatia", "kroatie"),
    "RO": ("romania", "roemenie"),
    "BG": ("bulgaria", "bulgarije"),
    "CY": ("cyprus",),
    "MT": ("malta",),
    "IS": ("iceland", "ijsland"),
    "IL": ("israel",),
    "TR": ("turkey", "turkije", "turkiye"),
    "US": ("united states", "usa", "united states of america", "verenigde staten"),
}
_BY_NAME = {name: code for code, names in COUNTRIES.items() for name in names}
# CORDIS writes Greece as EL and the United Kingdom as UK; ISO says GR and GB
_ALIASES = {"EL": "GR", "UK": "GB"}


def country_code(value: str) -> str | None:
    """``'nl'``, ``'NL'``, ``'Nederland'``, ``'The Netherlands'`` → ``'NL'``; None if unknown."""
    v = value.strip()
    if len(v) == 2 and v.isalpha():
        code = v.upper()
        return _ALIASES.get(code, code)
    return _BY_NAME.get(fold(v).strip())
