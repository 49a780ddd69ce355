import HotelIcon from "@mui/icons-material/Hotel";
import LogoutIcon from "@mui/icons-material/Logout";
import { Alert, Box, Button, Paper, Stack, Tab, Tabs } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";

import { isProblem } from "../../api/problem";
import { useLanguage } from "../../i18n/LanguageProvider";
import { Loading } from "../../layout/Loading";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { displayName } from "../patients/names";
import { AdmitDialog } from "./AdmitDialog";
import { AllergiesSection } from "./AllergiesSection";
import { DiagnosesSection } from "./DiagnosesSection";
import { DischargeDialog } from "./DischargeDialog";
import { EncountersSection } from "./EncountersSection";
import { ExportRecordButton } from "./ExportRecordButton";
import { ImmunizationsSection } from "./ImmunizationsSection";
import { PartWarnings } from "./PartWarnings";
import { PatientHeader } from "./PatientHeader";
import { useChartPermissions } from "./permissions";
import { usePatientSummary } from "./queries";
import { useLiveVitals } from "./useLiveVitals";
import { VitalSignsSection } from "./VitalSignsSection";

const TABS = ["vitals", "encounters", "diagnoses", "allergies", "immunizations"] as const;
type TabKey = (typeof TABS)[number];

/** A patient's chart: the header from the orchestrator's summary, the clinical lists in tabs,
 * and admission, discharge, vital signs, diagnoses and allergies for the roles that may. */
export function PatientChartPage() {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const { patientId = "" } = useParams();
  const summary = usePatientSummary(patientId);
  useLiveVitals(patientId);
  const can = useChartPermissions();
  const [tab, setTab] = useState<TabKey>("vitals");
  const [admitting, setAdmitting] = useState(false);
  const [discharging, setDischarging] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  if (summary.isPending) return <Loading />;
  if (summary.isError) {
    const missing = isProblem(summary.error) && [403, 404, 422].includes(summary.error.status);
    return missing ? (
      <Alert severity="warning" role="alert">
        {t("notFound")}
      </Alert>
    ) : (
      <ProblemAlert error={summary.error} title={t("loadError")} />
    );
  }

  const { patient, active_encounter: active } = summary.data;
  const encountersKnown = summary.data.parts.encounters?.status !== "failed";
  const inpatient =
    active && active.encounter_class === "inpatient" && active.status === "in_progress"
      ? active
      : null;
  const name = displayName(patient, language);

  const mayAdmit = can.admit && encountersKnown;
  const admission = inpatient ? (
    <Button
      variant="contained"
      color="warning"
      startIcon={<LogoutIcon />}
      onClick={() => setDischarging(true)}
    >
      {t("discharge.action")}
    </Button>
  ) : (
    <Button variant="contained" startIcon={<HotelIcon />} onClick={() => setAdmitting(true)}>
      {t("admit.action")}
    </Button>
  );
  const actions = (can.exportRecord || mayAdmit) && (
    <>
      {can.exportRecord && <ExportRecordButton patientId={patientId} />}
      {mayAdmit && admission}
    </>
  );

  return (
    <Stack sx={{ gap: 2 }}>
      <PartWarnings parts={summary.data.parts} />
      {notice && (
        <Alert severity="success" role="status" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <PatientHeader summary={summary.data} actions={actions || undefined} />
      <Paper>
        <Tabs
          value={tab}
          onChange={(_, next: TabKey) => setTab(next)}
          variant="scrollable"
          allowScrollButtonsMobile
          aria-label={t("tabs.label")}
          sx={{ borderBottom: 1, borderColor: "divider" }}
        >
          {TABS.map((key) => (
            <Tab
              key={key}
              value={key}
              label={t(`tabs.${key}`)}
              id={`chart-tab-${key}`}
              aria-controls={`chart-panel-${key}`}
            />
          ))}
        </Tabs>
        <Box
          role="tabpanel"
          id={`chart-panel-${tab}`}
          aria-labelledby={`chart-tab-${tab}`}
          sx={{ p: { xs: 2, md: 3 } }}
        >
          {tab === "vitals" && (
            <VitalSignsSection
              patientId={patientId}
              encounterId={active?.id ?? null}
              canRecord={can.recordVitals}
            />
          )}
          {tab === "encounters" && <EncountersSection patientId={patientId} />}
          {tab === "diagnoses" && (
            <DiagnosesSection
              patientId={patientId}
              encounterId={active?.id ?? null}
              canAdd={can.diagnose}
            />
          )}
          {tab === "allergies" && (
            <AllergiesSection patientId={patientId} canAdd={can.addAllergy} />
          )}
          {tab === "immunizations" && <ImmunizationsSection patientId={patientId} />}
        </Box>
      </Paper>
      {can.admit && !inpatient && (
        <AdmitDialog
          open={admitting}
          onClose={() => setAdmitting(false)}
          onAdmitted={(bed) => setNotice(t("admit.done", { bed: bed.label }))}
          patientId={patientId}
          patientName={name}
          facilityId={patient.facility_id}
        />
      )}
      {can.admit && inpatient && (
        <DischargeDialog
          open={discharging}
          onClose={() => setDischarging(false)}
          onDischarged={() => setNotice(t("discharge.done"))}
          encounter={inpatient}
          patientName={name}
        />
      )}
    </Stack>
  );
}
