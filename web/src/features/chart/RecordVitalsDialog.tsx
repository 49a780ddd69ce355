import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  InputAdornment,
  TextField,
} from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Schemas } from "../../api/client";
import { isProblem } from "../../api/problem";
import { ProblemAlert } from "./ProblemAlert";
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
  const { t: tc } = useTranslation("common");
  const [inputs, setInputs] = useState<Inputs>(EMPTY);
  const [localErrors, setLocalErrors] = useState<Partial<Record<VitalName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const record = useRecordVitals(patientId);
  const serverErrors = isProblem(record.error) ? record.error.fieldErrors : {};
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
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
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{t("vitals.title")}</DialogTitle>
        <DialogContent>
          <Alert severity="info" role="status" sx={{ mb: 2 }}>
            {encounterId ? t("vitals.againstEncounter") : t("vitals.noEncounter")}
          </Alert>
          {formError && (
            <Alert severity="error" role="alert" sx={{ mb: 2 }}>
              {formError}
            </Alert>
          )}
          {record.isError && (
            <Box sx={{ mb: 2 }}>
              <ProblemAlert error={record.error} />
              {otherServerErrors.map((message) => (
                <Alert key={message} severity="error" sx={{ mt: 1 }}>
                  {message}
                </Alert>
              ))}
            </Box>
          )}
          <Box sx={{ display: "grid", gap: 2, gridTemplateColumns: { xs: "1fr", sm: "1fr 1fr" } }}>
            {VITAL_NAMES.map((name) => {
              const error = localErrors[name] ?? serverErrors[name];
              return (
                <TextField
                  key={name}
                  label={t(`vitals.names.${name}`)}
                  value={inputs[name]}
                  onChange={(event) => setInputs({ ...inputs, [name]: event.target.value })}
                  error={Boolean(error)}
                  helperText={error}
                  slotProps={{
                    htmlInput: { inputMode: "decimal", dir: "ltr", name },
                    input: {
                      endAdornment: (
                        <InputAdornment position="end">{t(`vitals.units.${name}`)}</InputAdornment>
                      ),
                    },
                  }}
                />
              );
            })}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{tc("cancel")}</Button>
          <Button type="submit" variant="contained" loading={record.isPending}>
            {tc("save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
