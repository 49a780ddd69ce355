import MonitorHeartIcon from "@mui/icons-material/MonitorHeart";
import { Alert, Button, Stack } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { QueryState } from "../../layout/QueryState";
import { CriticalVitalsAlert } from "./CriticalVitalsAlert";
import { useVitalSigns } from "./queries";
import { RecordVitalsDialog } from "./RecordVitalsDialog";
import { SectionToolbar } from "./SectionToolbar";
import type { VitalSigns } from "./vitals";
import { VitalSignsCharts } from "./VitalSignsCharts";
import { VitalSignsTable } from "./VitalSignsTable";

/** The table and trends of a patient's vital signs, and recording a new set. */
export function VitalSignsSection({
  patientId,
  encounterId,
  canRecord,
}: {
  patientId: string;
  encounterId: string | null;
  canRecord: boolean;
}) {
  const { t } = useTranslation("chart");
  const vitals = useVitalSigns(patientId);
  const [recording, setRecording] = useState(false);
  const [saved, setSaved] = useState<VitalSigns | null>(null);

  return (
    <Stack sx={{ gap: 2 }}>
      <SectionToolbar title={t("tabs.vitals")}>
        {canRecord && (
          <Button
            variant="contained"
            startIcon={<MonitorHeartIcon />}
            onClick={() => setRecording(true)}
          >
            {t("vitals.record")}
          </Button>
        )}
      </SectionToolbar>
      {saved &&
        (saved.critical ? (
          <CriticalVitalsAlert reading={saved} onClose={() => setSaved(null)} />
        ) : (
          <Alert severity="success" role="status" onClose={() => setSaved(null)}>
            {t("vitals.saved")}
          </Alert>
        ))}
      <QueryState query={vitals} empty={t("vitals.empty")}>
        {(readings) => (
          <>
            <VitalSignsTable readings={readings} />
            <VitalSignsCharts readings={readings} />
          </>
        )}
      </QueryState>
      {canRecord && (
        <RecordVitalsDialog
          open={recording}
          onClose={() => setRecording(false)}
          onSaved={setSaved}
          patientId={patientId}
          encounterId={encounterId}
        />
      )}
    </Stack>
  );
}
