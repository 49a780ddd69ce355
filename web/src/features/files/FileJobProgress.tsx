import DownloadIcon from "@mui/icons-material/Download";
import { Alert, Box, Button, LinearProgress, Stack, Typography } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { downloadFile, inProgress, type FileJob } from "./queries";

/** Where a requested file is: a progress bar while its task builds it, then a download button
 * (until it expires), or the reason it failed. */
export function FileJobProgress({ job, downloadPath }: { job: FileJob; downloadPath: string }) {
  const { t } = useTranslation("files");
  const { language } = useLanguage();
  const [downloadError, setDownloadError] = useState<unknown>(null);

  if (inProgress(job.status)) {
    return (
      <Box role="status" aria-live="polite">
        <Typography variant="body2">{t(`status.${job.status}`)}</Typography>
        <LinearProgress aria-label={t(`status.${job.status}`)} sx={{ mt: 1 }} />
      </Box>
    );
  }
  if (job.status === "failed") {
    return (
      <Alert severity="error" role="alert">
        {t("status.failed", { error: job.error ?? "" })}
      </Alert>
    );
  }
  if (job.status === "expired") {
    return (
      <Alert severity="info" role="status">
        {t("status.expired")}
      </Alert>
    );
  }
  const download = () => {
    setDownloadError(null);
    downloadFile(downloadPath, job.filename ?? "download").catch(setDownloadError);
  };
  return (
    <Stack sx={{ gap: 1 }} role="status">
      <Typography variant="body2">
        {t("status.ready", {
          until: job.expires_at ? formatDateTime(job.expires_at, language) : "—",
        })}
      </Typography>
      <Box>
        <Button variant="contained" startIcon={<DownloadIcon />} onClick={download}>
          {t("download", { name: job.filename ?? "" })}
        </Button>
      </Box>
      {downloadError !== null && <ProblemAlert error={downloadError} title={t("downloadFailed")} />}
    </Stack>
  );
}
