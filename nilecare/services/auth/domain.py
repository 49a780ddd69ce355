"""Pure rules of the auth service: what each role may do, the password policy, lockout backoff.

No I/O here: callers pass in what the rules need (the common-password list, the clock's time).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from nilecare.contracts.auth import roles as r
from nilecare.contracts.auth.permissions import (
    AUDIT_READ,
    AUTH_ROLE_MANAGE,
    AUTH_ROLE_READ,
    AUTH_SELF,
    AUTH_USER_MANAGE,
    AUTH_USER_READ,
)
from nilecare.contracts.notification.permissions import (
    NOTIFICATION_DELIVERY_READ,
    NOTIFICATION_INBOX_READ,
    NOTIFICATION_PREFERENCE_MANAGE,
)
from nilecare.kernel.auth.principal import ALL_PERMISSIONS

# --- roles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: frozenset[str]

    @property
    def all_facilities(self) -> bool:
        return self.name in r.CROSS_FACILITY_ROLES

    @property
    def mfa_required(self) -> bool:
        return self.name in r.MFA_REQUIRED_ROLES


# Every account has its own notification centre and preferences.
_OWN_ACCOUNT = (AUTH_SELF, NOTIFICATION_INBOX_READ, NOTIFICATION_PREFERENCE_MANAGE)


def _role(name: str, description: str, *permissions: str) -> Role:
    return Role(name, description, frozenset({*_OWN_ACCOUNT, *permissions}))


# Permissions of services not written yet are plain strings here; each service will define its
# own constants with the same values in its contracts package.
_CLINICAL_READ = (
    "clinical.patient.read",
    "clinical.encounter.read",
    "clinical.vitals.read",
    "ehr.note.read",
    "lab.order.read",
    "lab.result.read",
    "medication.prescription.read",
    "device.vitals.read",
    "fhir.resource.read",
)

SYSTEM_ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(
            r.SUPER_ADMIN,
            "Every permission in every facility; platform operation and system health.",
            frozenset({ALL_PERMISSIONS}),
        ),
        _role(
            r.ADMIN,
            "Users, roles, facilities and settings of the facilities assigned.",
            AUTH_USER_READ,
            AUTH_USER_MANAGE,
            AUTH_ROLE_READ,
            AUTH_ROLE_MANAGE,
            AUDIT_READ,
            "facility.facility.read",
            "facility.facility.manage",
            "facility.bed.read",
            "facility.bed.manage",
            "business.staff.read",
            "business.staff.manage",
            "business.charge.manage",
            "business.charge.read",
            "appointment.appointment.read",
            "appointment.schedule.manage",
            "inventory.item.read",
            "billing.invoice.read",
            "device.device.manage",
            "notification.template.manage",
            NOTIFICATION_DELIVERY_READ,
            "clinical.export.create",
            "clinical.report.read",
            "clinical.file.manage",
        ),
        _role(
            r.MEDICAL_DIRECTOR,
            "Clinical quality across facilities: reads charts, results, prescriptions and audit.",
            *_CLINICAL_READ,
            AUDIT_READ,
            AUTH_USER_READ,
            "appointment.appointment.read",
            "business.staff.read",
            "business.charge.read",
            "facility.facility.read",
            "cds.alert.read",
            "clinical.report.read",
            "clinical.export.create",
        ),
        _role(
            r.DOCTOR,
            "Examines, diagnoses, documents, orders tests and prescribes.",
            *_CLINICAL_READ,
            "clinical.patient.write",
            "clinical.encounter.write",
            "clinical.vitals.write",
            "clinical.diagnosis.write",
            "clinical.allergy.write",
            "clinical.immunization.write",
            "clinical.export.create",
            "business.staff.read",
            "business.charge.read",
            "facility.facility.read",
            "facility.bed.read",
            "facility.bed.manage",
            "ehr.note.write",
            "ehr.note.finalize",
            "appointment.appointment.manage",
            "lab.order.create",
            "lab.result.acknowledge",
            "medication.prescription.create",
            "cds.check.run",
            "cds.alert.override",
        ),
        _role(
            r.NURSE,
            "Records vitals and administrations, collects specimens, manages beds.",
            *_CLINICAL_READ,
            "clinical.vitals.write",
            "clinical.allergy.write",
            "clinical.immunization.write",
            "ehr.note.write",
            "medication.administration.record",
            "lab.specimen.manage",
            "lab.result.acknowledge",
            "appointment.appointment.read",
            "facility.bed.read",
            "facility.bed.manage",
            "business.staff.read",
            "facility.facility.read",
        ),
        _role(
            r.RECEPTIONIST,
            "Registers patients, books and checks in appointments, takes payments at the desk.",
            "clinical.patient.read",
            "clinical.patient.write",
            "appointment.appointment.read",
            "appointment.appointment.manage",
            "facility.bed.read",
            "facility.facility.read",
            "business.staff.read",
            "business.charge.read",
            "billing.invoice.read",
            "payment.payment.create",
        ),
        _role(
            r.LAB_TECHNICIAN,
            "Receives specimens, enters and releases results.",
            "clinical.patient.read",
            "lab.order.read",
            "lab.specimen.manage",
            "lab.result.read",
            "lab.result.enter",
            "lab.result.release",
            "inventory.item.read",
            "device.device.read",
        ),
        _role(
            r.PHARMACIST,
            "Reviews and dispenses prescriptions; keeps the formulary and pharmacy stock.",
            "clinical.patient.read",
            "medication.prescription.read",
            "medication.dispense.create",
            "medication.formulary.manage",
            "cds.check.run",
            "inventory.item.read",
            "inventory.item.manage",
            "inventory.stock.manage",
        ),
        _role(
            r.BILLING_CLERK,
            "Invoices, insurance claims, payments, verification of payment evidence, refunds.",
            "clinical.patient.read",
            "appointment.appointment.read",
            "billing.invoice.read",
            "billing.invoice.manage",
            "billing.claim.manage",
            "business.charge.read",
            "payment.payment.read",
            "payment.payment.create",
            "payment.verification.manage",
            "payment.refund.create",
        ),
        _role(
            r.COMPLIANCE_OFFICER,
            "Audit trails and access reports across facilities.",
            AUDIT_READ,
            AUTH_USER_READ,
            AUTH_ROLE_READ,
            "business.staff.read",
            "facility.facility.read",
            "clinical.report.read",
        ),
        _role(
            r.HEALTH_INSPECTOR,
            "Oversight of facilities and aggregate quality figures, without patient charts.",
            "facility.facility.read",
            "clinical.report.read",
        ),
        _role(
            r.PATIENT,
            "The patient portal: one's own appointments, results, prescriptions and invoices.",
            "appointment.own.manage",
            "clinical.own.read",
            "lab.own.read",
            "medication.own.read",
            "billing.own.read",
            "payment.own.create",
        ),
    )
}


class UnknownRoleError(ValueError):
    def __init__(self, names: Collection[str]) -> None:
        self.names = sorted(names)
        super().__init__(f"unknown role(s): {', '.join(self.names)}")


def roles_named(names: Iterable[str]) -> list[Role]:
    """The roles by name, deduplicated in the order given; unknown names raise."""
    wanted = list(dict.fromkeys(names))
    unknown = [name for name in wanted if name not in SYSTEM_ROLES]
    if unknown:
        raise UnknownRoleError(unknown)
    return [SYSTEM_ROLES[name] for name in wanted]


def permissions_of(role_names: Iterable[str]) -> frozenset[str]:
    """The union of the roles' permissions (unknown names, e.g. a removed role, grant nothing)."""
    granted: set[str] = set()
    for name in role_names:
        role = SYSTEM_ROLES.get(name)
        if role is not None:
            granted |= role.permissions
    return frozenset({ALL_PERMISSIONS}) if ALL_PERMISSIONS in granted else frozenset(granted)


