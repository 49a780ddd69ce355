"""Pure clinical rules: name normalisation and similarity, the encounter state machine, vital
sign flags against the adult thresholds of DOMAIN.md, and ICD-10-CM code validation."""

from __future__ import annotations

import difflib
import re
import unicodedata

import simple_icd_10_cm as icd  # type: ignore[import-untyped]

from nilecare.contracts.clinical.schemas import EncounterStatus, VitalFlag

ICD10_CM_VERSION = "2026"

# --- names -------------------------------------------------------------------------------------

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# alef with hamza above/below, madda, wasla -> alef; ta marbuta -> ha; alef maqsura -> ya
_ARABIC_FOLDS = str.maketrans(
    {
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",
        "\u0629": "\u0647",
        "\u0649": "\u064a",
    }
)


def normalize_name(text: str) -> str:
    """Lower case, single spaces; Arabic without diacritics or tatweel, letters folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_FOLDS)
    return " ".join(text.casefold().split())


def full_name(given: str | None, family: str | None) -> str | None:
    if not given and not family:
        return None
    return normalize_name(f"{given or ''} {family or ''}")


NAME_TOKEN_LENGTH = 100
# Words of a name are split at spaces, hyphens and apostrophes ("El-Amin", "Abd al-Rahman").
_WORD_BREAKS = re.compile(r"[\s\-\u2010-\u2015'\u2019]+")


def _words(text: str) -> set[str]:
    return {word[:NAME_TOKEN_LENGTH] for word in _WORD_BREAKS.split(normalize_name(text)) if word}


def name_tokens(*names: str | None) -> set[str]:
    """The normalised words of a patient's names, stored for prefix search."""
    return {word for name in names if name for word in _words(name)}


def search_words(query: str) -> list[str]:
    """The words of a name query, each to prefix-match some name token. A word that begins
    another word of the query is dropped: the longer word's match implies it."""
    words = _words(query)
    return sorted(w for w in words if not any(o != w and o.startswith(w) for o in words))


def names_similar(a: str | None, b: str | None, threshold: float) -> bool:
    if not a or not b:
        return False
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= threshold


# --- encounters --------------------------------------------------------------------------------

S = EncounterStatus
TRANSITIONS: dict[EncounterStatus, frozenset[EncounterStatus]] = {
    S.PLANNED: frozenset({S.ARRIVED, S.IN_PROGRESS, S.CANCELLED, S.ENTERED_IN_ERROR}),
    S.ARRIVED: frozenset({S.IN_PROGRESS, S.CANCELLED, S.ENTERED_IN_ERROR}),
    S.IN_PROGRESS: frozenset({S.FINISHED, S.ENTERED_IN_ERROR}),
    S.FINISHED: frozenset({S.ENTERED_IN_ERROR}),
    S.CANCELLED: frozenset({S.ENTERED_IN_ERROR}),
    S.ENTERED_IN_ERROR: frozenset(),
}
INITIAL_STATUSES = frozenset({S.PLANNED, S.ARRIVED, S.IN_PROGRESS})
OPEN_STATUSES = frozenset({S.PLANNED, S.ARRIVED, S.IN_PROGRESS})


class InvalidTransition(ValueError):
    pass


def check_transition(current: EncounterStatus, target: EncounterStatus) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(f"an encounter cannot go from {current} to {target}")


def ends_encounter(status: EncounterStatus) -> bool:
    return status in {S.FINISHED, S.CANCELLED, S.ENTERED_IN_ERROR}


# --- vital signs -------------------------------------------------------------------------------

# name: (critical low, critical high, normal low, normal high); None = no limit on that side.
ADULT_THRESHOLDS: dict[str, tuple[float | None, float | None, float | None, float | None]] = {
    "heart_rate": (40, 150, 60, 100),
    "systolic_bp": (70, 180, 90, 140),
    "diastolic_bp": (40, 110, 60, 90),
    "spo2": (90, None, 95, None),
    "temperature": (35.0, 39.0, 36.0, 37.5),
    "respiratory_rate": (8, 30, 12, 20),
}


def flag_vital(name: str, value: float) -> VitalFlag:
    """Critical strictly beyond the critical limits; normal inside the normal range."""
    limits = ADULT_THRESHOLDS.get(name)
    if limits is None:
        return VitalFlag.NORMAL  # weight and height have no adult range
    crit_low, crit_high, norm_low, norm_high = limits
    if (crit_low is not None and value < crit_low) or (crit_high is not None and value > crit_high):
        return VitalFlag.CRITICAL
    if (norm_low is not None and value < norm_low) or (norm_high is not None and value > norm_high):
        return VitalFlag.ABNORMAL
    return VitalFlag.NORMAL


def flag_vitals(values: dict[str, float]) -> dict[str, VitalFlag]:
    return {name: flag_vital(name, value) for name, value in values.items()}


# --- ICD-10-CM ---------------------------------------------------------------------------------


def normalize_icd10(code: str) -> str | None:
    """The canonical dotted code if ``code`` is an ICD-10-CM category or subcategory, else None."""
    raw = code.strip().upper().replace(" ", "")
    if not re.fullmatch(r"[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?", raw):
        return None
    if not icd.is_valid_item(raw) or icd.is_chapter_or_block(raw):
        return None
    return str(icd.add_dot(raw)) if "." not in raw and len(raw) > 3 else raw


def icd10_display(code: str) -> str:
    return str(icd.get_description(code))
