import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
} from "@mui/material";
import { useTranslation } from "react-i18next";

import { ProblemAlert } from "./ProblemAlert";
import { useBed, useDischarge, type Encounter } from "./queries";

/** Confirms finishing the inpatient encounter; the clinical service frees the bed. */
export function DischargeDialog({
  open,
  onClose,
  onDischarged,
  encounter,
  patientName,
}: {
  open: boolean;
  onClose: () => void;
  onDischarged: () => void;
  encounter: Encounter;
  patientName: string;
}) {
  const { t } = useTranslation("chart");
  const { t: tc } = useTranslation("common");
  const discharge = useDischarge(encounter.patient_id);
  const bed = useBed(encounter.bed_id);
  const close = () => {
    discharge.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="xs">
      <DialogTitle>{t("discharge.title", { name: patientName })}</DialogTitle>
      <DialogContent>
        <Stack sx={{ gap: 2 }}>
          <DialogContentText>
            {bed.data ? t("discharge.bodyBed", { bed: bed.data.label }) : t("discharge.body")}
          </DialogContentText>
          {discharge.isError && <ProblemAlert error={discharge.error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{tc("cancel")}</Button>
        <Button
          variant="contained"
          color="warning"
          loading={discharge.isPending}
          onClick={() =>
            discharge.mutate(encounter.id, {
              onSuccess: () => {
                onDischarged();
                close();
              },
            })
          }
        >
          {t("discharge.submit")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
