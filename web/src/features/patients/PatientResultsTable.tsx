import { TableCell, TableRow, Paper } from "@mui/material";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { ageInYears, formatDate, formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { DataTable } from "../../layout/DataTable";
import { TablePager } from "../../layout/TablePager";
import { englishName } from "./names";
import { PatientNames } from "./PatientNames";
import { PhoneNumber } from "./PhoneNumber";
import type { Facility, PatientPage } from "./queries";

export const PAGE_SIZES = [10, 25, 50];

interface Props {
  page: PatientPage;
  facilities: readonly Facility[];
  rowsPerPage: number;
  onPageChange: (page: number) => void;
  onRowsPerPageChange: (rows: number) => void;
}

/** One page of search results; a row opens the patient's chart. */
export function PatientResultsTable({
  page,
  facilities,
  rowsPerPage,
  onPageChange,
  onRowsPerPageChange,
}: Props) {
  const { t } = useTranslation("patients");
  const { language } = useLanguage();
  const navigate = useNavigate();
  const facilityName = (id: string) => facilities.find((f) => f.id === id)?.name ?? "";
  const open = (id: string) => navigate(`/patients/${id}`);

  return (
    <Paper variant="outlined">
      <DataTable
        label={t("table.caption")}
        columns={[
          t("table.mrn"),
          t("table.name"),
          t("table.sex"),
          t("table.birthDate"),
          t("table.phone"),
          t("table.locality"),
          t("table.facility"),
        ]}
      >
        {page.items.map((patient) => (
          <TableRow
            key={patient.id}
            hover
            tabIndex={0}
            aria-label={t("table.open", { name: englishName(patient) })}
            sx={{ cursor: "pointer" }}
            onClick={() => open(patient.id)}
            onKeyDown={(event) => {
              if (event.key === "Enter" || event.key === " ") {
                event.preventDefault();
                open(patient.id);
              }
            }}
          >
            <TableCell sx={{ fontFamily: "monospace", whiteSpace: "nowrap" }}>
              <bdi>{patient.mrn}</bdi>
            </TableCell>
            <TableCell>
              <PatientNames patient={patient} arabicFirst={language === "ar"} />
            </TableCell>
            <TableCell>{t(`common:sex.${patient.sex}`)}</TableCell>
            <TableCell sx={{ whiteSpace: "nowrap" }}>
              {formatDate(patient.birth_date, language)}
              <br />
              {t("table.age", { age: formatNumber(ageInYears(patient.birth_date), language) })}
            </TableCell>
            <TableCell>
              <PhoneNumber value={patient.phone} />
            </TableCell>
            <TableCell>
              {t("table.localityState", {
                locality: patient.address.locality,
                state: t(`common:states.${patient.address.state}`, {
                  defaultValue: patient.address.state,
                }),
              })}
            </TableCell>
            <TableCell>{facilityName(patient.facility_id)}</TableCell>
          </TableRow>
        ))}
      </DataTable>
      <TablePager
        count={page.total}
        page={Math.floor(page.offset / rowsPerPage)}
        rowsPerPage={rowsPerPage}
        rowsPerPageOptions={PAGE_SIZES}
        onPageChange={onPageChange}
        onRowsPerPageChange={onRowsPerPageChange}
      />
    </Paper>
  );
}
