import AddIcon from "@mui/icons-material/Add";
import { Button, TableCell, TableRow } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { DataTable } from "../../layout/DataTable";
import { QueryState } from "../../layout/QueryState";
import { AddAllergyDialog } from "./AddAllergyDialog";
import { AllergyChip } from "./AllergyChip";
import { useAllergies } from "./queries";
import { SectionToolbar } from "./SectionToolbar";

/** The patient's allergies and intolerances. */
export function AllergiesSection({ patientId, canAdd }: { patientId: string; canAdd: boolean }) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const allergies = useAllergies(patientId);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <SectionToolbar title={t("tabs.allergies")}>
        {canAdd && (
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setAdding(true)}>
            {t("allergies.add")}
          </Button>
        )}
      </SectionToolbar>
      <QueryState query={allergies} empty={t("allergies.empty")}>
        {(rows) => (
          <DataTable
            label={t("tabs.allergies")}
            columns={[
              t("allergies.substance"),
              t("allergies.class"),
              t("allergies.reaction"),
              t("allergies.severity"),
              t("allergies.criticality"),
              t("allergies.recorded"),
            ]}
          >
            {rows.map((allergy) => (
              <TableRow key={allergy.id}>
                <TableCell>
                  <AllergyChip allergy={allergy} />
                </TableCell>
                <TableCell>{t(`allergies.classes.${allergy.allergy_class}`)}</TableCell>
                <TableCell>{allergy.reaction ?? "—"}</TableCell>
                <TableCell>
                  {allergy.severity
                    ? t(`allergies.severities.${allergy.severity}`)
                    : t("allergies.notStated")}
                </TableCell>
                <TableCell>{t(`allergies.criticalities.${allergy.criticality}`)}</TableCell>
                <TableCell>{formatDateTime(allergy.recorded_at, language)}</TableCell>
              </TableRow>
            ))}
          </DataTable>
        )}
      </QueryState>
      {canAdd && (
        <AddAllergyDialog open={adding} onClose={() => setAdding(false)} patientId={patientId} />
      )}
    </>
  );
}
