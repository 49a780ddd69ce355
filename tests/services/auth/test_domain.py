"""The auth service's pure rules: roles, password policy, lockout backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nilecare.contracts.auth import roles as r
from nilecare.contracts.auth.permissions import AUTH_ROLE_MANAGE, AUTH_SELF, AUTH_USER_MANAGE
from nilecare.kernel.db.types import utcnow
from nilecare.services.auth.domain import (
    SYSTEM_ROLES,
    AttemptState,
    LockoutPolicy,
    UnknownRoleError,
    can_grant,
    must_enrol_mfa,
    password_problems,
    permissions_of,
    register_attempt,
    roles_named,
    sees_all_facilities,
)
from nilecare.services.auth.passwords import common_passwords


def test_every_domain_role_exists_and_manages_its_own_account() -> None:
    assert set(SYSTEM_ROLES) == set(r.ALL_ROLES)
    for role in SYSTEM_ROLES.values():
        assert AUTH_SELF in role.permissions or "*" in role.permissions
        assert all(p == "*" or p.count(".") == 2 for p in role.permissions), role.name


def test_super_admin_holds_every_permission_and_others_only_theirs() -> None:
    assert permissions_of([r.SUPER_ADMIN]) == {"*"}
    doctor = permissions_of([r.DOCTOR])
    assert {"clinical.patient.write", "medication.prescription.create"} <= doctor
    assert "billing.invoice.manage" not in doctor
    assert "medication.dispense.create" in permissions_of([r.PHARMACIST])
    assert "medication.dispense.create" not in doctor
    assert permissions_of([r.DOCTOR, r.SUPER_ADMIN]) == {"*"}
    assert permissions_of(["no_such_role"]) == frozenset()


def test_only_oversight_roles_see_every_facility() -> None:
    assert sees_all_facilities([r.MEDICAL_DIRECTOR])
    assert sees_all_facilities([r.NURSE, r.COMPLIANCE_OFFICER])
    assert not sees_all_facilities([r.ADMIN, r.DOCTOR, r.PATIENT])


def test_admins_must_enrol_in_mfa_and_others_need_not() -> None:
    assert must_enrol_mfa([r.ADMIN], mfa_enabled=False)
    assert must_enrol_mfa([r.DOCTOR, r.SUPER_ADMIN], mfa_enabled=False)
    assert not must_enrol_mfa([r.ADMIN], mfa_enabled=True)
    assert not must_enrol_mfa([r.DOCTOR], mfa_enabled=False)


def test_unknown_role_names_are_refused() -> None:
    with pytest.raises(UnknownRoleError) as raised:
        roles_named(["doctor", "wizard"])
    assert raised.value.names == ["wizard"]
    assert [role.name for role in roles_named(["nurse", "nurse"])] == ["nurse"]


def test_an_admin_grants_staff_roles_but_nothing_above_itself() -> None:
    admin = SYSTEM_ROLES[r.ADMIN]
    grantable = {
        name
        for name, role in SYSTEM_ROLES.items()
        if can_grant(admin.permissions, admin.all_facilities, role)
    }
    assert {r.DOCTOR, r.NURSE, r.PHARMACIST, r.PATIENT, r.ADMIN} <= grantable
    # The all-permissions role and the cross-facility roles are out of an admin's reach.
    assert not grantable & {r.SUPER_ADMIN, r.MEDICAL_DIRECTOR, r.COMPLIANCE_OFFICER}
    # A role manager without user management cannot make an administrator.
    limited = frozenset({AUTH_SELF, AUTH_ROLE_MANAGE})
    assert not can_grant(limited, False, admin)
    assert can_grant(
        limited | {AUTH_USER_MANAGE, "auth.user.read", "auth.role.read", "audit.event.read"},
        False,
        admin,
    )
    assert can_grant(frozenset({"*"}), True, SYSTEM_ROLES[r.SUPER_ADMIN])


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "violet-river-lantern-42",
        "Tq9#vL2$mX7!pR",
    ],
)
def test_long_or_random_passwords_are_accepted(password: str) -> None:
    assert (
        password_problems(
            password, email="amna@nilecare.sd", full_name="Amna Osman", common=common_passwords()
        )
        == []
    )


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short-Pw1!", "at least 12 characters"),
        ("aaaaaaaaaaaaaaaa", "different characters"),
        ("password1234", "too common"),
        ("P@ssw0rd2024!!", "too common"),
        ("Khartoum2024!!", "too common"),
        ("qwertyuiop123", "too common"),
        ("amna.osman.2024", "e-mail address or name"),
        ("my-osman-secret-x", "e-mail address or name"),
        ("MyNileCare-login-7", "name of the platform"),
        ("x" * 100 + "yzabc" + "q" * 30, "at most 128"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, expected: str) -> None:
    problems = password_problems(
        password, email="amna.osman@nilecare.sd", full_name="Amna Osman", common=common_passwords()
    )
    assert any(expected in problem for problem in problems), problems


def test_the_bundled_common_password_list_is_loaded() -> None:
    common = common_passwords()
    assert len(common) > 3000
    assert {"password", "123456", "qwerty123", "khartoum"} <= common
    assert not any(line.startswith("#") for line in common)


POLICY = LockoutPolicy(threshold=5, base_seconds=30, max_seconds=300, memory=timedelta(hours=24))


def test_backoff_starts_at_the_threshold_doubles_and_is_capped() -> None:
    assert [POLICY.lock_seconds(n) for n in range(1, 10)] == [0, 0, 0, 0, 30, 60, 120, 240, 300]
    assert POLICY.lock_seconds(1000) == 300


def test_the_attempt_that_reaches_the_threshold_starts_the_lock_and_later_ones_wait() -> None:
    now = utcnow()
    state: AttemptState | None = None
    for expected in range(1, 5):
        decision = register_attempt(state, POLICY, now)
        assert decision.admitted and decision.failures == expected and decision.locked_until is None
        state = AttemptState(decision.failures, now, decision.locked_until)
    fifth = register_attempt(state, POLICY, now)
    assert fifth.admitted and fifth.retry_after == 30
    state = AttemptState(fifth.failures, now, fifth.locked_until)
    refused = register_attempt(state, POLICY, now + timedelta(seconds=10))
    assert not refused.admitted and refused.retry_after == 20
    after = register_attempt(state, POLICY, now + timedelta(seconds=31))
    assert after.admitted and after.failures == 6 and after.retry_after == 60


def test_failures_are_forgotten_after_the_memory_period() -> None:
    now = utcnow()
    old = AttemptState(4, now - timedelta(hours=25), None)
    assert register_attempt(old, POLICY, now).failures == 1
    recent = AttemptState(4, now - timedelta(hours=23), None)
    assert register_attempt(recent, POLICY, now).failures == 5
