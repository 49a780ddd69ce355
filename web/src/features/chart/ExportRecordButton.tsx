import FileDownloadIcon from "@mui/icons-material/FileDownload";
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
} from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Loading } from "../../layout/Loading";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { FileJobProgress } from "../files/FileJobProgress";
import { EarlierFiles } from "../files/EarlierFiles";
import {
  useRecordExport,
  useRecordExports,
  useRequestExport,
  type RecordExport,
} from "../files/queries";

const exportFile = (job: RecordExport) => `/api/v1/record-exports/${job.id}/file`;

/** "Export record": asks the clinical service for an export of the patient's whole record,
 * shows its progress while a task builds it, and downloads it when ready; the exports asked
 * for earlier are listed below it, each downloadable until it expires. */
export function ExportRecordButton({ patientId }: { patientId: string }) {
  const { t } = useTranslation("files");
  const [open, setOpen] = useState(false);
  const request = useRequestExport(patientId);
  const exportId = request.data?.id ?? null;
  const job = useRecordExport(exportId);
  const earlier = useRecordExports(patientId, open);

  const start = () => {
    setOpen(true);
    request.mutate();
  };
  const close = () => {
    setOpen(false);
    request.reset();
  };

  return (
    <>
      <Button variant="outlined" startIcon={<FileDownloadIcon />} onClick={start}>
        {t("export.action")}
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>{t("export.title")}</DialogTitle>
        <DialogContent>
          <Stack sx={{ gap: 2 }}>
            <DialogContentText>{t("export.description")}</DialogContentText>
            {request.isError && (
              <ProblemAlert error={request.error} title={t("export.requestFailed")} />
            )}
            {job.isError && <ProblemAlert error={job.error} />}
            {request.isPending && <Loading />}
            {job.data && <FileJobProgress job={job.data} downloadPath={exportFile(job.data)} />}
            {earlier.isError && <ProblemAlert error={earlier.error} />}
            {earlier.data && (
              <EarlierFiles
                title={t("earlier.exports")}
                jobs={earlier.data.filter((item) => item.id !== exportId)}
                downloadPath={exportFile}
              />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{t("export.close")}</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
