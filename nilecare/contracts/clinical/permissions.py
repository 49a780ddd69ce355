"""Permissions of the clinical service (granted to roles by the auth service)."""

from __future__ import annotations

CLINICAL_PATIENT_READ = "clinical.patient.read"
CLINICAL_PATIENT_WRITE = "clinical.patient.write"
CLINICAL_ENCOUNTER_READ = "clinical.encounter.read"
CLINICAL_ENCOUNTER_WRITE = "clinical.encounter.write"
CLINICAL_DIAGNOSIS_WRITE = "clinical.diagnosis.write"
CLINICAL_ALLERGY_WRITE = "clinical.allergy.write"
CLINICAL_VITALS_READ = "clinical.vitals.read"
CLINICAL_VITALS_WRITE = "clinical.vitals.write"
# New: to be granted to doctor and nurse in the auth service's role map.
CLINICAL_IMMUNIZATION_WRITE = "clinical.immunization.write"
# Export one patient's whole record as a file (and fetch one's own exports).
CLINICAL_EXPORT_CREATE = "clinical.export.create"
# Facility reports of aggregate figures (morbidity), no patient named (and one's own reports).
CLINICAL_REPORT_READ = "clinical.report.read"
# See and download every export and report of one's facilities, not only one's own.
CLINICAL_FILE_MANAGE = "clinical.file.manage"
