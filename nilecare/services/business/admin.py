"""Administrative functions the CLI calls (``nilecare seed demo``), given the business service's
context; no HTTP server needed. Everything goes through the use cases, so demo data is audited
and ``staff.created`` is published as for data entered through the API."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from nilecare.contracts.business.schemas import (
    ChargeItemCreate,
    OrganizationCreate,
    StaffCreate,
    StaffUpdate,
    WorkingHoursCreate,
)
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.errors import ValidationFailed
from nilecare.kernel.service import ServiceContext
from nilecare.services.business.repository import (
    ChargeItems,
    Organizations,
    Schedules,
    StaffMembers,
)
from nilecare.services.business.service import charges, organizations, schedules, staff

# Ids of demo records are derived from this namespace, so a second run finds the first's rows.
DEMO_NAMESPACE = uuid.UUID("0b6d3c1e-8f2a-4d5b-9c7e-2a1f3e4d5c6b")
DEMO_ORGANIZATION_REGISTRATION = "SD-HC-2019-0417"

SUNDAY_TO_THURSDAY = (6, 0, 1, 2, 3)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
# Ward cover in 12-hour shifts, every day; the night shift is split at midnight.
_DAY_SHIFT = ((EVERY_DAY, "08:00", "20:00"),)
_NIGHT_SHIFT = ((EVERY_DAY, "20:00", "24:00"), (EVERY_DAY, "00:00", "08:00"))
# Demo accounts of nurses and doctors are on call around the clock in every ward of their
# facility, so whoever tries the demo (or a test) at any hour receives the ward's alerts.
_ON_CALL = ((EVERY_DAY, "00:00", "24:00"),)
_ON_CALL_KINDS = frozenset({"nurse", "doctor"})


@dataclass(frozen=True)
class DemoStaff:
    kind: str
    name_en: str
    name_ar: str
    licence: str | None
    specialties: tuple[str, ...] = ()
    # (weekdays, start, end)
    hours: tuple[tuple[tuple[int, ...], str, str], ...] = ((SUNDAY_TO_THURSDAY, "08:00", "16:00"),)
    # Ward cover works in every department of its facility; others in one of them.
    every_department: bool = False


@dataclass(frozen=True)
class StaffLink:
    """A user account (auth's demo users) to link to a demo staff member of ``kind`` who works
    at ``facility_id``."""

    user_id: uuid.UUID
    kind: str
    facility_id: uuid.UUID


_CLINIC = ((SUNDAY_TO_THURSDAY, "08:00", "14:00"),)
_CLINIC_AND_EVENING = (*_CLINIC, ((0, 2), "16:00", "20:00"))

DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff(
        "doctor",
        "Dr. Amna Osman Elhassan",
        "د. آمنة عثمان الحسن",
        "SMC-20417",
        ("Internal Medicine",),
        _CLINIC_AND_EVENING,
    ),
    DemoStaff(
        "doctor",
        "Dr. Mohamed Ahmed Abdelrahman",
        "د. محمد أحمد عبد الرحمن",
        "SMC-18833",
        ("Surgery",),
        _CLINIC,
    ),
    DemoStaff(
        "doctor",
        "Dr. Fatima Ibrahim Khalid",
        "د. فاطمة إبراهيم خالد",
        "SMC-22190",
        ("Obstetrics", "Gynaecology"),
        _CLINIC_AND_EVENING,
    ),
    DemoStaff(
        "doctor",
        "Dr. Omer Hassan Babiker",
        "د. عمر حسن بابكر",
        "SMC-19954",
        ("Paediatrics",),
        _CLINIC,
    ),
    DemoStaff(
        "doctor",
        "Dr. Sara Abdalla Mustafa",
        "د. سارة عبد الله مصطفى",
        "SMC-23561",
        ("Internal Medicine", "Cardiology"),
        _CLINIC,
    ),
    DemoStaff(
        "doctor",
        "Dr. Khalid Elsadig Yousif",
        "د. خالد الصادق يوسف",
        "SMC-17702",
        ("Surgery", "Orthopaedics"),
        _CLINIC,
    ),
    DemoStaff(
        "doctor",
        "Dr. Hiba Mohamed Salih",
        "د. هبة محمد صالح",
        "SMC-24418",
        ("Paediatrics", "Neonatology"),
        _CLINIC_AND_EVENING,
    ),
    DemoStaff(
        "doctor",
        "Dr. Yasir Abdelmoneim Ali",
        "د. ياسر عبد المنعم علي",
        "SMC-21376",
        ("Emergency Medicine",),
        (((4, 5), "08:00", "20:00"),),
    ),
    DemoStaff(
        "nurse",
        "Nafisa Adam Ishag",
        "نفيسة آدم إسحاق",
        "SNMC-40112",
        (),
        (((6, 0, 1), "08:00", "20:00"),),
    ),
    DemoStaff(
        "nurse",
        "Ibrahim Musa Hamid",
        "إبراهيم موسى حامد",
        "SNMC-40387",
        (),
        (((2, 3, 4), "08:00", "20:00"),),
    ),
    # A night nurse: each night shift is split at midnight (20:00-24:00, then 00:00-08:00).
    DemoStaff(
        "nurse",
        "Rayan Elfatih Osman",
        "ريان الفاتح عثمان",
        "SNMC-41026",
        (),
        (((6, 1, 3), "20:00", "24:00"), ((0, 2, 4), "00:00", "08:00")),
    ),
    DemoStaff(
        "nurse",
        "Mawada Hassan Eltayeb",
        "مودة حسن الطيب",
        "SNMC-41570",
        (),
        (((0, 1, 2, 3), "07:00", "15:00"),),
    ),
    DemoStaff(
        "nurse",
        "Tariq Omer Elbashir",
        "طارق عمر البشير",
        "SNMC-42203",
        (),
        (((5, 6), "08:00", "20:00"),),
    ),
    DemoStaff(
        "midwife",
        "Zainab Abdelgadir Nour",
        "زينب عبد القادر نور",
        "SNMC-M-3081",
        ("Midwifery",),
        (((6, 0, 1, 2), "08:00", "20:00"),),
    ),
    DemoStaff(
        "lab_technician",
        "Mujtaba Ali Hamad",
        "مجتبى علي حمد",
        "SMLC-7714",
        ("Haematology",),
    ),
    DemoStaff(
        "lab_technician",
        "Samah Idris Suliman",
        "سماح إدريس سليمان",
        "SMLC-7921",
        ("Clinical Chemistry",),
        (((4, 5), "08:00", "16:00"),),
    ),
    DemoStaff(
        "radiographer",
        "Hassan Elnour Ahmed",
        "حسن النور أحمد",
        "SMLC-R-512",
        ("Ultrasound", "X-ray"),
    ),
    DemoStaff("pharmacist", "Reem Awad Elkarim", "ريم عوض الكريم", "SPC-11845"),
    DemoStaff("receptionist", "Alawia Babikir Mohamed", "علوية بابكر محمد", None),
    DemoStaff("billing_clerk", "Mohamed Elamin Abdalla", "محمد الأمين عبد الله", None),
    DemoStaff("administrator", "Nasreldin Kamal Hassan", "نصر الدين كمال حسن", None),
    # Added later, at the end so that earlier staff keep their facility: with two facilities,
    # each has a receptionist, pharmacist, administrator and billing clerk.
    DemoStaff("receptionist", "Hanan Elsir Abdelgadir", "حنان السر عبد القادر", None),
    DemoStaff("pharmacist", "Muawia Osman Fadl", "معاوية عثمان فضل", "SPC-12903"),
    DemoStaff("administrator", "Tahani Yousif Elmahi", "تهاني يوسف الماحي", None),
    DemoStaff("billing_clerk", "Abubakr Siddig Hamza", "أبوبكر صديق حمزة", None),
    # Ward cover, in pairs so that with two facilities each has a day and a night nurse and
    # doctor on duty in every department at every hour (critical alerts always find someone).
    DemoStaff("nurse", "Amal Eltahir Musa", "آمال الطاهر موسى", "SNMC-43015", (), _DAY_SHIFT, True),
    DemoStaff("nurse", "Samia Adam Yagoub", "سامية آدم يعقوب", "SNMC-43122", (), _DAY_SHIFT, True),
    DemoStaff(
        "nurse", "Hamza Elnour Idris", "حمزة النور إدريس", "SNMC-43260", (), _NIGHT_SHIFT, True
    ),
    DemoStaff(
        "nurse", "Marwa Salah Eldin", "مروة صلاح الدين", "SNMC-43384", (), _NIGHT_SHIFT, True
    ),
    DemoStaff(
        "doctor",
        "Dr. Osman Elmubarak Ali",
        "د. عثمان المبارك علي",
        "SMC-25107",
        ("Internal Medicine",),
        _DAY_SHIFT,
        True,
    ),
    DemoStaff(
        "doctor",
        "Dr. Nahla Abdelrahim Taha",
        "د. نهلة عبد الرحيم طه",
        "SMC-25231",
        ("Family Medicine",),
        _DAY_SHIFT,
        True,
    ),
    DemoStaff(
        "doctor",
        "Dr. Walid Hassan Elsheikh",
        "د. وليد حسن الشيخ",
        "SMC-25349",
        ("Emergency Medicine",),
        _NIGHT_SHIFT,
        True,
    ),
    DemoStaff(
        "doctor",
        "Dr. Ilham Babiker Nasr",
        "د. إلهام بابكر نصر",
        "SMC-25472",
        ("Internal Medicine",),
        _NIGHT_SHIFT,
        True,
    ),
)

# (code, English, Arabic, category, price in SDG)
DEMO_CHARGES: tuple[tuple[str, str, str, str, int], ...] = (
    ("CONS-GP", "General consultation", "استشارة طبيب عام", "consultation", 15_000),
    ("CONS-SPEC", "Specialist consultation", "استشارة اختصاصي", "consultation", 25_000),
    ("CONS-FU", "Follow-up visit", "زيارة متابعة", "consultation", 8_000),
    ("CONS-ER", "Emergency consultation", "استشارة طوارئ", "consultation", 20_000),
    (
        "ADM-WARD",
        "Admission, general ward (per day)",
        "تنويم، عنبر عام (لليوم)",
        "admission",
        30_000,
    ),
    (
        "ADM-PRIV",
        "Admission, private room (per day)",
        "تنويم، غرفة خاصة (لليوم)",
        "admission",
        60_000,
    ),
    ("ADM-ICU", "Intensive care (per day)", "العناية المكثفة (لليوم)", "admission", 150_000),
    (
        "ADM-NICU",
        "Neonatal intensive care (per day)",
        "حضانة الأطفال (لليوم)",
        "admission",
        120_000,
    ),
    ("LAB-CBC", "Complete blood count", "صورة دم كاملة", "laboratory", 6_000),
    ("LAB-BFMP", "Malaria blood film", "فحص الملاريا (شريحة)", "laboratory", 3_000),
    ("LAB-MRDT", "Malaria rapid test", "فحص الملاريا السريع", "laboratory", 2_500),
    ("LAB-FBS", "Fasting blood glucose", "سكر الدم الصائم", "laboratory", 2_000),
    ("LAB-HBA1C", "HbA1c", "السكر التراكمي", "laboratory", 9_000),
    ("LAB-RFT", "Renal function tests", "وظائف الكلى", "laboratory", 10_000),
    ("LAB-LFT", "Liver function tests", "وظائف الكبد", "laboratory", 12_000),
    ("LAB-LIPID", "Lipid profile", "دهون الدم", "laboratory", 11_000),
    ("LAB-ELEC", "Serum electrolytes", "أملاح الدم", "laboratory", 9_000),
    ("LAB-URINE", "Urinalysis", "فحص البول العام", "laboratory", 3_000),
    ("LAB-STOOL", "Stool examination", "فحص البراز العام", "laboratory", 3_000),
    ("LAB-WIDAL", "Widal test", "فحص التيفويد (فيدال)", "laboratory", 4_000),
    ("LAB-HBSAG", "Hepatitis B surface antigen", "فحص التهاب الكبد الوبائي ب", "laboratory", 5_000),
    ("LAB-HIV", "HIV screening", "فحص فيروس نقص المناعة", "laboratory", 5_000),
    ("RAD-XR-CHEST", "Chest X-ray", "أشعة سينية للصدر", "radiology", 15_000),
    ("RAD-XR-LIMB", "X-ray of a limb", "أشعة سينية للأطراف", "radiology", 14_000),
    ("RAD-US-ABD", "Abdominal ultrasound", "موجات صوتية للبطن", "radiology", 20_000),
    ("RAD-US-OBS", "Obstetric ultrasound", "موجات صوتية للحمل", "radiology", 18_000),
    ("RAD-CT-HEAD", "CT scan of the head", "أشعة مقطعية للرأس", "radiology", 90_000),
    ("PROC-ECG", "Electrocardiogram", "تخطيط القلب", "procedure", 8_000),
    ("PROC-DRESS", "Wound dressing", "غيار الجروح", "procedure", 5_000),
    ("PROC-SUTURE", "Wound suturing", "خياطة الجروح", "procedure", 10_000),
    ("PROC-NVD", "Normal delivery", "ولادة طبيعية", "procedure", 150_000),
    ("PROC-CS", "Caesarean section", "عملية قيصرية", "procedure", 600_000),
    ("NURS-INJ", "Injection administration", "إعطاء حقنة", "nursing", 1_500),
    ("NURS-IVC", "IV cannulation", "تركيب كانيولا", "nursing", 3_000),
)

SYSTEM_SCOPE = FacilityScope.everything()

M = TypeVar("M", bound=BaseModel)


def demo_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, ":".join(str(p) for p in parts))


def _request(model: type[M], **fields: object) -> M:
    """The request the API would take; malformed input is a 422 problem, as there."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise ValidationFailed(
            "Invalid input",
            errors=[
                {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                for e in error.errors()
            ],
        ) from None


async def seed_demo(
    context: ServiceContext,
    facility_ids: Sequence[uuid.UUID],
    departments: Mapping[uuid.UUID, Sequence[uuid.UUID]] | None = None,
    *,
    user_links: Sequence[StaffLink] = (),
) -> list[uuid.UUID]:
    """The demo organization, ~35 staff spread over ``facility_ids`` (with weekly hours, and
    ``departments`` of their facility: ward cover all of them, the others one each, round-robin),
    and a charge master of ~30 SDG prices in each facility.
    Safe to run again: what exists is left alone. Each of ``user_links`` links its user to the
    first demo staff member of its kind at its facility not linked by an earlier one (a staff
    member already linked to someone else, or a user already linked elsewhere, stays as it is).
    Returns the staff ids, in seed order."""
    if not facility_ids:
        raise ValidationFailed.field("facility_ids", "give at least one facility")
    placed = [(member, facility_ids[i % len(facility_ids)]) for i, member in enumerate(DEMO_STAFF)]
    accounts = _accounts_of(placed, user_links)
    organization_id = await _seed_organization(context)
    staff_ids: list[uuid.UUID] = []
    for index, (member, facility_id) in enumerate(placed):
        if index in accounts and member.kind in _ON_CALL_KINDS:
            member = replace(member, hours=_ON_CALL, every_department=True)
        own = list((departments or {}).get(facility_id, ()))
        if own and not member.every_department:
            own = [own[index % len(own)]]
        staff_ids.append(
            await _seed_staff(
                context, member, facility_id, organization_id, own, accounts.get(index)
            )
        )
    for facility_id in dict.fromkeys(facility_ids):
        await _seed_charges(context, facility_id)
    return staff_ids


def _accounts_of(
    placed: Sequence[tuple[DemoStaff, uuid.UUID]], links: Sequence[StaffLink]
) -> dict[int, uuid.UUID]:
    """Which user each staff member (by seed index) is linked to; 422 when a link has no
    demo staff member of its kind left at its facility."""
    accounts: dict[int, uuid.UUID] = {}
    for link in links:
        index = next(
            (
                i
                for i, (member, facility_id) in enumerate(placed)
                if (member.kind, facility_id) == (link.kind, link.facility_id) and i not in accounts
            ),
            None,
        )
        if index is None:
            raise ValidationFailed.field(
                "user_links", f"no demo {link.kind} left to link at facility {link.facility_id}"
            )
        accounts[index] = link.user_id
    return accounts


async def _seed_organization(context: ServiceContext) -> uuid.UUID:
    async with context.unit_of_work() as uow:
        existing = await Organizations(uow.session).by_registration(DEMO_ORGANIZATION_REGISTRATION)
        if existing is not None:
            return existing.id
    data = _request(
        OrganizationCreate,
        name="Nile Valley Health Group",
        name_ar="مجموعة وادي النيل الصحية",
        registration_number=DEMO_ORGANIZATION_REGISTRATION,
        phone="+249912345678",
        email="info@nilevalleyhealth.sd",
        address="Street 15, Al Amarat, Khartoum",
    )
    async with context.unit_of_work() as uow:
        return (await organizations.create_organization(uow, data)).id


async def _seed_staff(
    context: ServiceContext,
    member: DemoStaff,
    facility_id: uuid.UUID,
    organization_id: uuid.UUID,
    department_ids: list[uuid.UUID],
    account: uuid.UUID | None,
) -> uuid.UUID:
    staff_id = demo_id("staff", member.kind, member.name_en)
    async with context.unit_of_work() as uow:
        existing = await StaffMembers(uow.session, SYSTEM_SCOPE).get(staff_id)
        exists, linked_user = existing is not None, existing.user_id if existing else None
        linked_elsewhere = account is not None and await StaffMembers(
            uow.session, SYSTEM_SCOPE
        ).user_linked(account, other_than=staff_id)
        has_hours = bool(await Schedules(uow.session, SYSTEM_SCOPE).hours(staff_id))
    link = None if linked_elsewhere else account
    if not exists:
        data = _request(
            StaffCreate,
            facility_id=facility_id,
            organization_id=organization_id,
            kind=member.kind,
            full_name_en=member.name_en,
            full_name_ar=member.name_ar,
            licence_number=member.licence,
            specialties=list(member.specialties),
            department_ids=department_ids,
            user_id=link,
        )
        async with context.unit_of_work() as uow:
            await staff.create_staff(uow, SYSTEM_SCOPE, data, staff_id=staff_id)
    elif link is not None and linked_user is None:
        async with context.unit_of_work() as uow:
            await staff.update_staff(uow, SYSTEM_SCOPE, staff_id, StaffUpdate(user_id=link))
    if not has_hours:
        for weekdays, start, end in member.hours:
            for weekday in weekdays:
                hours = _request(
                    WorkingHoursCreate, weekday=weekday, start_time=start, end_time=end
                )
                async with context.unit_of_work() as uow:
                    await schedules.add_working_hours(uow, SYSTEM_SCOPE, staff_id, hours)
    return staff_id


async def _seed_charges(context: ServiceContext, facility_id: uuid.UUID) -> None:
    for code, name_en, name_ar, category, price_sdg in DEMO_CHARGES:
        async with context.unit_of_work() as uow:
            if await ChargeItems(uow.session, SYSTEM_SCOPE).code_taken(facility_id, code):
                continue
        data = _request(
            ChargeItemCreate,
            facility_id=facility_id,
            code=code,
            name_en=name_en,
            name_ar=name_ar,
            category=category,
            price_minor=price_sdg * 100,
            currency="SDG",
        )
        async with context.unit_of_work() as uow:
            await charges.create_charge_item(uow, SYSTEM_SCOPE, data)
