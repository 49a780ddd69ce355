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
import { useRecordExport, useRequestExport } from "../files/queries";

/** "Export record": asks the clinical service for an export of the patient's whole record,
 * shows its progress while a task builds it, and downloads it when ready. */
export function ExportRecordButton({ patientId }: { patientId: string }) {
  const { t } = useTranslation("files");
  const [open, setOpen] = useState(false);
  const request = useRequestExport(patientId);
  const exportId = request.data?.id ?? null;
  const job = useRecordExport(exportId);

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
            {job.data && (
              <FileJobProgress
                job={job.data}
                downloadPath={`/api/v1/record-exports/${job.data.id}/file`}
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
