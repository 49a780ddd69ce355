import AddIcon from "@mui/icons-material/Add";
import { Box, Button, Chip, TableCell, TableRow, Typography } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatDate, formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { DataTable } from "../../layout/DataTable";
import { QueryState } from "../../layout/QueryState";
import { AddDiagnosisDialog } from "./AddDiagnosisDialog";
import { useDiagnoses } from "./queries";
import { SectionToolbar } from "./SectionToolbar";

const ACTIVE = new Set(["active", "recurrence", "relapse"]);

/** The patient's ICD-10 diagnoses with their clinical and verification status. */
export function DiagnosesSection({
  patientId,
  encounterId,
  canAdd,
}: {
  patientId: string;
  encounterId: string | null;
  canAdd: boolean;
}) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const diagnoses = useDiagnoses(patientId);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <SectionToolbar title={t("tabs.diagnoses")}>
        {canAdd && (
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setAdding(true)}>
            {t("diagnoses.add")}
          </Button>
        )}
      </SectionToolbar>
      <QueryState query={diagnoses} empty={t("diagnoses.empty")}>
        {(rows) => (
          <DataTable
            label={t("tabs.diagnoses")}
            columns={[
              t("diagnoses.code"),
              t("diagnoses.display"),
              t("diagnoses.clinicalStatus"),
              t("diagnoses.verificationStatus"),
              t("diagnoses.onset"),
              t("diagnoses.recorded"),
            ]}
          >
            {rows.map((diagnosis) => (
              <TableRow key={diagnosis.id}>
                <TableCell>
                  <Box component="span" dir="ltr" sx={{ fontFamily: "monospace", fontWeight: 600 }}>
                    {diagnosis.code}
                  </Box>
                </TableCell>
                <TableCell>
                  <span dir="ltr" lang="en">
                    {diagnosis.display}
                  </span>
                  {diagnosis.note && (
                    <Typography variant="body2" color="text.secondary">
                      {diagnosis.note}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <Chip
                    size="small"
                    color={ACTIVE.has(diagnosis.clinical_status) ? "primary" : "default"}
                    variant={ACTIVE.has(diagnosis.clinical_status) ? "filled" : "outlined"}
                    label={t(`diagnoses.clinical.${diagnosis.clinical_status}`)}
                  />
                </TableCell>
                <TableCell>
                  {t(`diagnoses.verification.${diagnosis.verification_status}`)}
                </TableCell>
                <TableCell>
                  {diagnosis.onset_date ? formatDate(diagnosis.onset_date, language) : "—"}
                </TableCell>
                <TableCell>{formatDateTime(diagnosis.recorded_at, language)}</TableCell>
              </TableRow>
            ))}
          </DataTable>
        )}
      </QueryState>
      {canAdd && (
        <AddDiagnosisDialog
          open={adding}
          onClose={() => setAdding(false)}
          patientId={patientId}
          encounterId={encounterId}
        />
      )}
    </>
  );
}
