import { Alert, Box, Button, CircularProgress, Stack, Typography } from "@mui/material";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";

import { isProblem } from "../../api/problem";
import { ContactSection } from "./ContactSection";
import { DuplicatePatientDialog } from "./DuplicatePatientDialog";
import { duplicateWarning, type DuplicateWarning } from "./duplicates";
import { EmergencyContactSection } from "./EmergencyContactSection";
import { FormProblem } from "./FormProblem";
import { IdentitySection } from "./IdentitySection";
import { useMyFacilities, useRegisterPatient, type PatientCreate } from "./queries";
import { toPayload } from "./registrationForm";
import { RequestFailedAlert } from "./RequestFailedAlert";
import { useRegistrationForm } from "./useRegistrationForm";

/** The registration form; a likely duplicate is shown before anyone is registered twice. */
export function RegisterPatientPage() {
  const { t } = useTranslation("patients");
  const navigate = useNavigate();
  const facilities = useMyFacilities();
  const form = useRegistrationForm();
  const register = useRegisterPatient();
  const [warning, setWarning] = useState<DuplicateWarning | null>(null);
  const [sent, setSent] = useState<PatientCreate | null>(null);
  const [formProblem, setFormProblem] = useState<{ error: unknown; others: string[] } | null>(null);
  // A failure of the dialog's own choice (linking, confirming); the 409 itself opened it.
  const [dialogError, setDialogError] = useState<unknown>(null);

  // One facility: nothing to choose.
  const only = facilities.data?.length === 1 ? facilities.data[0] : undefined;
  useEffect(() => {
    if (only && form.values.facility_id === "") form.setValue("facility_id", only.id);
    // setValue changes every render; the facility is chosen once.
  }, [only, form.values.facility_id]);

  const send = (body: PatientCreate) => {
    setDialogError(null);
    register.mutate(body, {
      onSuccess: (patient) => navigate(`/patients/${patient.id}`),
      onError: (error) => {
        const duplicate = isProblem(error) ? duplicateWarning(error) : null;
        if (duplicate) return setWarning(duplicate);
        if (body.confirm_new || body.link_to_patient_id) return setDialogError(error);
        if (!isProblem(error)) return setFormProblem({ error, others: [] });
        if (error.status === 422) {
          const others = form.showServerErrors(error.fieldErrors);
          return setFormProblem({ error, others });
        }
        setFormProblem({ error, others: [] });
      },
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormProblem(null);
    if (!form.check()) return setFormProblem({ error: null, others: [] });
    const body = toPayload(form.values);
    setSent(body);
    send(body);
  };

  const closeDialog = () => {
    setWarning(null);
    setDialogError(null);
  };

  if (facilities.isPending) return <CircularProgress aria-label={t("loading", { ns: "common" })} />;
  if (facilities.isError) return <RequestFailedAlert error={facilities.error} />;
  if (facilities.data.length === 0)
    return <Alert severity="warning">{t("register.noFacility")}</Alert>;

  const dialogOpen = warning !== null;
  return (
    <Box component="form" noValidate onSubmit={submit}>
      <Stack spacing={3} sx={{ maxWidth: 960 }}>
        <Typography variant="h4" component="h1">
          {t("register.title")}
        </Typography>
        {formProblem && <FormProblem error={formProblem.error} others={formProblem.others} />}
        <IdentitySection bind={form.bind} facilities={facilities.data} />
        <ContactSection bind={form.bind} />
        <EmergencyContactSection bind={form.bind} />
        <Stack direction="row" spacing={2}>
          <Button type="submit" variant="contained" size="large" disabled={register.isPending}>
            {register.isPending && !dialogOpen ? t("register.submitting") : t("register.submit")}
          </Button>
          <Button component={Link} to="/patients" size="large">
            {t("common:cancel")}
          </Button>
        </Stack>
      </Stack>
      <DuplicatePatientDialog
        warning={warning}
        pending={register.isPending}
        error={dialogError}
        onSamePerson={(id) => sent && send({ ...sent, link_to_patient_id: id })}
        onRegisterNew={() => sent && send({ ...sent, confirm_new: true })}
        onClose={closeDialog}
      />
    </Box>
  );
}
