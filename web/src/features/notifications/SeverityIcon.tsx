import ErrorIcon from "@mui/icons-material/Error";
import InfoIcon from "@mui/icons-material/Info";
import WarningIcon from "@mui/icons-material/Warning";
import { useTranslation } from "react-i18next";

import type { Severity } from "../../live/protocol";

const ICONS = {
  critical: <ErrorIcon color="error" />,
  warning: <WarningIcon color="warning" />,
  info: <InfoIcon color="info" />,
} as const;

/** A notification's severity as an icon that says its name to a screen reader. */
export function SeverityIcon({ severity }: { severity: Severity }) {
  const { t } = useTranslation("notifications");
  return (
    <span role="img" aria-label={t(`severity.${severity}`)} style={{ display: "inline-flex" }}>
      {ICONS[severity]}
    </span>
  );
}
