"""Pure rules: licences, times of day, overlaps and the availability computation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from nilecare.services.business.domain import (
    DailyInterval,
    ExtraHours,
    RuleViolation,
    Unavailability,
    WeeklyHours,
    Window,
    check_currency,
    check_exception_dates,
    check_licence,
    compute_availability,
    daily_interval,
    exception_interval,
    find_overlap,
    merge_spans,
    subtract_spans,
)

KHARTOUM = "Africa/Khartoum"
CLINIC = uuid.UUID("33333333-3333-4333-8333-333333333333")
ANNEX = uuid.UUID("44444444-4444-4444-8444-444444444444")
# 2026-11-22 is a Sunday; the week runs Sunday 22 to Saturday 28 November.
SUNDAY = date(2026, 11, 22)


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def weekly(weekday: int, start: str, end: str, facility: uuid.UUID = CLINIC) -> WeeklyHours:
    return WeeklyHours(weekday, daily_interval(start, end), facility, KHARTOUM)


def spans(windows: list[Window]) -> list[tuple[datetime, datetime]]:
    return [(w.start, w.end) for w in windows]


def test_a_licensed_profession_without_a_licence_number_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_licence("doctor", None)
    assert caught.value.field == "licence_number"
    check_licence("receptionist", None)
    check_licence("nurse", "SNMC-1234")


def test_an_interval_must_end_after_it_starts_and_may_end_at_midnight() -> None:
    assert daily_interval("20:00", "24:00") == DailyInterval(1200, 1440)
    with pytest.raises(RuleViolation) as caught:
        daily_interval("14:00", "08:00")
    assert caught.value.field == "end_time"
    with pytest.raises(RuleViolation):
        daily_interval("09:00", "09:00")


def test_overlapping_intervals_on_the_same_weekday_are_found_but_touching_ones_are_not() -> None:
    existing = [(0, DailyInterval(480, 840)), (1, DailyInterval(480, 840))]
    assert find_overlap(DailyInterval(800, 900), 0, existing) == DailyInterval(480, 840)
    assert find_overlap(DailyInterval(840, 960), 0, existing) is None
    assert find_overlap(DailyInterval(800, 900), 2, existing) is None
    assert find_overlap(DailyInterval(0, 1440), 1, existing) == DailyInterval(480, 840)


def test_span_arithmetic_merges_touching_spans_and_cuts_holes() -> None:
    merged = merge_spans(
        [(utc(1, 10), utc(1, 12)), (utc(1, 8), utc(1, 10)), (utc(1, 14), utc(1, 15))]
    )
    assert merged == [(utc(1, 8), utc(1, 12)), (utc(1, 14), utc(1, 15))]
    assert subtract_spans(merged, [(utc(1, 9), utc(1, 10)), (utc(1, 14), utc(1, 16))]) == [
        (utc(1, 8), utc(1, 9)),
        (utc(1, 10), utc(1, 12)),
    ]


def test_a_weekly_pattern_becomes_utc_windows_in_khartoum_time() -> None:
    # Sunday to Thursday 08:00-14:00 Khartoum (UTC+2) = 06:00-12:00 UTC.
    pattern = [weekly(d, "08:00", "14:00") for d in (6, 0, 1, 2, 3)]
    windows = compute_availability(pattern, [], [], SUNDAY, SUNDAY.replace(day=28), KHARTOUM)
    assert spans(windows) == [(utc(d, 6), utc(d, 12)) for d in (22, 23, 24, 25, 26)]
    assert {w.facility_id for w in windows} == {CLINIC}


def test_exceptions_remove_whole_days_and_hours_and_add_extra_hours() -> None:
    pattern = [weekly(d, "08:00", "14:00") for d in (6, 0, 1, 2, 3)]
    unavailable = [
        # Monday away all day; Wednesday away 10:00-12:00.
        Unavailability(date(2026, 11, 23), date(2026, 11, 23), None, KHARTOUM),
        Unavailability(
            date(2026, 11, 25), date(2026, 11, 25), daily_interval("10:00", "12:00"), KHARTOUM
        ),
    ]
    # Saturday extra clinic 09:00-13:00 at the annex.
    extra = [
        ExtraHours(
            date(2026, 11, 28),
            date(2026, 11, 28),
            daily_interval("09:00", "13:00"),
            ANNEX,
            KHARTOUM,
        )
    ]
    windows = compute_availability(
        pattern, unavailable, extra, SUNDAY, date(2026, 11, 28), KHARTOUM
    )
    assert spans(windows) == [
        (utc(22, 6), utc(22, 12)),
        (utc(24, 6), utc(24, 12)),
        (utc(25, 6), utc(25, 8)),
        (utc(25, 10), utc(25, 12)),
        (utc(26, 6), utc(26, 12)),
        (utc(28, 7), utc(28, 11)),
    ]
    assert windows[-1].facility_id == ANNEX


def test_a_night_shift_split_at_midnight_is_one_window_and_the_range_clips_it() -> None:
    pattern = [weekly(6, "20:00", "24:00"), weekly(0, "00:00", "08:00")]
    windows = compute_availability(pattern, [], [], SUNDAY, date(2026, 11, 23), KHARTOUM)
    assert spans(windows) == [(utc(22, 18), utc(23, 6))]
    # Asking for Sunday only stops at Sunday's local midnight.
    sunday_only = compute_availability(pattern, [], [], SUNDAY, SUNDAY, KHARTOUM)
    assert spans(sunday_only) == [(utc(22, 18), utc(22, 22))]


def test_a_multi_day_leave_empties_every_day_it_covers() -> None:
    pattern = [weekly(d, "08:00", "16:00") for d in range(7)]
    leave = [Unavailability(date(2026, 11, 23), date(2026, 11, 26), None, KHARTOUM)]
    windows = compute_availability(pattern, leave, [], SUNDAY, date(2026, 11, 28), KHARTOUM)
    assert [w.start.day for w in windows] == [22, 27, 28]


def test_windows_in_a_utc_view_cover_the_utc_dates() -> None:
    pattern = [weekly(6, "01:00", "03:00")]  # Sunday 01:00-03:00 Khartoum = Saturday 23:00 UTC
    windows = compute_availability(pattern, [], [], date(2026, 11, 21), date(2026, 11, 21), "UTC")
    assert spans(windows) == [(utc(21, 23), utc(22, 0))]


def test_exception_rules_name_the_field_at_fault() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_exception_dates(date(2026, 11, 5), date(2026, 11, 4))
    assert caught.value.field == "end_date"
    with pytest.raises(RuleViolation) as caught:
        exception_interval("extra_hours", None, None)
    assert caught.value.field == "start_time"
    with pytest.raises(RuleViolation) as caught:
        exception_interval("unavailable", "10:00", None)
    assert caught.value.field == "end_time"
    assert exception_interval("unavailable", None, None) is None
    with pytest.raises(RuleViolation) as caught:
        compute_availability([], [], [], SUNDAY, SUNDAY, "Mars/Olympus")
    assert caught.value.field == "timezone"


def test_only_sdg_prices_are_accepted() -> None:
    check_currency("SDG")
    with pytest.raises(RuleViolation) as caught:
        check_currency("USD")
    assert caught.value.field == "currency"
