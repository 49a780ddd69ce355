"""Pure rules of the business service: licences, times of day, weekly hours, the availability
computation and charge-item prices. No I/O."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60

# Professions that cannot practise without a registration number.
LICENSED_KINDS = frozenset(
    {"doctor", "nurse", "midwife", "lab_technician", "radiographer", "pharmacist"}
)
SUPPORTED_CURRENCIES = frozenset({"SDG"})


class RuleViolation(ValueError):
    """Input that breaks a business rule; ``field`` names what to correct."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# --- staff -------------------------------------------------------------------------------------


def check_licence(kind: str, licence_number: str | None) -> None:
    if kind in LICENSED_KINDS and not licence_number:
        raise RuleViolation("licence_number", f"a {kind.replace('_', ' ')} needs a licence number")


def clean_specialties(specialties: Iterable[str]) -> list[str]:
    """Deduplicated (case-insensitively), in the order given."""
    seen: set[str] = set()
    kept: list[str] = []
    for specialty in specialties:
        key = specialty.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(specialty)
    return kept


# --- times of day and timezones ----------------------------------------------------------------


def parse_time_of_day(value: str) -> int:
    """``HH:MM`` (or ``24:00``) as minutes after midnight."""
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def format_time_of_day(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleViolation(field, f"unknown timezone {name!r}") from None


@dataclass(frozen=True)
class DailyInterval:
    """[start, end) in minutes after local midnight; end may be 1440 (midnight)."""

    start: int
    end: int

    def overlaps(self, other: DailyInterval) -> bool:
        return self.start < other.end and other.start < self.end


def daily_interval(start_time: str, end_time: str) -> DailyInterval:
    start, end = parse_time_of_day(start_time), parse_time_of_day(end_time)
    if start >= MINUTES_PER_DAY:
        raise RuleViolation("start_time", "a start must be before 24:00")
    if end <= start:
        raise RuleViolation(
            "end_time",
            "the end must be after the start (split a night shift at midnight into two entries)",
        )
    return DailyInterval(start, end)


def find_overlap(
    candidate: DailyInterval, weekday: int, existing: Iterable[tuple[int, DailyInterval]]
) -> DailyInterval | None:
    """The first existing interval on ``weekday`` that ``candidate`` overlaps (touching is fine)."""
    for day, interval in existing:
        if day == weekday and candidate.overlaps(interval):
            return interval
    return None


# --- availability ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # 0 = Monday
    interval: DailyInterval
    facility_id: uuid.UUID
    timezone: str


@dataclass(frozen=True)
class Unavailability:
    """Unavailable on each day of [start_date, end_date]: the whole day when ``interval`` is
    None, else that part of each day."""

    start_date: date
    end_date: date
    interval: DailyInterval | None
    timezone: str


@dataclass(frozen=True)
class ExtraHours:
    start_date: date
    end_date: date
    interval: DailyInterval
    facility_id: uuid.UUID
    timezone: str


@dataclass(frozen=True)
class Window:
    """An absolute span of availability, [start, end) in UTC, at one facility."""

    facility_id: uuid.UUID
    start: datetime
    end: datetime


Span = tuple[datetime, datetime]


def _instant(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The UTC instant of ``minutes`` after local midnight of ``day`` (1440 = next midnight)."""
    local = datetime.combine(day + timedelta(days=minutes // MINUTES_PER_DAY), time(), tzinfo=tz)
    return (local + timedelta(minutes=minutes % MINUTES_PER_DAY)).astimezone(UTC)


def _span(day: date, interval: DailyInterval, tz: ZoneInfo) -> Span:
    return _instant(day, interval.start, tz), _instant(day, interval.end, tz)


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping and touching spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract_spans(spans: Sequence[Span], holes: Sequence[Span]) -> list[Span]:
    """``spans`` minus every hole (both merged, sorted)."""
    result: list[Span] = []
    for start, end in spans:
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            next_pieces: list[Span] = []
            for piece_start, piece_end in pieces:
                if hole_end <= piece_start or hole_start >= piece_end:
                    next_pieces.append((piece_start, piece_end))
                    continue
                if piece_start < hole_start:
                    next_pieces.append((piece_start, hole_start))
                if hole_end < piece_end:
                    next_pieces.append((hole_end, piece_end))
            pieces = next_pieces
        result.extend(pieces)
    return result


def compute_availability(
    weekly: Sequence[WeeklyHours],
    unavailable: Sequence[Unavailability],
    extra: Sequence[ExtraHours],
    from_date: date,
    to_date: date,
    timezone: str,
) -> list[Window]:
    """The concrete windows between local midnight of ``from_date`` and local midnight after
    ``to_date`` (in ``timezone``): the weekly pattern, plus extra hours, minus unavailability.
    Each entry is read in its own timezone; windows at one facility that touch are joined (a
    night shift split at midnight comes out as one window)."""
    if to_date < from_date:
        raise RuleViolation("to_date", "must not be before from_date")
    view = zone(timezone)
    range_start = _instant(from_date, 0, view)
    range_end = _instant(to_date, MINUTES_PER_DAY, view)
    # A day either side: the entries' timezones may differ from the view's.
    first, last = from_date - timedelta(days=1), to_date + timedelta(days=1)

    by_facility: dict[uuid.UUID, list[Span]] = {}
    for hours in weekly:
        tz = zone(hours.timezone)
        for day in _days(first, last):
            if day.weekday() == hours.weekday:
                by_facility.setdefault(hours.facility_id, []).append(_span(day, hours.interval, tz))
    for added in extra:
        tz = zone(added.timezone)
        for day in _days(max(first, added.start_date), min(last, added.end_date)):
            by_facility.setdefault(added.facility_id, []).append(_span(day, added.interval, tz))

    holes: list[Span] = []
    for off in unavailable:
        tz = zone(off.timezone)
        whole_day = off.interval or DailyInterval(0, MINUTES_PER_DAY)
        for day in _days(max(first, off.start_date), min(last, off.end_date)):
            holes.append(_span(day, whole_day, tz))
    holes = merge_spans(holes)

    windows: list[Window] = []
    for facility_id, spans in by_facility.items():
        for start, end in subtract_spans(merge_spans(spans), holes):
            start, end = max(start, range_start), min(end, range_end)
            if start < end:
                windows.append(Window(facility_id, start, end))
    windows.sort(key=lambda w: (w.start, w.end, str(w.facility_id)))
    return windows


# --- charge master -----------------------------------------------------------------------------


def check_currency(currency: str) -> None:
    if currency not in SUPPORTED_CURRENCIES:
        raise RuleViolation("currency", "prices are kept in SDG")


def check_effective_dates(effective_from: date, effective_to: date | None) -> None:
    if effective_to is not None and effective_to < effective_from:
        raise RuleViolation("effective_to", "must not be before effective_from")


MAX_EXCEPTION_DAYS = 366


def check_exception_dates(start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise RuleViolation("end_date", "must not be before start_date")
    if (end_date - start_date).days >= MAX_EXCEPTION_DAYS:
        raise RuleViolation("end_date", f"an exception spans at most {MAX_EXCEPTION_DAYS} days")


def exception_interval(
    kind: str, start_time: str | None, end_time: str | None
) -> DailyInterval | None:
    """The daily part an exception covers; None (whole day) only for unavailability."""
    if start_time is None and end_time is None:
        if kind == "extra_hours":
            raise RuleViolation("start_time", "extra hours need a start and an end time")
        return None
    if start_time is None:
        raise RuleViolation("start_time", "give both times or neither")
    if end_time is None:
        raise RuleViolation("end_time", "give both times or neither")
    return daily_interval(start_time, end_time)
