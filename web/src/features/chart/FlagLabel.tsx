import ErrorIcon from "@mui/icons-material/Error";
import WarningAmberIcon from "@mui/icons-material/WarningAmber";
import { Box } from "@mui/material";
import { useTranslation } from "react-i18next";

import type { VitalFlag } from "./vitals";

/** An out-of-range flag as an icon and a word, never colour alone: red for critical, amber
 * for abnormal; nothing for normal. */
export function FlagLabel({ flag }: { flag: VitalFlag | undefined }) {
  const { t } = useTranslation("chart");
  if (flag !== "critical" && flag !== "abnormal") return null;
  const critical = flag === "critical";
  const Icon = critical ? ErrorIcon : WarningAmberIcon;
  return (
    <Box
      component="span"
      sx={{
        display: "inline-flex",
        alignItems: "center",
        gap: 0.25,
        color: critical ? "error.main" : "warning.dark",
        fontSize: "0.75rem",
        fontWeight: critical ? 700 : 500,
        whiteSpace: "nowrap",
      }}
    >
      <Icon sx={{ fontSize: "1rem" }} aria-hidden />
      {t(`flags.${flag}`)}
    </Box>
  );
}
