"""The orchestrator: no data of its own; it gathers views across services, such as the patient
summary (patient, active encounter, diagnoses, allergies and last vital signs from the clinical
service), reporting the parts that failed instead of failing the whole."""
