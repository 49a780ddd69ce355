import { Alert, DialogContentText, MenuItem, TextField } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import { fieldErrorsOf, formLevelError } from "../../forms/fieldErrors";
import { FormDialog } from "../../forms/FormDialog";
import { TextInput } from "../../forms/TextInput";
import { Loading } from "../../layout/Loading";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { useWards, type Bed } from "../facilities/queries";
import { BedPicker } from "./BedPicker";
import { useAdmit, useAvailableBeds } from "./queries";

/** Admission as an inpatient: a ward of the patient's facility, one of its available beds. A bed
 * taken meanwhile is said so, and the beds are fetched again. */
export function AdmitDialog({
  open,
  onClose,
  onAdmitted,
  patientId,
  patientName,
  facilityId,
}: {
  open: boolean;
  onClose: () => void;
  onAdmitted: (bed: Bed) => void;
  patientId: string;
  patientName: string;
  facilityId: string;
}) {
  const { t } = useTranslation("chart");
  const [wardId, setWardId] = useState("");
  const [bedId, setBedId] = useState("");
  const [reason, setReason] = useState("");
  const [bedTaken, setBedTaken] = useState(false);
  const wards = useWards(open ? facilityId : null);
  const beds = useAvailableBeds(facilityId, wardId, open);
  const admit = useAdmit(patientId);
  const fields = fieldErrorsOf(admit.error);

  const close = () => {
    setWardId("");
    setBedId("");
    setReason("");
    setBedTaken(false);
    admit.reset();
    onClose();
  };

  const submit = () => {
    const bed = beds.data?.find((b) => b.id === bedId);
    if (!bed) return;
    setBedTaken(false);
    admit.mutate(
      { bedId, reason: reason.trim() || null },
      {
        onSuccess: () => {
          onAdmitted(bed);
          close();
        },
        onError: (error) => {
          if (isProblem(error) && (error.status === 409 || "bed_id" in error.fieldErrors)) {
            setBedTaken(true);
            setBedId("");
            void beds.refetch();
          }
        },
      },
    );
  };

  return (
    <FormDialog
      open={open}
      title={t("admit.title", { name: patientName })}
      onClose={close}
      onSubmit={submit}
      pending={admit.isPending}
      submitLabel={t("admit.submit")}
      submitDisabled={!bedId}
      intro={
        <>
          <DialogContentText>{t("admit.intro")}</DialogContentText>
          {bedTaken && (
            <Alert severity="warning" role="alert">
              {t("admit.bedTaken")}
              {isProblem(admit.error) && ` (${admit.error.message})`}
            </Alert>
          )}
        </>
      }
      problem={bedTaken ? null : formLevelError(admit.error, fields, ["reason"])}
    >
      {wards.isError ? (
        <ProblemAlert error={wards.error} />
      ) : (
        <TextField
          select
          label={t("admit.ward")}
          value={wardId}
          onChange={(event) => {
            setWardId(event.target.value);
            setBedId("");
          }}
          disabled={wards.isPending}
          slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">{t("admit.allWards")}</MenuItem>
          {(wards.data?.items ?? []).map((ward) => (
            <MenuItem key={ward.id} value={ward.id}>
              {ward.name}
            </MenuItem>
          ))}
        </TextField>
      )}
      {beds.isPending ? (
        <Loading />
      ) : beds.isError ? (
        <ProblemAlert error={beds.error} />
      ) : (
        <BedPicker
          beds={beds.data}
          wards={wards.data?.items ?? []}
          value={bedId}
          onChange={setBedId}
        />
      )}
      <TextInput
        label={t("admit.reason")}
        value={reason}
        onChange={setReason}
        error={fields.reason}
      />
    </FormDialog>
  );
}
