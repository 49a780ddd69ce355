"""The clinical service's tables, on its own MetaData (with the kernel's outbox, inbox, audit).

Identifying fields (national id, phones, e-mail, address, emergency contact) are stored encrypted
(AES-256-GCM, key id inside the ciphertext); national id and phones also as keyed hashes so
they can be searched exactly.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, WriteOnlyMapped, mapped_column, relationship

from nilecare.kernel.db.base import IdMixin, TimestampMixin, service_metadata
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.db.types import JSONDocument, LongText, UTCDateTime, utcnow
from nilecare.services.clinical import domain

metadata = service_metadata()
kernel_tables = add_kernel_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class MrnCounter(Base):
    """The last MRN number given at a facility, incremented by an atomic upsert."""

    __tablename__ = "mrn_counters"

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    last_value: Mapped[int] = mapped_column(BigInteger)


class Patient(IdMixin, TimestampMixin, Base):
    __tablename__ = "patients"
    __table_args__ = (
        Index("ix_patients_facility_id_birth_date", "facility_id", "birth_date"),
        # An MRN is unique within its facility (prefixes are per facility and configurable).
        UniqueConstraint("facility_id", "mrn"),
    )

    mrn: Mapped[str] = mapped_column(String(32), index=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default="active")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    given_name_en: Mapped[str] = mapped_column(String(100))
    family_name_en: Mapped[str] = mapped_column(String(100))
    given_name_ar: Mapped[str | None] = mapped_column(String(100), nullable=True)
    family_name_ar: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # Normalised "given family" for duplicate detection (lower case; Arabic without diacritics).
    name_en: Mapped[str] = mapped_column(String(201))
    name_ar: Mapped[str | None] = mapped_column(String(201), nullable=True)
    sex: Mapped[str] = mapped_column(String(16))
    birth_date: Mapped[date] = mapped_column(Date)
    preferred_language: Mapped[str] = mapped_column(String(2))
    national_id_enc: Mapped[str | None] = mapped_column(String(255), nullable=True)
    national_id_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    phone_enc: Mapped[str] = mapped_column(String(255))
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    alternate_phone_enc: Mapped[str | None] = mapped_column(String(255), nullable=True)
    alternate_phone_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # Optional; not searchable, so no hash (up to 320 characters: Text holds the ciphertext).
    email_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    address_enc: Mapped[str] = mapped_column(Text)
    emergency_contact_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Demo data marker (admin.seed_demo), so seeding twice adds nothing.
    seed_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    # Write-only: never loaded; added with a new patient, replaced when its names change.
    name_tokens: WriteOnlyMapped[PatientNameToken] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


# Code point order on every database, so that a prefix is a range (token >= w AND token < w'):
# MariaDB's default collation ignores case and accents, PostgreSQL's may follow a locale.
NameToken = (
    String(domain.NAME_TOKEN_LENGTH)
    .with_variant(String(domain.NAME_TOKEN_LENGTH, collation="C"), "postgresql")
    .with_variant(String(domain.NAME_TOKEN_LENGTH, collation="utf8mb4_bin"), "mysql", "mariadb")
)


class PatientNameToken(Base):
    """One normalised word of a patient's names (English or Arabic), for prefix search; the
    facility is copied from the patient so that a scoped search reads one index range."""

    __tablename__ = "patient_name_tokens"
    __table_args__ = (
        Index(
            "ix_patient_name_tokens_facility_id_token_patient_id",
            "facility_id",
            "token",
            "patient_id",
        ),
        # Cross-facility roles search without a facility condition.
        Index("ix_patient_name_tokens_token_patient_id", "token", "patient_id"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    token: Mapped[str] = mapped_column(NameToken, primary_key=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class Encounter(IdMixin, TimestampMixin, Base):
    __tablename__ = "encounters"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    encounter_class: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    bed_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # Whether this encounter currently holds its bed in the facility service.
    holds_bed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The bed's ward and when the facility service assigned it, from its bed.assigned events
    # (transfers included): vitals name the ward without asking the facility service.
    ward_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    bed_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Diagnosis(IdMixin, TimestampMixin, Base):
    __tablename__ = "diagnoses"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    code_system: Mapped[str] = mapped_column(String(100))
    code_system_version: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(10))
    display: Mapped[str] = mapped_column(String(300))
    clinical_status: Mapped[str] = mapped_column(String(16))
    verification_status: Mapped[str] = mapped_column(String(20))
    onset_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Allergy(IdMixin, TimestampMixin, Base):
    __tablename__ = "allergies"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    substance: Mapped[str] = mapped_column(String(200))
    substance_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    substance_system: Mapped[str | None] = mapped_column(String(200), nullable=True)
    allergy_class: Mapped[str] = mapped_column(String(16))
    reaction: Mapped[str | None] = mapped_column(String(500), nullable=True)
    severity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    criticality: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VitalSigns(IdMixin, Base):
    __tablename__ = "vital_signs"
    __table_args__ = (Index("ix_vital_signs_patient_id_recorded_at", "patient_id", "recorded_at"),)

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    heart_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    systolic_bp: Mapped[float | None] = mapped_column(Float, nullable=True)
    diastolic_bp: Mapped[float | None] = mapped_column(Float, nullable=True)
    spo2: Mapped[float | None] = mapped_column(Float, nullable=True)
    temperature: Mapped[float | None] = mapped_column(Float, nullable=True)
    respiratory_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    weight: Mapped[float | None] = mapped_column(Float, nullable=True)
    height: Mapped[float | None] = mapped_column(Float, nullable=True)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)


class Immunization(IdMixin, TimestampMixin, Base):
    __tablename__ = "immunizations"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    vaccine_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    vaccine_system: Mapped[str | None] = mapped_column(String(200), nullable=True)
    vaccine_name: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[date] = mapped_column(Date)
    dose_number: Mapped[int] = mapped_column(Integer)
    lot_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FileJob(IdMixin, Base):
    """A file built by a task: a patient's record export or a facility's morbidity report.

    ``queued`` (``claimed_at``: when its task was enqueued) -> ``running`` (an attempt began
    then) -> ``ready`` (content sealed with the service's keyring) or ``failed``; a ready file
    becomes ``expired``, its content deleted, at ``expires_at``. A queued or running job whose
    claim is older than the job timeout lost its task: the dispatcher enqueues it again.
    """

    __tablename__ = "file_jobs"
    __table_args__ = (
        Index("ix_file_jobs_status_claimed_at", "status", "claimed_at"),
        Index("ix_file_jobs_status_expires_at", "status", "expires_at"),
    )

    kind: Mapped[str] = mapped_column(String(32))
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    requested_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    content_enc: Mapped[str | None] = mapped_column(LongText, nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
