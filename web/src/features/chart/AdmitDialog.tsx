import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  TextField,
} from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import { BedPicker } from "./BedPicker";
import { LoadingRows } from "./LoadingRows";
import { ProblemAlert } from "./ProblemAlert";
import { useWards, type Bed } from "../facilities/queries";
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
  const { t: tc } = useTranslation("common");
  const [wardId, setWardId] = useState("");
  const [bedId, setBedId] = useState("");
  const [reason, setReason] = useState("");
  const [bedTaken, setBedTaken] = useState(false);
  const wards = useWards(open ? facilityId : null);
  const beds = useAvailableBeds(facilityId, wardId, open);
  const admit = useAdmit(patientId);
  const fields = isProblem(admit.error) ? admit.error.fieldErrors : {};

  const close = () => {
    setWardId("");
    setBedId("");
    setReason("");
    setBedTaken(false);
    admit.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
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
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{t("admit.title", { name: patientName })}</DialogTitle>
        <DialogContent>
          <Box sx={{ display: "grid", gap: 2 }}>
            <DialogContentText>{t("admit.intro")}</DialogContentText>
            {bedTaken ? (
              <Alert severity="warning" role="alert">
                {t("admit.bedTaken")}
                {isProblem(admit.error) && ` (${admit.error.message})`}
              </Alert>
            ) : (
              admit.isError && !fields.reason && <ProblemAlert error={admit.error} />
            )}
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
              <LoadingRows />
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
            <TextField
              label={t("admit.reason")}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              error={Boolean(fields.reason)}
              helperText={fields.reason}
            />
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{tc("cancel")}</Button>
          <Button type="submit" variant="contained" loading={admit.isPending} disabled={!bedId}>
            {t("admit.submit")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
