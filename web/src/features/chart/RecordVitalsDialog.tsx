import { Alert, Box, InputAdornment } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Schemas } from "../../api/client";
import { fieldErrorsOf } from "../../forms/fieldErrors";
import { FormDialog } from "../../forms/FormDialog";
import { TextInput } from "../../forms/TextInput";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { useRecordVitals } from "./queries";
import { parseDecimal, VITAL_NAMES, type VitalName, type VitalSigns } from "./vitals";

type Inputs = Record<VitalName, string>;

const EMPTY: Inputs = Object.fromEntries(VITAL_NAMES.map((name) => [name, ""])) as Inputs;

/** A set of vital signs typed in by hand, against the open encounter when there is one. */
export function RecordVitalsDialog({
  open,
  onClose,
  onSaved,
  patientId,
  encounterId,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (reading: VitalSigns) => void;
  patientId: string;
  encounterId: string | null;
}) {
  const { t } = useTranslation("chart");
  const [inputs, setInputs] = useState<Inputs>(EMPTY);
  const [localErrors, setLocalErrors] = useState<Partial<Record<VitalName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const record = useRecordVitals(patientId);
  const serverErrors = fieldErrorsOf(record.error);
  const otherServerErrors = Object.entries(serverErrors)
    .filter(([field]) => !(VITAL_NAMES as readonly string[]).includes(field))
    .map(([, message]) => message);

  const close = () => {
    setInputs(EMPTY);
    setLocalErrors({});
    setFormError(null);
    record.reset();
    onClose();
  };

  const submit = () => {
    const errors: Partial<Record<VitalName, string>> = {};
    const body: Schemas["VitalSignsCreate"] = { patient_id: patientId, encounter_id: encounterId };
    for (const name of VITAL_NAMES) {
      const value = parseDecimal(inputs[name]);
      if (value === "invalid") errors[name] = t("vitals.invalidNumber");
      else if (value !== null) body[name] = value;
    }
    setLocalErrors(errors);
    const entered = VITAL_NAMES.some((name) => body[name] !== undefined);
    setFormError(Object.keys(errors).length === 0 && !entered ? t("vitals.needOne") : null);
    if (Object.keys(errors).length > 0 || !entered) return;
    record.mutate(body, {
      onSuccess: (reading) => {
        onSaved(reading);
        close();
      },
    });
  };

  return (
    <FormDialog
      open={open}
      title={t("vitals.title")}
      onClose={close}
      onSubmit={submit}
      pending={record.isPending}
      intro={
        <>
          <Alert severity="info" role="status">
            {encounterId ? t("vitals.againstEncounter") : t("vitals.noEncounter")}
          </Alert>
          {formError && (
            <Alert severity="error" role="alert">
              {formError}
            </Alert>
          )}
          {record.isError && (
            // Every failure is said, and the server's messages for fields not on the form.
            <Box>
              <ProblemAlert error={record.error} />
              {otherServerErrors.map((message) => (
                <Alert key={message} severity="error" sx={{ mt: 1 }}>
                  {message}
                </Alert>
              ))}
            </Box>
          )}
        </>
      }
    >
      <Box sx={{ display: "grid", gap: 2, gridTemplateColumns: { xs: "1fr", sm: "1fr 1fr" } }}>
        {VITAL_NAMES.map((name) => (
          <TextInput
            key={name}
            label={t(`vitals.names.${name}`)}
            value={inputs[name]}
            onChange={(value) => setInputs({ ...inputs, [name]: value })}
            error={localErrors[name] ?? serverErrors[name]}
            slotProps={{
              htmlInput: { inputMode: "decimal", dir: "ltr", name },
              input: {
                endAdornment: (
                  <InputAdornment position="end">{t(`vitals.units.${name}`)}</InputAdornment>
                ),
              },
            }}
          />
        ))}
      </Box>
    </FormDialog>
  );
}
