import { Alert, AlertTitle, Button } from "@mui/material";
import { useTranslation } from "react-i18next";
import { Link as RouterLink } from "react-router-dom";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import type { CriticalAlertData } from "../../live/protocol";
import { useVitalFormat } from "../chart/useVitalFormat";
import { displayName } from "../patients/names";
import { usePatient } from "../patients/queries";

/** One critical alert: whose, which readings with their units, when, and the way to the chart. */
export function CriticalAlertBanner({
  alert,
  onDismiss,
}: {
  alert: CriticalAlertData;
  onDismiss: () => void;
}) {
  const { t } = useTranslation("alerts");
  const { language } = useLanguage();
  const { criticalItems } = useVitalFormat();
  const patient = usePatient(alert.patient_id);
  const name = patient.data ? displayName(patient.data, language) : null;

  return (
    <Alert
      severity="error"
      variant="filled"
      role="alert"
      data-testid="critical-alert"
      action={
        <>
          <Button
            color="inherit"
            size="small"
            component={RouterLink}
            to={`/patients/${alert.patient_id}`}
          >
            {t("openChart")}
          </Button>
          <Button
            color="inherit"
            size="small"
            aria-label={name ? t("dismissFor", { name }) : t("dismiss")}
            onClick={onDismiss}
          >
            {t("dismiss")}
          </Button>
        </>
      }
    >
      <AlertTitle>{name ? t("title", { name }) : t("titleNoName")}</AlertTitle>
      {criticalItems(alert)} ·{" "}
      {t("recorded", { when: formatDateTime(alert.recorded_at, language) })}
    </Alert>
  );
}
