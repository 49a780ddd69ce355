import CloudOffIcon from "@mui/icons-material/CloudOff";
import { Tooltip } from "@mui/material";
import { useTranslation } from "react-i18next";

import { useLiveStatus } from "./LiveProvider";

/** Shown in the app bar while the live feed is down, so nobody trusts a quiet screen. */
export function LiveOfflineIndicator() {
  const { t } = useTranslation();
  if (useLiveStatus() === "open") return null;
  return (
    <Tooltip title={t("liveOffline")}>
      <CloudOffIcon role="img" aria-label={t("liveOffline")} data-testid="live-offline" />
    </Tooltip>
  );
}
