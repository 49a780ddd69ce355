import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Schemas } from "../../api/client";
import { isProblem } from "../../api/problem";
import { ProblemAlert } from "./ProblemAlert";
import { useAddDiagnosis } from "./queries";

const CLINICAL: Schemas["ClinicalStatus"][] = [
  "active",
  "recurrence",
  "relapse",
  "inactive",
  "remission",
  "resolved",
];
const VERIFICATION: Schemas["VerificationStatus"][] = [
  "confirmed",
  "provisional",
  "differential",
  "unconfirmed",
  "refuted",
  "entered-in-error",
];

/** A diagnosis by ICD-10-CM code; the server checks the code and names the field if it is not
 * one, shown beside the input. */
export function AddDiagnosisDialog({
  open,
  onClose,
  patientId,
  encounterId,
}: {
  open: boolean;
  onClose: () => void;
  patientId: string;
  encounterId: string | null;
}) {
  const { t } = useTranslation("chart");
  const { t: tc } = useTranslation("common");
  const [code, setCode] = useState("");
  const [clinical, setClinical] = useState<Schemas["ClinicalStatus"]>("active");
  const [verification, setVerification] = useState<Schemas["VerificationStatus"]>("confirmed");
  const [onset, setOnset] = useState("");
  const [note, setNote] = useState("");
  const add = useAddDiagnosis(patientId);
  const fields = isProblem(add.error) ? add.error.fieldErrors : {};
  const known = ["code", "clinical_status", "verification_status", "onset_date", "note"];
  const fieldless = add.isError && !known.some((field) => field in fields);

  const close = () => {
    setCode("");
    setClinical("active");
    setVerification("confirmed");
    setOnset("");
    setNote("");
    add.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      {
        patient_id: patientId,
        encounter_id: encounterId,
        code: code.trim(),
        clinical_status: clinical,
        verification_status: verification,
        onset_date: onset || null,
        note: note.trim() || null,
      },
      { onSuccess: close },
    );
  };

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{t("diagnoses.title")}</DialogTitle>
        <DialogContent>
          <Box sx={{ display: "grid", gap: 2, pt: 1 }}>
            {encounterId && (
              <Alert severity="info" role="status">
                {t("diagnoses.linkedToEncounter")}
              </Alert>
            )}
            {fieldless && <ProblemAlert error={add.error} />}
            <TextField
              label={t("diagnoses.code")}
              value={code}
              onChange={(event) => setCode(event.target.value)}
              required
              autoFocus
              error={Boolean(fields.code)}
              helperText={fields.code ?? t("diagnoses.codeHelp")}
              slotProps={{ htmlInput: { dir: "ltr", maxLength: 10, name: "code" } }}
            />
            <TextField
              select
              label={t("diagnoses.clinicalStatus")}
              value={clinical}
              onChange={(event) => setClinical(event.target.value as Schemas["ClinicalStatus"])}
              error={Boolean(fields.clinical_status)}
              helperText={fields.clinical_status}
            >
              {CLINICAL.map((status) => (
                <MenuItem key={status} value={status}>
                  {t(`diagnoses.clinical.${status}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label={t("diagnoses.verificationStatus")}
              value={verification}
              onChange={(event) =>
                setVerification(event.target.value as Schemas["VerificationStatus"])
              }
              error={Boolean(fields.verification_status)}
              helperText={fields.verification_status}
            >
              {VERIFICATION.map((status) => (
                <MenuItem key={status} value={status}>
                  {t(`diagnoses.verification.${status}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              type="date"
              label={t("diagnoses.onsetDate")}
              value={onset}
              onChange={(event) => setOnset(event.target.value)}
              error={Boolean(fields.onset_date)}
              helperText={fields.onset_date}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              label={t("diagnoses.note")}
              value={note}
              onChange={(event) => setNote(event.target.value)}
              multiline
              minRows={2}
              error={Boolean(fields.note)}
              helperText={fields.note}
            />
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{tc("cancel")}</Button>
          <Button type="submit" variant="contained" loading={add.isPending} disabled={!code.trim()}>
            {tc("save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
