import { Alert, Stack } from "@mui/material";
import { useTranslation } from "react-i18next";

import type { PatientSummary } from "./queries";

/** The parts of the summary the orchestrator could not fetch: the chart shows what it has and
 * says what is missing. */
export function PartWarnings({ parts }: { parts: PatientSummary["parts"] }) {
  const { t } = useTranslation("chart");
  const failed = Object.entries(parts).filter(([, outcome]) => outcome.status === "failed");
  if (failed.length === 0) return null;
  return (
    <Stack sx={{ gap: 1 }}>
      {failed.map(([part, outcome]) => (
        <Alert key={part} severity="warning">
          {t("parts.failed", {
            part: t(`parts.${part}`, { defaultValue: part }),
            error: outcome.error ?? "—",
          })}
        </Alert>
      ))}
    </Stack>
  );
}
