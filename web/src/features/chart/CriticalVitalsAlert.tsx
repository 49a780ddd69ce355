import { Alert } from "@mui/material";
import { useTranslation } from "react-i18next";

import { useVitalFormat } from "./useVitalFormat";
import { criticalReadings, type VitalSigns } from "./vitals";

/** "Critical: heart rate 170 /min, SpO₂ 85 %" for a set just recorded; nothing when none is. */
export function CriticalVitalsAlert({
  reading,
  onClose,
}: {
  reading: VitalSigns;
  onClose?: () => void;
}) {
  const { t } = useTranslation("chart");
  const { criticalItems } = useVitalFormat();
  if (criticalReadings(reading).length === 0) return null;
  return (
    <Alert severity="error" role="alert" variant="filled" onClose={onClose}>
      {t("vitals.criticalAlert", { items: criticalItems(reading) })}
    </Alert>
  );
}