def sees_all_facilities(role_names: Iterable[str]) -> bool:
    return any(name in r.CROSS_FACILITY_ROLES for name in role_names)


def must_enrol_mfa(role_names: Iterable[str], mfa_enabled: bool) -> bool:
    return not mfa_enabled and any(name in r.MFA_REQUIRED_ROLES for name in role_names)


# Permissions over accounts and the audit trail: no one may hand these out beyond their own.
PRIVILEGE_PREFIXES = ("auth.", "audit.")


def can_grant(actor_permissions: Collection[str], actor_all_facilities: bool, role: Role) -> bool:
    """Whether an actor may give (or take away) ``role``. Administrators hand out clinical and
    operational roles they do not practise themselves, but never more power over accounts and
    the audit trail than they hold, never the all-permissions role, and a cross-facility role
    only when they are cross-facility themselves. Holders of ``*`` may grant anything."""
    if ALL_PERMISSIONS in actor_permissions:
        return True
    if ALL_PERMISSIONS in role.permissions:
        return False
    if role.all_facilities and not actor_all_facilities:
        return False
    privileges = {p for p in role.permissions if p.startswith(PRIVILEGE_PREFIXES)}
    return privileges <= set(actor_permissions)


# --- passwords -------------------------------------------------------------------------------

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
PASSWORD_MIN_DISTINCT = 5
# Words of the context an attacker would try first (NIST SP 800-63B 3.1.1.2).
CONTEXT_WORDS = ("nilecare", "nile care")

