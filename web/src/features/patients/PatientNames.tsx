import { Box, Typography } from "@mui/material";

import type { Patient } from "./queries";

export function englishName(patient: Pick<Patient, "given_name_en" | "family_name_en">): string {
  return `${patient.given_name_en} ${patient.family_name_en}`;
}

export function arabicName(
  patient: Pick<Patient, "given_name_ar" | "family_name_ar">,
): string | null {
  const name = [patient.given_name_ar, patient.family_name_ar].filter(Boolean).join(" ");
  return name || null;
}

/** The patient's name in both scripts, the one of the page's language first. */
export function PatientNames({ patient, arabicFirst }: { patient: Patient; arabicFirst: boolean }) {
  const english = (
    <bdi lang="en" key="en">
      {englishName(patient)}
    </bdi>
  );
  const arabicText = arabicName(patient);
  const arabic = arabicText ? (
    <bdi lang="ar" key="ar">
      {arabicText}
    </bdi>
  ) : null;
  const [first, second] = arabicFirst && arabic ? [arabic, english] : [english, arabic];
  return (
    <Box>
      <Typography component="div" variant="body2" sx={{ fontWeight: 500 }}>
        {first}
      </Typography>
      {second && (
        <Typography component="div" variant="body2" color="text.secondary">
          {second}
        </Typography>
      )}
    </Box>
  );
}
