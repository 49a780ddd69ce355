"""The clinical service: the patient registry (MRN, encrypted national id, phones and address,
duplicate detection, merge), encounters with admission and discharge (beds through the facility
service), ICD-10-CM diagnoses, allergies and manually entered vital signs.

Publishes ``patient.created``, ``patient.updated``, ``encounter.started``, ``encounter.finished``
and ``vitals.recorded``.
"""
