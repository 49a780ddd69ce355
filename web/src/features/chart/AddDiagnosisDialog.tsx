import { Alert, MenuItem } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Schemas } from "../../api/client";
import { fieldErrorsOf, formLevelError } from "../../forms/fieldErrors";
import { FormDialog } from "../../forms/FormDialog";
import { TextInput } from "../../forms/TextInput";
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
  const [code, setCode] = useState("");
  const [clinical, setClinical] = useState<Schemas["ClinicalStatus"]>("active");
  const [verification, setVerification] = useState<Schemas["VerificationStatus"]>("confirmed");
  const [onset, setOnset] = useState("");
  const [note, setNote] = useState("");
  const add = useAddDiagnosis(patientId);
  const fields = fieldErrorsOf(add.error);
  const problem = formLevelError(add.error, fields, [
    "code",
    "clinical_status",
    "verification_status",
    "onset_date",
    "note",
  ]);

  const close = () => {
    setCode("");
    setClinical("active");
    setVerification("confirmed");
    setOnset("");
    setNote("");
    add.reset();
    onClose();
  };

  const submit = () =>
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

  return (
    <FormDialog
      open={open}
      title={t("diagnoses.title")}
      onClose={close}
      onSubmit={submit}
      pending={add.isPending}
      submitDisabled={!code.trim()}
      intro={
        encounterId && (
          <Alert severity="info" role="status">
            {t("diagnoses.linkedToEncounter")}
          </Alert>
        )
      }
      problem={problem}
    >
      <TextInput
        label={t("diagnoses.code")}
        value={code}
        onChange={setCode}
        required
        autoFocus
        error={fields.code}
        hint={t("diagnoses.codeHelp")}
        slotProps={{ htmlInput: { dir: "ltr", maxLength: 10, name: "code" } }}
      />
      <TextInput
        select
        label={t("diagnoses.clinicalStatus")}
        value={clinical}
        onChange={(value) => setClinical(value as Schemas["ClinicalStatus"])}
        error={fields.clinical_status}
      >
        {CLINICAL.map((status) => (
          <MenuItem key={status} value={status}>
            {t(`diagnoses.clinical.${status}`)}
          </MenuItem>
        ))}
      </TextInput>
      <TextInput
        select
        label={t("diagnoses.verificationStatus")}
        value={verification}
        onChange={(value) => setVerification(value as Schemas["VerificationStatus"])}
        error={fields.verification_status}
      >
        {VERIFICATION.map((status) => (
          <MenuItem key={status} value={status}>
            {t(`diagnoses.verification.${status}`)}
          </MenuItem>
        ))}
      </TextInput>
      <TextInput
        type="date"
        label={t("diagnoses.onsetDate")}
        value={onset}
        onChange={setOnset}
        error={fields.onset_date}
        slotProps={{ inputLabel: { shrink: true } }}
      />
      <TextInput
        label={t("diagnoses.note")}
        value={note}
        onChange={setNote}
        multiline
        minRows={2}
        error={fields.note}
      />
    </FormDialog>
  );
}
