import {
  CircularProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { useTranslation } from "react-i18next";

import { ProblemAlert } from "../../layout/ProblemAlert";
import { useWorkingHours } from "./queries";

/** A staff member's weekly hours, Monday first, several periods a day where recorded. */
export function WorkingHoursList({ staffId }: { staffId: string }) {
  const { t } = useTranslation("staff");
  const hours = useWorkingHours(staffId);
  const weekdays = t("weekdays", { returnObjects: true }) as string[];

  if (hours.isPending) return <CircularProgress size={24} aria-label={t("common:loading")} />;
  if (hours.error) return <ProblemAlert error={hours.error} />;
  if (hours.data.length === 0)
    return <Typography color="text.secondary">{t("noWorkingHours")}</Typography>;

  const sorted = [...hours.data].sort(
    (a, b) => a.weekday - b.weekday || a.start_time.localeCompare(b.start_time),
  );
  const byDay = new Map<number, string[]>();
  for (const entry of sorted) {
    const range = t("timeRange", {
      start: entry.start_time.slice(0, 5),
      end: entry.end_time.slice(0, 5),
    });
    byDay.set(entry.weekday, [...(byDay.get(entry.weekday) ?? []), range]);
  }
  const zone = sorted[0]?.timezone;

  return (
    <>
      <Table size="small" aria-label={t("workingHours")}>
        <TableHead>
          <TableRow>
            <TableCell>{t("weekday")}</TableCell>
            <TableCell>{t("hours")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {[...byDay.entries()].map(([weekday, ranges]) => (
            <TableRow key={weekday}>
              <TableCell>{weekdays[weekday] ?? weekday}</TableCell>
              <TableCell>
                <bdi dir="ltr">{ranges.join(", ")}</bdi>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {zone && (
        <Typography variant="caption" color="text.secondary">
          {t("timezone", { zone })}
        </Typography>
      )}
    </>
  );
}
