import { TableCell, TableRow } from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { DataTable } from "../../layout/DataTable";
import { QueryState } from "../../layout/QueryState";
import { BedLabel } from "./BedLabel";
import { EncounterStatusChip } from "./EncounterStatusChip";
import { useEncounters } from "./queries";
import { SectionToolbar } from "./SectionToolbar";

/** Every encounter of the patient, newest first: class, status, period and bed. */
export function EncountersSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const encounters = useEncounters(patientId);
  return (
    <>
      <SectionToolbar title={t("tabs.encounters")} />
      <QueryState query={encounters} empty={t("encounters.empty")}>
        {(rows) => (
          <DataTable
            label={t("tabs.encounters")}
            columns={[
              t("encounters.class"),
              t("encounters.status"),
              t("encounters.period"),
              t("encounters.bed"),
              t("encounters.reason"),
            ]}
          >
            {rows.map((encounter) => (
              <TableRow key={encounter.id}>
                <TableCell>{t(`encounters.classes.${encounter.encounter_class}`)}</TableCell>
                <TableCell>
                  <EncounterStatusChip status={encounter.status} />
                </TableCell>
                <TableCell>
                  {encounter.started_at
                    ? formatDateTime(encounter.started_at, language)
                    : t("encounters.notStarted")}
                  {" – "}
                  {encounter.ended_at
                    ? formatDateTime(encounter.ended_at, language)
                    : encounter.started_at
                      ? t("encounters.ongoing")
                      : ""}
                </TableCell>
                <TableCell>
                  {encounter.bed_id ? <BedLabel bedId={encounter.bed_id} bare /> : "—"}
                </TableCell>
                <TableCell>{encounter.reason ?? "—"}</TableCell>
              </TableRow>
            ))}
          </DataTable>
        )}
      </QueryState>
    </>
  );
}
