import type { Patient } from "./queries";

type Names = Pick<Patient, "given_name_en" | "family_name_en" | "given_name_ar" | "family_name_ar">;

export function englishName(patient: Pick<Names, "given_name_en" | "family_name_en">): string {
  return `${patient.given_name_en} ${patient.family_name_en}`;
}

/** The Arabic name, or null when the record has none. */
export function arabicName(
  patient: Pick<Names, "given_name_ar" | "family_name_ar">,
): string | null {
  const name = [patient.given_name_ar, patient.family_name_ar].filter(Boolean).join(" ");
  return name || null;
}

/** The name in the user's language: Arabic when the record has it and the user reads Arabic. */
export function displayName(patient: Names, language: string): string {
  const arabic = arabicName(patient);
  return language === "ar" && arabic ? arabic : englishName(patient);
}
