/** Which roles open which pages (super_admin opens all). Mirrors the permissions each role has
 * in the auth service: a page is offered only where its API calls would be allowed. */
export const ROLES = {
  patientSearch: [
    "medical_director",
    "doctor",
    "nurse",
    "receptionist",
    "lab_technician",
    "pharmacist",
    "billing_clerk",
  ],
  patientRegister: ["doctor", "receptionist"],
  patientChart: ["medical_director", "doctor", "nurse"],
  admit: ["doctor"],
  recordVitals: ["doctor", "nurse"],
  /** Live critical-vitals banners for the facilities the user works in. */
  criticalAlerts: ["medical_director", "doctor", "nurse"],
  beds: ["admin", "doctor", "nurse", "receptionist"],
  staff: ["admin", "medical_director", "doctor", "nurse", "receptionist", "compliance_officer"],
  users: ["admin"],
  /** Export a patient's whole record (from the chart). */
  exportRecord: ["admin", "medical_director", "doctor"],
  /** Facility reports of aggregate figures (morbidity). */
  reports: ["admin", "medical_director", "compliance_officer", "health_inspector"],
} as const satisfies Record<string, readonly string[]>;

/** The permissions (as the auth service names them) that decide what a page offers. */
export const PERMISSIONS = {
  patientRead: "clinical.patient.read",
  encounterWrite: "clinical.encounter.write",
  diagnosisWrite: "clinical.diagnosis.write",
  vitalsWrite: "clinical.vitals.write",
  allergyWrite: "clinical.allergy.write",
  bedManage: "facility.bed.manage",
  chargeRead: "business.charge.read",
  exportCreate: "clinical.export.create",
  reportRead: "clinical.report.read",
} as const;
