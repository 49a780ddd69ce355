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
  const { t, i18n } = useTranslation("chart");
  const { withUnit } = useVitalFormat();
  const critical = criticalReadings(reading);
  if (critical.length === 0) return null;
  const separator = i18n.language === "ar" ? "، " : ", ";
  const items = critical
    .map((name) => `${t(`vitals.inline.${name}`)} ${withUnit(name, reading.values[name] ?? 0)}`)
    .join(separator);
  return (
    <Alert severity="error" role="alert" variant="filled" onClose={onClose}>
      {t("vitals.criticalAlert", { items })}
    </Alert>
  );
}
