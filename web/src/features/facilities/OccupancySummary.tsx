import { Chip, LinearProgress, Stack, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { useLanguage } from "../../i18n/LanguageProvider";
import { formatNumber } from "../../i18n/format";
import { BED_STATUSES, STATUS_LOOK } from "./bedStatus";
import type { WardOccupancy } from "./queries";

/** A ward's figures: occupied of total as a bar, and the count in each status. */
export function OccupancySummary({ occupancy, ward }: { occupancy: WardOccupancy; ward: string }) {
  const { t } = useTranslation("facilities");
  const { language } = useLanguage();
  const share = occupancy.total > 0 ? (occupancy.occupied / occupancy.total) * 100 : 0;
  return (
    <Stack spacing={1} aria-label={t("summary", { ward })} role="group">
      <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
        <LinearProgress
          variant="determinate"
          value={share}
          sx={{ flexGrow: 1, height: 8, borderRadius: 4 }}
          aria-label={t("summary", { ward })}
        />
        <Typography variant="body2">
          {t("occupancy", {
            occupied: formatNumber(occupancy.occupied, language),
            total: formatNumber(occupancy.total, language),
          })}
        </Typography>
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
        {BED_STATUSES.map((status) => (
          <Chip
            key={status}
            size="small"
            variant="outlined"
            icon={STATUS_LOOK[status].icon}
            label={`${t(`status.${status}`)}: ${formatNumber(occupancy[status], language)}`}
          />
        ))}
      </Stack>
    </Stack>
  );
}
