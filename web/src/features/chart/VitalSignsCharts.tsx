import ErrorIcon from "@mui/icons-material/Error";
import WarningAmberIcon from "@mui/icons-material/WarningAmber";
import { Box, Stack, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { VitalTrendChart } from "./VitalTrendChart";
import type { VitalName, VitalSigns } from "./vitals";

const TRENDS: { key: string; names: readonly VitalName[] }[] = [
  { key: "heart_rate", names: ["heart_rate"] },
  { key: "bp", names: ["systolic_bp", "diastolic_bp"] },
  { key: "spo2", names: ["spo2"] },
  { key: "temperature", names: ["temperature"] },
  { key: "respiratory_rate", names: ["respiratory_rate"] },
];

/** The trends of the six adult vital signs side by side. */
export function VitalSignsCharts({ readings }: { readings: VitalSigns[] }) {
  const { t } = useTranslation("chart");
  const oldestFirst = [...readings].sort((a, b) => a.recorded_at.localeCompare(b.recorded_at));
  return (
    <Box>
      <Stack direction="row" sx={{ alignItems: "center", gap: 2, mb: 1, flexWrap: "wrap" }}>
        <Typography variant="subtitle1" component="h3">
          {t("vitals.trends")}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {t("vitals.legend")}
        </Typography>
        <Stack direction="row" sx={{ alignItems: "center", gap: 0.5, color: "error.main" }}>
          <ErrorIcon fontSize="small" aria-hidden />
          <Typography variant="caption">{t("flags.critical")}</Typography>
        </Stack>
        <Stack direction="row" sx={{ alignItems: "center", gap: 0.5, color: "warning.dark" }}>
          <WarningAmberIcon fontSize="small" aria-hidden />
          <Typography variant="caption">{t("flags.abnormal")}</Typography>
        </Stack>
      </Stack>
      <Box
        sx={{
          display: "grid",
          gap: 2,
          gridTemplateColumns: { xs: "1fr", md: "1fr 1fr", xl: "1fr 1fr 1fr" },
        }}
      >
        {TRENDS.map((trend) => (
          <VitalTrendChart
            key={trend.key}
            title={
              trend.key === "bp"
                ? t("vitals.bp")
                : t(`vitals.names.${trend.names[0] ?? "heart_rate"}`)
            }
            names={trend.names}
            readings={oldestFirst}
          />
        ))}
      </Box>
    </Box>
  );
}
