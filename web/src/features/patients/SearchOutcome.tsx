import { Alert, Box, LinearProgress, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { RequestFailedAlert } from "./RequestFailedAlert";
import type { SearchChoice } from "./searchQuery";

interface OutcomeProps {
  kind: SearchChoice["kind"];
  ready: boolean;
  loading: boolean;
  error: Error | null;
  total: number | undefined;
}

/** What the search says besides the table: a prompt, a hint, progress, an error, no results. */
export function SearchOutcome({ kind, ready, loading, error, total }: OutcomeProps) {
  const { t } = useTranslation("patients");
  const { language } = useLanguage();
  if (kind === "incomplete") return <Alert severity="info">{t("search.incomplete")}</Alert>;
  if (kind === "tooShort") return <Alert severity="info">{t("search.tooShort")}</Alert>;
  if (!ready) return <Typography color="text.secondary">{t("search.prompt")}</Typography>;
  if (error) return <RequestFailedAlert error={error} />;
  return (
    <Box sx={{ minHeight: 24 }}>
      {loading && <LinearProgress aria-label={t("loading", { ns: "common" })} />}
      {!loading && total === 0 && <Alert severity="info">{t("search.empty")}</Alert>}
      {!loading && total !== undefined && total > 0 && (
        <Typography color="text.secondary" role="status">
          {t("search.resultsCount", { total: formatNumber(total, language) })}
        </Typography>
      )}
    </Box>
  );
}
