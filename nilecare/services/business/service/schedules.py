"""Weekly working hours, their exceptions, and the availability computed from both."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from nilecare.contracts.business.schemas import (
    MAX_AVAILABILITY_DAYS,
    AvailabilityExceptionCreate,
    AvailabilityExceptionRead,
    AvailabilityRead,
    AvailabilityWindow,
    ExceptionKind,
    StaffKind,
    StaffRead,
    WorkingHoursCreate,
    WorkingHoursRead,
)
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.errors import Conflict, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.business.domain import (
    DailyInterval,
    ExtraHours,
    Unavailability,
    WeeklyHours,
    Window,
    check_exception_dates,
    compute_availability,
    daily_interval,
    exception_interval,
    find_overlap,
    format_time_of_day,
    zone,
)
from nilecare.services.business.models import AvailabilityException, WorkingHours
from nilecare.services.business.repository import Schedules, StaffMembers
from nilecare.services.business.service.common import check_facility, checked, not_found
from nilecare.services.business.service.staff import staff_read, visible_staff

# Entries are read in their own timezones: a day either side of the range may reach into it.
ONE_DAY = timedelta(days=1)


def hours_read(entry: WorkingHours) -> WorkingHoursRead:
    return WorkingHoursRead(
        id=entry.id,
        staff_id=entry.staff_id,
        facility_id=entry.facility_id,
        weekday=entry.weekday,
        start_time=format_time_of_day(entry.start_minute),
        end_time=format_time_of_day(entry.end_minute),
        timezone=entry.timezone,
    )


def exception_read(row: AvailabilityException) -> AvailabilityExceptionRead:
    return AvailabilityExceptionRead(
        id=row.id,
        staff_id=row.staff_id,
        facility_id=row.facility_id,
        kind=ExceptionKind(row.kind),
        start_date=row.start_date,
        end_date=row.end_date,
        start_time=None if row.start_minute is None else format_time_of_day(row.start_minute),
        end_time=None if row.end_minute is None else format_time_of_day(row.end_minute),
        timezone=row.timezone,
        reason=row.reason,
    )


async def add_working_hours(
    uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID, data: WorkingHoursCreate
) -> WorkingHoursRead:
    """Add a weekly interval; one overlapping another of the same weekday is refused (409)."""
    interval = checked(daily_interval, data.start_time, data.end_time)
    checked(zone, data.timezone)
    # The staff row is locked so two concurrent additions cannot both pass the overlap check.
    staff = await visible_staff(uow, scope, staff_id, for_update=True)
    facility_id = data.facility_id or staff.facility_id
    check_facility(scope, facility_id)
    existing = await Schedules(uow.session, scope).hours(staff.id)
    clash = find_overlap(
        interval,
        data.weekday,
        [(e.weekday, DailyInterval(e.start_minute, e.end_minute)) for e in existing],
    )
    if clash is not None:
        raise Conflict(
            "These hours overlap the staff member's hours "
            f"{format_time_of_day(clash.start)}-{format_time_of_day(clash.end)} on that weekday",
            slug="working-hours-overlap",
        )
    entry = WorkingHours(
        staff_id=staff.id,
        facility_id=facility_id,
        weekday=data.weekday,
        start_minute=interval.start,
        end_minute=interval.end,
        timezone=data.timezone,
    )
    uow.session.add(entry)
    await uow.session.flush()
    uow.audit(
        "staff.working_hours.add",
        "staff",
        staff.id,
        facility_id=staff.facility_id,
        details={"entry_id": str(entry.id), "weekday": entry.weekday},
    )
    await uow.commit()
    return hours_read(entry)


async def list_working_hours(
    uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID
) -> list[WorkingHoursRead]:
    staff = await visible_staff(uow, scope, staff_id)
    return [hours_read(e) for e in await Schedules(uow.session, scope).hours(staff.id)]


async def remove_working_hours(
    uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID, entry_id: uuid.UUID
) -> None:
    entry = await Schedules(uow.session, scope).hours_entry(staff_id, entry_id)
    if entry is None:
        raise not_found("working hours entry")
    await uow.session.delete(entry)
    uow.audit(
        "staff.working_hours.remove",
        "staff",
        staff_id,
        facility_id=entry.facility_id,
        details={"entry_id": str(entry.id)},
    )
    await uow.commit()


async def add_exception(
    uow: UnitOfWork,
    scope: FacilityScope,
    staff_id: uuid.UUID,
    data: AvailabilityExceptionCreate,
) -> AvailabilityExceptionRead:
    end_date = data.end_date or data.start_date
    checked(check_exception_dates, data.start_date, end_date)
    interval = checked(exception_interval, data.kind.value, data.start_time, data.end_time)
    checked(zone, data.timezone)
    staff = await visible_staff(uow, scope, staff_id)
    facility_id = data.facility_id or staff.facility_id
    check_facility(scope, facility_id)
    row = AvailabilityException(
        staff_id=staff.id,
        facility_id=facility_id,
        kind=data.kind.value,
        start_date=data.start_date,
        end_date=end_date,
        start_minute=None if interval is None else interval.start,
        end_minute=None if interval is None else interval.end,
        timezone=data.timezone,
        reason=data.reason,
    )
    uow.session.add(row)
    await uow.session.flush()
    uow.audit(
        "staff.availability_exception.add",
        "staff",
        staff.id,
        facility_id=staff.facility_id,
        details={"exception_id": str(row.id), "kind": row.kind},
    )
    await uow.commit()
    return exception_read(row)


async def list_exceptions(
    uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID
) -> list[AvailabilityExceptionRead]:
    staff = await visible_staff(uow, scope, staff_id)
    return [exception_read(r) for r in await Schedules(uow.session, scope).exceptions(staff.id)]


async def remove_exception(
    uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID, exception_id: uuid.UUID
) -> None:
    row = await Schedules(uow.session, scope).exception(staff_id, exception_id)
    if row is None:
        raise not_found("availability exception")
    await uow.session.delete(row)
    uow.audit(
        "staff.availability_exception.remove",
        "staff",
        staff_id,
        facility_id=row.facility_id,
        details={"exception_id": str(row.id)},
    )
    await uow.commit()


async def staff_availability(
    uow: UnitOfWork,
    scope: FacilityScope,
    staff_id: uuid.UUID,
    *,
    from_date: date,
    to_date: date,
    timezone: str,
) -> AvailabilityRead:
    """Concrete windows over [from_date, to_date] (local dates of ``timezone``). An inactive
    staff member has none."""
    if to_date < from_date:
        raise ValidationFailed.field("to_date", "must not be before from_date")
    if (to_date - from_date).days >= MAX_AVAILABILITY_DAYS:
        raise ValidationFailed.field(
            "to_date", f"a range covers at most {MAX_AVAILABILITY_DAYS} days"
        )
    view = checked(zone, timezone)
    staff = await visible_staff(uow, scope, staff_id)
    windows: list[AvailabilityWindow] = []
    if staff.is_active:
        schedules = Schedules(uow.session, scope)
        hours = await schedules.hours(staff.id)
        exceptions = await schedules.exceptions(
            staff.id, overlapping=(from_date - ONE_DAY, to_date + ONE_DAY)
        )
        computed = _windows(hours, exceptions, from_date, to_date, timezone)
        windows = [
            AvailabilityWindow(
                facility_id=w.facility_id,
                start=w.start,
                end=w.end,
                start_local=w.start.astimezone(view),
                end_local=w.end.astimezone(view),
            )
            for w in computed
        ]
    return AvailabilityRead(
        staff_id=staff.id,
        timezone=timezone,
        from_date=from_date,
        to_date=to_date,
        windows=windows,
    )


def _windows(
    hours: Sequence[WorkingHours],
    exceptions: Sequence[AvailabilityException],
    from_date: date,
    to_date: date,
    timezone: str,
) -> list[Window]:
    """One staff member's working windows: the weekly hours, plus extra hours, minus
    unavailability."""
    weekly = [
        WeeklyHours(
            e.weekday, DailyInterval(e.start_minute, e.end_minute), e.facility_id, e.timezone
        )
        for e in hours
    ]
    unavailable: list[Unavailability] = []
    extra: list[ExtraHours] = []
    for row in exceptions:
        interval = (
            None
            if row.start_minute is None or row.end_minute is None
            else DailyInterval(row.start_minute, row.end_minute)
        )
        if row.kind == ExceptionKind.EXTRA_HOURS.value and interval is not None:
            extra.append(
                ExtraHours(row.start_date, row.end_date, interval, row.facility_id, row.timezone)
            )
        elif row.kind == ExceptionKind.UNAVAILABLE.value:
            unavailable.append(Unavailability(row.start_date, row.end_date, interval, row.timezone))
    return checked(compute_availability, weekly, unavailable, extra, from_date, to_date, timezone)


async def on_duty_staff(
    uow: UnitOfWork,
    scope: FacilityScope,
    facility_id: uuid.UUID,
    *,
    department_id: uuid.UUID | None,
    kinds: Sequence[StaffKind],
    at: datetime,
) -> list[StaffRead]:
    """Active staff of the facility (of ``kinds``, every kind when empty; of the department
    when given) whose working hours at this facility, with exceptions applied, cover ``at``."""
    check_facility(scope, facility_id)
    members = await StaffMembers(uow.session, scope).active_at(
        facility_id, [k.value for k in kinds], department_id
    )
    if not members:
        return []
    day = at.astimezone(UTC).date()
    schedules = Schedules(uow.session, scope)
    ids = [m.id for m in members]
    hours: dict[uuid.UUID, list[WorkingHours]] = defaultdict(list)
    for entry in await schedules.hours_of(ids):
        hours[entry.staff_id].append(entry)
    exceptions: dict[uuid.UUID, list[AvailabilityException]] = defaultdict(list)
    for row in await schedules.exceptions_of(ids, overlapping=(day - ONE_DAY, day + ONE_DAY)):
        exceptions[row.staff_id].append(row)
    return [
        staff_read(member)
        for member in members
        if any(
            w.facility_id == facility_id and w.start <= at < w.end
            for w in _windows(hours[member.id], exceptions[member.id], day, day, "UTC")
        )
    ]
