import { MenuItem } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Schemas } from "../../api/client";
import { fieldErrorsOf, formLevelError } from "../../forms/fieldErrors";
import { FormDialog } from "../../forms/FormDialog";
import { TextInput } from "../../forms/TextInput";
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
  const [substance, setSubstance] = useState("");
  const [allergyClass, setAllergyClass] = useState<Schemas["AllergyClass"]>("drug");
  const [reaction, setReaction] = useState("");
  const [severity, setSeverity] = useState<Schemas["Severity"] | "">("");
  const [criticality, setCriticality] = useState<Schemas["Criticality"]>("unable-to-assess");
  const add = useAddAllergy(patientId);
  const fields = fieldErrorsOf(add.error);
  const problem = formLevelError(add.error, fields, [
    "substance",
    "allergy_class",
    "reaction",
    "severity",
    "criticality",
  ]);

  const close = () => {
    setSubstance("");
    setAllergyClass("drug");
    setReaction("");
    setSeverity("");
    setCriticality("unable-to-assess");
    add.reset();
    onClose();
  };

  const submit = () =>
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

  return (
    <FormDialog
      open={open}
      title={t("allergies.title")}
      onClose={close}
      onSubmit={submit}
      pending={add.isPending}
      submitDisabled={!substance.trim()}
      problem={problem}
    >
      <TextInput
        label={t("allergies.substance")}
        value={substance}
        onChange={setSubstance}
        required
        autoFocus
        error={fields.substance}
      />
      <TextInput
        select
        label={t("allergies.class")}
        value={allergyClass}
        onChange={(value) => setAllergyClass(value as Schemas["AllergyClass"])}
        error={fields.allergy_class}
      >
        {CLASSES.map((value) => (
          <MenuItem key={value} value={value}>
            {t(`allergies.classes.${value}`)}
          </MenuItem>
        ))}
      </TextInput>
      <TextInput
        label={t("allergies.reaction")}
        value={reaction}
        onChange={setReaction}
        error={fields.reaction}
      />
      <TextInput
        select
        label={t("allergies.severity")}
        value={severity}
        onChange={(value) => setSeverity(value as Schemas["Severity"] | "")}
        error={fields.severity}
      >
        <MenuItem value="">{t("allergies.notStated")}</MenuItem>
        {SEVERITIES.map((value) => (
          <MenuItem key={value} value={value}>
            {t(`allergies.severities.${value}`)}
          </MenuItem>
        ))}
      </TextInput>
      <TextInput
        select
        label={t("allergies.criticality")}
        value={criticality}
        onChange={(value) => setCriticality(value as Schemas["Criticality"])}
        error={fields.criticality}
      >
        {CRITICALITIES.map((value) => (
          <MenuItem key={value} value={value}>
            {t(`allergies.criticalities.${value}`)}
          </MenuItem>
        ))}
      </TextInput>
    </FormDialog>
  );
}
