import { TableCell, TableRow, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatDate, formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { DataTable } from "../../layout/DataTable";
import { QueryState } from "../../layout/QueryState";
import { useImmunizations } from "./queries";
import { SectionToolbar } from "./SectionToolbar";

/** Vaccines given, newest first. */
export function ImmunizationsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const immunizations = useImmunizations(patientId);
  return (
    <>
      <SectionToolbar title={t("tabs.immunizations")} />
      <QueryState query={immunizations} empty={t("immunizations.empty")}>
        {(rows) => (
          <DataTable
            label={t("tabs.immunizations")}
            columns={[
              t("immunizations.vaccine"),
              t("immunizations.dose"),
              t("immunizations.date"),
              t("immunizations.lot"),
            ]}
          >
            {[...rows]
              .sort((a, b) => b.occurred_on.localeCompare(a.occurred_on))
              .map((immunization) => (
                <TableRow key={immunization.id}>
                  <TableCell>
                    {immunization.vaccine_name}
                    {immunization.vaccine_code && (
                      <Typography
                        variant="caption"
                        color="text.secondary"
                        sx={{ marginInlineStart: 1 }}
                      >
                        ({immunization.vaccine_code})
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{formatNumber(immunization.dose_number, language, 0)}</TableCell>
                  <TableCell>{formatDate(immunization.occurred_on, language)}</TableCell>
                  <TableCell>
                    <span dir="ltr">{immunization.lot_number ?? "—"}</span>
                  </TableCell>
                </TableRow>
              ))}
          </DataTable>
        )}
      </QueryState>
    </>
  );
}
