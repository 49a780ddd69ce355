"""Wire models of the auth service's API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from nilecare.kernel.types import Page, SudanPhone

# Login and reset take any string as the e-mail: a malformed one simply matches no account, so
# the answer is the same as for an unknown one.
LoginEmail = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
NewPassword = Annotated[str, StringConstraints(max_length=1024)]
RoleName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OtpCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
# The language of messages sent to the user (the web app follows it too).
Language = Literal["ar", "en"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(_Request):
    email: LoginEmail
    password: Password
    # A TOTP code or a backup code; required once the account has MFA.
    otp: OtpCode | None = None


class RefreshRequest(_Request):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=512)]


class UserRead(BaseModel):
    id: uuid.UUID
    email: str
    full_name: str
    phone: str | None = None
    preferred_language: Language = "ar"
    roles: list[str]
    facility_ids: list[uuid.UUID]
    is_active: bool
    mfa_enabled: bool
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None = None


class UserPage(Page[UserRead]):
    pass


class UserCreate(_Request):
    email: EmailStr
    password: NewPassword
    full_name: FullName
    roles: Annotated[list[RoleName], Field(min_length=1, max_length=20)]
    facility_ids: Annotated[list[uuid.UUID], Field(max_length=100)] = []
    # +249 and 9 digits; the national form 0 and 9 digits is stored as +249...
    phone: SudanPhone | None = None
    preferred_language: Language = "ar"


class UserUpdate(_Request):
    """Fields to change; omitted fields stay as they are."""

    email: EmailStr | None = None
    full_name: FullName | None = None
    facility_ids: Annotated[list[uuid.UUID], Field(max_length=100)] | None = None
    # An explicit null removes the phone number.
    phone: SudanPhone | None = None
    preferred_language: Language | None = None


class UserRolesUpdate(_Request):
    roles: Annotated[list[RoleName], Field(min_length=1, max_length=20)]


class RoleRead(BaseModel):
    name: str
    description: str
    permissions: list[str]
    all_facilities: bool
    mfa_required: bool


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme, not a secret
    # Seconds until the access token expires.
    expires_in: int


class LoginResponse(BaseModel):
    access_token: str
    # None while a role that must use MFA has not enrolled: the token then only serves enrolment.
    refresh_token: str | None
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme, not a secret
    expires_in: int
    user: UserRead
    mfa_enrollment_required: bool = False


class MeRead(UserRead):
    """The caller: the account plus what the current token grants."""

    permissions: list[str]
    all_facilities: bool
    session_id: str | None
    mfa_enrollment_required: bool


class SessionRead(BaseModel):
    id: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None
    current: bool


class PasswordChange(_Request):
    current_password: Password
    new_password: NewPassword


class PasswordResetRequest(_Request):
    email: LoginEmail


class PasswordResetConfirmation(_Request):
    token: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: NewPassword


class MfaEnrollment(BaseModel):
    # Base32 secret for manual entry, and the otpauth:// URI an authenticator app scans.
    secret: str
    provisioning_uri: str


class MfaConfirmation(_Request):
    code: OtpCode


class MfaBackupCodes(BaseModel):
    # Shown once; each works a single time in place of a TOTP code.
    backup_codes: list[str]


class MfaDeactivation(_Request):
    password: Password
    code: OtpCode


class Accepted(BaseModel):
    status: Literal["accepted"] = "accepted"
