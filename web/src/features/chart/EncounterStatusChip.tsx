import { Chip } from "@mui/material";
import { useTranslation } from "react-i18next";

import type { Encounter } from "./queries";

const COLORS = {
  planned: "default",
  arrived: "info",
  in_progress: "primary",
  finished: "success",
  cancelled: "default",
  entered_in_error: "default",
} as const;

export function EncounterStatusChip({ status }: { status: Encounter["status"] }) {
  const { t } = useTranslation("chart");
  return (
    <Chip
      size="small"
      variant={status === "in_progress" ? "filled" : "outlined"}
      color={COLORS[status]}
      label={t(`encounters.statuses.${status}`)}
    />
  );
}
