"""Clinical service settings (``NILECARE_CLINICAL__*``)."""

from __future__ import annotations

import uuid

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
