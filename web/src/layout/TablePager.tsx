import { TablePagination } from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatNumber } from "../i18n/format";
import { useLanguage } from "../i18n/LanguageProvider";

interface Props {
  count: number;
  /** Zero-based. */
  page: number;
  rowsPerPage: number;
  rowsPerPageOptions?: readonly number[];
  onPageChange: (page: number) => void;
  onRowsPerPageChange: (rowsPerPage: number) => void;
}

/** The paging under a table: "1–25 of 140" in the user's digits, and the rows per page. */
export function TablePager({
  count,
  page,
  rowsPerPage,
  rowsPerPageOptions = [25, 50, 100],
  onPageChange,
  onRowsPerPageChange,
}: Props) {
  const { t } = useTranslation("common");
  const { language } = useLanguage();
  const number = (value: number) => formatNumber(value, language);
  return (
    <TablePagination
      component="div"
      count={count}
      page={page}
      rowsPerPage={rowsPerPage}
      rowsPerPageOptions={[...rowsPerPageOptions]}
      onPageChange={(_, next) => onPageChange(next)}
      onRowsPerPageChange={(event) => onRowsPerPageChange(Number(event.target.value))}
      labelRowsPerPage={t("pagination.rowsPerPage")}
      labelDisplayedRows={({ from, to, count: total }) =>
        `${number(from)}–${number(to)} ${t("pagination.of")} ${number(total)}`
      }
    />
  );
}
