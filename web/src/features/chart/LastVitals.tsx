import { Box, Stack, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { FlagLabel } from "./FlagLabel";
import { useVitalFormat } from "./useVitalFormat";
import { flagOf, VITAL_NAMES, type VitalSigns } from "./vitals";

/** The latest set of vital signs in one line, out-of-range values flagged. */
export function LastVitals({ reading }: { reading: VitalSigns }) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const { withUnit } = useVitalFormat();
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        {t("header.lastVitals")} · {formatDateTime(reading.recorded_at, language)}
      </Typography>
      <Stack direction="row" sx={{ gap: 2, flexWrap: "wrap", rowGap: 0.5 }}>
        {VITAL_NAMES.filter((name) => reading.values[name] !== undefined).map((name) => {
          const flag = flagOf(reading, name);
          return (
            <Typography
              key={name}
              variant="body2"
              component="span"
              sx={{
                display: "inline-flex",
                alignItems: "center",
                gap: 0.5,
                color: flag === "critical" ? "error.main" : undefined,
                fontWeight: flag === "critical" ? 700 : undefined,
              }}
            >
              {t(`vitals.names.${name}`)}:{" "}
              <span dir="ltr">{withUnit(name, reading.values[name] ?? 0)}</span>
              <FlagLabel flag={flag} />
            </Typography>
          );
        })}
      </Stack>
    </Box>
  );
}