_LEET = str.maketrans(
    {
        "@": "a",
        "4": "a",
        "0": "o",
        "1": "l",
        "!": "i",
        "3": "e",
        "$": "s",
        "5": "s",
        "7": "t",
        "+": "t",
        "8": "b",
        "9": "g",
        "|": "l",
    }
)
_EDGE_NOISE = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def normalize_common(candidate: str) -> set[str]:
    """Forms under which a password is looked up in the common list: as typed (lower case),
    with the digits and symbols around it stripped, each also with leetspeak undone
    ("P@ssw0rd2024!" -> "p@ssw0rd" -> "password")."""
    lowered = candidate.lower()
    forms = {lowered, lowered.translate(_LEET)}
    core = _EDGE_NOISE.sub("", lowered)
    if len(core) >= 4:
        forms |= {core, core.translate(_LEET)}
    return forms


def password_problems(
    password: str,
    *,
    email: str,
    full_name: str | None,
    common: Collection[str],
) -> list[str]:
    """Why ``password`` is refused (empty when it is acceptable).

    The policy follows NIST SP 800-63B rather than composition rules: at least 12 characters
    (a passphrase of several words passes by its length alone, "correct horse battery staple"),
    at most 128; at least 5 different characters; not the e-mail address, its local part or the
    user's name, nor containing them; not a common password, also after undoing leetspeak and
    stripping digits and symbols around it; not containing the platform's name.
    """
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"must be at least {PASSWORD_MIN_LENGTH} characters long")
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"must be at most {PASSWORD_MAX_LENGTH} characters long")
    if len(set(password)) < PASSWORD_MIN_DISTINCT:
        problems.append(f"must use at least {PASSWORD_MIN_DISTINCT} different characters")
    lowered = password.lower()
    squashed = re.sub(r"[\W_]+", "", lowered)
    local_part = email.lower().split("@", 1)[0]
    personal = [email.lower(), local_part]
    if full_name:
        personal += full_name.lower().split()
        personal.append(re.sub(r"[\W_]+", "", full_name.lower()))
    # Short names ("Ali") are refused only as the whole password: inside a longer one they
    # would forbid half the dictionary.
    if lowered == local_part or any(
        len(word) >= 4 and (word in lowered or word in squashed) for word in personal
    ):
        problems.append("must not contain your e-mail address or name")
    if any(word.replace(" ", "") in squashed for word in CONTEXT_WORDS):
        problems.append("must not contain the name of the platform")
    if any(form in common for form in normalize_common(password)):
        problems.append("is too common; choose a less predictable password")
    return problems


# --- lockout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int
    base_seconds: int
    max_seconds: int
    memory: timedelta

    def lock_seconds(self, failures: int) -> int:
        """How long to lock after ``failures`` counted attempts: none below the threshold, then
        the base doubling with each attempt over it, never more than the cap."""
        if failures < self.threshold:
            return 0
        exponent = min(failures - self.threshold, 32)
        return min(self.base_seconds << exponent, self.max_seconds)


@dataclass(frozen=True)
class AttemptState:
    failures: int
    last_failure_at: datetime | None
    locked_until: datetime | None


@dataclass(frozen=True)
class AttemptDecision:
    """The outcome of registering one attempt: refused while locked (``retry_after`` seconds),
    else admitted as the ``failures``-th counted attempt, with the lock it starts (if any)."""

    admitted: bool
    failures: int
    locked_until: datetime | None
    retry_after: int


def register_attempt(
    state: AttemptState | None, policy: LockoutPolicy, now: datetime
) -> AttemptDecision:
    """Count an attempt *before* its password is checked, so a burst of parallel guesses cannot
    slip past the counter: the attempt that reaches the threshold starts the lock, and the rest
    are refused. A successful login then forgives its attempt."""
    if state is not None and state.locked_until is not None and state.locked_until > now:
        remaining = (state.locked_until - now).total_seconds()
        return AttemptDecision(False, state.failures, state.locked_until, max(1, _ceil(remaining)))
    failures = 0
    last = state.last_failure_at if state is not None else None
    if state is not None and last is not None and now - last <= policy.memory:
        failures = state.failures
    failures += 1
    seconds = policy.lock_seconds(failures)
    locked_until = now + timedelta(seconds=seconds) if seconds else None
    return AttemptDecision(True, failures, locked_until, seconds)


def _ceil(value: float) -> int:
    whole = int(value)
    return whole if whole == value else whole + 1


# --- one-time codes --------------------------------------------------------------------------

BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def normalize_code(code: str) -> str:
    """Codes are compared without spaces or dashes and in lower case."""
    return re.sub(r"[\s-]+", "", code).lower()


def is_totp_code(code: str, digits: int = 6) -> bool:
    return len(code) == digits and code.isdigit()


def format_backup_code(raw: str) -> str:
    return f"{raw[:5]}-{raw[5:]}"
