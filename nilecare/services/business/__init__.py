"""The business service: organizations, staff (doctors, nurses, ...; licences, specialties,
departments, linked accounts), their weekly working hours and exceptions with the computed
availability the appointment service books against, and the charge master (priced services in
SDG minor units) that billing invoices from.

Publishes ``staff.created``.
"""
