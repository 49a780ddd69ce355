import { Box, Typography } from "@mui/material";

import { arabicName, englishName } from "./names";
import type { Patient } from "./queries";

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
