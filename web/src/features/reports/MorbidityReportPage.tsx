import { Box, Button, MenuItem, Paper, Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { useFacilities } from "../facilities/queries";
import { defaultFacilityId, useOwnFacilityIds } from "../facilities/useDefaultFacility";
import { FileJobProgress } from "../files/FileJobProgress";
import { EarlierFiles } from "../files/EarlierFiles";
import {
  useMorbidityReport,
  useMorbidityReports,
  useRequestReport,
  type MorbidityReport,
} from "../files/queries";

const reportFile = (job: MorbidityReport) => `/api/v1/morbidity-reports/${job.id}/file`;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The previous calendar month: what a hospital reports each month. */
export function lastMonth(today: Date = new Date()): { from: string; to: string } {
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0));
  return { from: isoDay(first), to: isoDay(last) };
}

/** A facility's morbidity report for a period: asked for here, built by a task, downloaded as
 * CSV when ready; the reports asked for earlier are listed below. */
export function MorbidityReportPage() {
  const { t } = useTranslation("files");
  const facilities = useFacilities();
  const ownIds = useOwnFacilityIds();
  const [facility, setFacility] = useState<string | null>(null);
  const [period, setPeriod] = useState(lastMonth);
  const request = useRequestReport();
  const report = useMorbidityReport(request.data?.id ?? null);
  const earlier = useMorbidityReports();
  const facilityName = (id: string) =>
    facilities.data?.items.find((item) => item.id === id)?.name ?? id;
  const facilityId = facility ?? defaultFacilityId(facilities.data?.items, ownIds) ?? "";
  const fieldErrors = isProblem(request.error) ? request.error.fieldErrors : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate({ facility_id: facilityId, from: period.from, to: period.to });
  };

  return (
    <Stack sx={{ gap: 2 }}>
      <Typography variant="h4" component="h1">
        {t("report.title")}
      </Typography>
      <Paper sx={{ p: { xs: 2, md: 3 } }}>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {t("report.description")}
        </Typography>
        <Box component="form" onSubmit={submit} noValidate>
          <Stack direction={{ xs: "column", md: "row" }} sx={{ gap: 2, alignItems: "flex-start" }}>
            <TextField
              select
              label={t("report.facility")}
              value={facilityId}
              onChange={(event) => setFacility(event.target.value)}
              sx={{ minWidth: 260 }}
              error={"facility_id" in fieldErrors}
              helperText={fieldErrors.facility_id}
            >
              {(facilities.data?.items ?? []).map((item) => (
                <MenuItem key={item.id} value={item.id}>
                  {item.name}
                </MenuItem>
              ))}
            </TextField>
            {(["from", "to"] as const).map((field) => (
              <TextField
                key={field}
                type="date"
                label={t(`report.${field}`)}
                value={period[field]}
                onChange={(event) => setPeriod({ ...period, [field]: event.target.value })}
                slotProps={{ inputLabel: { shrink: true } }}
                error={field in fieldErrors}
                helperText={fieldErrors[field]}
              />
            ))}
            <Button type="submit" variant="contained" disabled={!facilityId || request.isPending}>
              {t("report.request")}
            </Button>
          </Stack>
        </Box>
      </Paper>
      {request.isError && <ProblemAlert error={request.error} title={t("report.requestFailed")} />}
      {report.isError && <ProblemAlert error={report.error} />}
      {report.data && (
        <Paper sx={{ p: { xs: 2, md: 3 } }}>
          <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
            {t("report.period", { from: report.data.period_from, to: report.data.period_to })}
          </Typography>
          <FileJobProgress job={report.data} downloadPath={reportFile(report.data)} />
        </Paper>
      )}
      <Paper sx={{ p: { xs: 2, md: 3 } }}>
        {earlier.isError && <ProblemAlert error={earlier.error} />}
        {earlier.data && (
          <EarlierFiles
            title={t("earlier.reports")}
            jobs={earlier.data.filter((item) => item.id !== report.data?.id)}
            downloadPath={reportFile}
            describe={(job) =>
              `${facilityName(job.facility_id)} · ${t("report.period", { from: job.period_from, to: job.period_to })}`
            }
          />
        )}
      </Paper>
    </Stack>
  );
}
