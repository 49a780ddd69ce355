import {
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
import { useAddAllergy } from "./queries";

const CLASSES: Schemas["AllergyClass"][] = ["drug", "food", "environment", "biologic"];
const SEVERITIES: Schemas["Severity"][] = ["mild", "moderate", "severe"];
const CRITICALITIES: Schemas["Criticality"][] = ["high", "low", "unable-to-assess"];

/** An allergy or intolerance: substance, class, reaction, severity and criticality. */
export function AddAllergyDialog({
  open,
  onClose,
  patientId,
}: {
  open: boolean;
  onClose: () => void;
  patientId: string;
}) {
  const { t } = useTranslation("chart");
  const { t: tc } = useTranslation("common");
  const [substance, setSubstance] = useState("");
  const [allergyClass, setAllergyClass] = useState<Schemas["AllergyClass"]>("drug");
  const [reaction, setReaction] = useState("");
  const [severity, setSeverity] = useState<Schemas["Severity"] | "">("");
  const [criticality, setCriticality] = useState<Schemas["Criticality"]>("unable-to-assess");
  const add = useAddAllergy(patientId);
  const fields = isProblem(add.error) ? add.error.fieldErrors : {};
  const known = ["substance", "allergy_class", "reaction", "severity", "criticality"];
  const fieldless = add.isError && !known.some((field) => field in fields);

  const close = () => {
    setSubstance("");
    setAllergyClass("drug");
    setReaction("");
    setSeverity("");
    setCriticality("unable-to-assess");
    add.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      {
        patient_id: patientId,
        substance: substance.trim(),
        allergy_class: allergyClass,
        reaction: reaction.trim() || null,
        severity: severity || null,
        criticality,
      },
      { onSuccess: close },
    );
  };

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{t("allergies.title")}</DialogTitle>
        <DialogContent>
          <Box sx={{ display: "grid", gap: 2, pt: 1 }}>
            {fieldless && <ProblemAlert error={add.error} />}
            <TextField
              label={t("allergies.substance")}
              value={substance}
              onChange={(event) => setSubstance(event.target.value)}
              required
              autoFocus
              error={Boolean(fields.substance)}
              helperText={fields.substance}
            />
            <TextField
              select
              label={t("allergies.class")}
              value={allergyClass}
              onChange={(event) => setAllergyClass(event.target.value as Schemas["AllergyClass"])}
              error={Boolean(fields.allergy_class)}
              helperText={fields.allergy_class}
            >
              {CLASSES.map((value) => (
                <MenuItem key={value} value={value}>
                  {t(`allergies.classes.${value}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={t("allergies.reaction")}
              value={reaction}
              onChange={(event) => setReaction(event.target.value)}
              error={Boolean(fields.reaction)}
              helperText={fields.reaction}
            />
            <TextField
              select
              label={t("allergies.severity")}
              value={severity}
              onChange={(event) => setSeverity(event.target.value as Schemas["Severity"] | "")}
              error={Boolean(fields.severity)}
              helperText={fields.severity}
            >
              <MenuItem value="">{t("allergies.notStated")}</MenuItem>
              {SEVERITIES.map((value) => (
                <MenuItem key={value} value={value}>
                  {t(`allergies.severities.${value}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label={t("allergies.criticality")}
              value={criticality}
              onChange={(event) => setCriticality(event.target.value as Schemas["Criticality"])}
              error={Boolean(fields.criticality)}
              helperText={fields.criticality}
            >
              {CRITICALITIES.map((value) => (
                <MenuItem key={value} value={value}>
                  {t(`allergies.criticalities.${value}`)}
                </MenuItem>
              ))}
            </TextField>
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{tc("cancel")}</Button>
          <Button
            type="submit"
            variant="contained"
            loading={add.isPending}
            disabled={!substance.trim()}
          >
            {tc("save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
