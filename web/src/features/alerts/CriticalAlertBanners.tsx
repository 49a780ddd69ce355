import { Button, Stack } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { CriticalAlertBanner } from "./CriticalAlertBanner";
import { useCriticalAlerts } from "./useCriticalAlerts";

// More than this and the page beneath would be pushed out of sight.
const SHOWN = 3;

/** The stack of live critical alerts at the top of every page, newest first. */
export function CriticalAlertBanners() {
  const { t } = useTranslation("alerts");
  const { language } = useLanguage();
  const { alerts, dismiss } = useCriticalAlerts();
  const [expanded, setExpanded] = useState(false);
  if (alerts.length === 0) return null;
  const hidden = alerts.length - SHOWN;
  const shown = expanded ? alerts : alerts.slice(0, SHOWN);

  return (
    <Stack component="section" aria-label={t("region")} spacing={1} sx={{ mb: 2 }}>
      {shown.map((alert) => (
        <CriticalAlertBanner
          key={alert.vital_signs_id}
          alert={alert}
          onDismiss={() => dismiss(alert.vital_signs_id)}
        />
      ))}
      {hidden > 0 && (
        <Button color="error" onClick={() => setExpanded(!expanded)} sx={{ alignSelf: "start" }}>
          {expanded
            ? t("showFewer")
            : t("showMore", { count: hidden, n: formatNumber(hidden, language) })}
        </Button>
      )}
    </Stack>
  );
}
