import { DialogContentText } from "@mui/material";
import { useTranslation } from "react-i18next";

import { FormDialog } from "../../forms/FormDialog";
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
  const discharge = useDischarge(encounter.patient_id);
  const bed = useBed(encounter.bed_id);
  const close = () => {
    discharge.reset();
    onClose();
  };
  return (
    <FormDialog
      open={open}
      title={t("discharge.title", { name: patientName })}
      onClose={close}
      onSubmit={() =>
        discharge.mutate(encounter.id, {
          onSuccess: () => {
            onDischarged();
            close();
          },
        })
      }
      pending={discharge.isPending}
      submitLabel={t("discharge.submit")}
      submitColor="warning"
      maxWidth="xs"
      intro={
        <DialogContentText>
          {bed.data ? t("discharge.bodyBed", { bed: bed.data.label }) : t("discharge.body")}
        </DialogContentText>
      }
      problem={discharge.error}
    />
  );
}
