import type { PatientSummary } from "./queries";

type Patient = PatientSummary["patient"];

export function englishName(patient: Patient): string {
  return `${patient.given_name_en} ${patient.family_name_en}`;
}

export function arabicName(patient: Patient): string {
  return [patient.given_name_ar, patient.family_name_ar].filter(Boolean).join(" ");
}

/** The name in the user's language: Arabic when the record has it and the user reads Arabic. */
export function displayName(patient: Patient, language: string): string {
  const arabic = arabicName(patient);
  return language === "ar" && arabic ? arabic : englishName(patient);
}
