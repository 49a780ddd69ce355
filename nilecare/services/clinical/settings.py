"""Clinical service settings (``NILECARE_CLINICAL__*``). Durations accept seconds or ISO 8601
(``PT5M``)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from nilecare.kernel.config import ServiceSettings


class ClinicalSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="NILECARE_CLINICAL__", env_file=".env", extra="ignore"
    )

    # MRN prefix of each facility (e.g. {"<uuid>": "KRT"}); a facility without one gets "F"
    # followed by the first six hex digits of its id.
    mrn_prefixes: dict[uuid.UUID, str] = {}
    # Name similarity (0..1, difflib ratio) above which two patients born the same day are
    # reported as possible duplicates.
    duplicate_name_similarity: float = 0.85
    # Record exports and morbidity reports: how long a ready file may be downloaded before its
    # content is deleted; a job claimed this long ago without an outcome lost its task and is
    # enqueued again; after this many attempts it is marked failed; how often the dispatcher
    # looks for lost jobs and expired files.
    file_retention: timedelta = timedelta(hours=24)
    file_job_timeout: timedelta = timedelta(minutes=5)
    file_job_max_attempts: int = Field(default=3, ge=1, le=20)
    file_dispatcher_interval: float = Field(default=5.0, gt=0, le=300)
