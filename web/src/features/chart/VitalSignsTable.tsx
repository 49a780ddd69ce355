import ErrorIcon from "@mui/icons-material/Error";
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
} from "@mui/material";
import { alpha } from "@mui/material/styles";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { VitalValueCell } from "./VitalValueCell";
import { CORE_VITALS, type VitalName, type VitalSigns } from "./vitals";

/** Sets of vital signs, newest first; a set with a critical reading is marked as a whole. */
export function VitalSignsTable({ readings }: { readings: VitalSigns[] }) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const extra = (["weight", "height"] as const).filter((name) =>
    readings.some((r) => r.values[name] !== undefined),
  );
  const columns: VitalName[] = [...CORE_VITALS, ...extra];
  return (
    <TableContainer sx={{ maxHeight: 480 }}>
      <Table size="small" stickyHeader aria-label={t("vitals.table")}>
        <TableHead>
          <TableRow>
            <TableCell>{t("vitals.time")}</TableCell>
            {columns.map((name) => (
              <TableCell key={name}>
                {t(`vitals.names.${name}`)}
                <Box
                  component="span"
                  sx={{ color: "text.secondary", marginInlineStart: 0.5, fontWeight: 400 }}
                >
                  ({t(`vitals.units.${name}`)})
                </Box>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {readings.map((reading) => (
            <TableRow
              key={reading.id}
              data-critical={reading.critical ? "true" : "false"}
              sx={
                reading.critical
                  ? {
                      bgcolor: (theme) => alpha(theme.palette.error.main, 0.08),
                      "& > td:first-of-type": {
                        borderInlineStart: (theme) => `4px solid ${theme.palette.error.main}`,
                      },
                    }
                  : undefined
              }
            >
              <TableCell sx={{ whiteSpace: "nowrap" }}>
                {formatDateTime(reading.recorded_at, language)}
                {reading.critical && (
                  <Box
                    sx={{
                      display: "flex",
                      alignItems: "center",
                      gap: 0.5,
                      color: "error.main",
                      fontWeight: 700,
                      fontSize: "0.75rem",
                    }}
                  >
                    <ErrorIcon sx={{ fontSize: "1rem" }} aria-hidden />
                    {t("flags.criticalRow")}
                  </Box>
                )}
              </TableCell>
              {columns.map((name) => (
                <VitalValueCell key={name} reading={reading} name={name} />
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
