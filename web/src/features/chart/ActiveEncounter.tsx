import HotelIcon from "@mui/icons-material/Hotel";
import { Stack, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { BedLabel } from "./BedLabel";
import { EncounterStatusChip } from "./EncounterStatusChip";
import type { Encounter } from "./queries";

/** The open encounter: class, status, since when, and the bed it holds. */
export function ActiveEncounter({ encounter }: { encounter: Encounter | null | undefined }) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  if (!encounter) {
    return (
      <Typography variant="body2" color="text.secondary" data-testid="active-encounter">
        {t("header.noActiveEncounter")}
      </Typography>
    );
  }
  return (
    <Stack
      direction="row"
      sx={{ alignItems: "center", gap: 1, flexWrap: "wrap" }}
      data-testid="active-encounter"
    >
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {t(`encounters.classes.${encounter.encounter_class}`)}
      </Typography>
      <EncounterStatusChip status={encounter.status} />
      {encounter.started_at && (
        <Typography variant="body2" color="text.secondary">
          {t("header.since", { date: formatDateTime(encounter.started_at, language) })}
        </Typography>
      )}
      {encounter.bed_id && (
        <Typography
          variant="body2"
          sx={{ display: "inline-flex", alignItems: "center", gap: 0.5, fontWeight: 600 }}
        >
          <HotelIcon fontSize="small" aria-hidden />
          <BedLabel bedId={encounter.bed_id} />
        </Typography>
      )}
    </Stack>
  );
}
