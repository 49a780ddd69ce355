import { List, ListItem, Stack, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { FileJobProgress } from "./FileJobProgress";
import type { FileJob } from "./queries";

/** Files asked for earlier, newest first: when each was asked for (and what it covers), and
 * where it is (being built, ready to download until its expiry, failed, deleted). */
export function EarlierFiles<Job extends FileJob>({
  title,
  jobs,
  downloadPath,
  describe,
}: {
  title: string;
  jobs: Job[];
  downloadPath: (job: Job) => string;
  /** What the file covers, beside when it was asked for (a report's period). */
  describe?: (job: Job) => string;
}) {
  const { t } = useTranslation("files");
  const { language } = useLanguage();
  return (
    <Stack sx={{ gap: 1 }}>
      <Typography variant="subtitle1" component="h2">
        {title}
      </Typography>
      {jobs.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {t("earlier.none")}
        </Typography>
      ) : (
        <List aria-label={title} disablePadding>
          {jobs.map((job) => (
            <ListItem key={job.id} divider disableGutters sx={{ display: "block", py: 1.5 }}>
              <Typography variant="body2" sx={{ fontWeight: 500, mb: 1 }}>
                {t("earlier.asked", { at: formatDateTime(job.created_at, language) })}
                {describe && ` · ${describe(job)}`}
              </Typography>
              <FileJobProgress job={job} downloadPath={downloadPath(job)} />
            </ListItem>
          ))}
        </List>
      )}
    </Stack>
  );
}
