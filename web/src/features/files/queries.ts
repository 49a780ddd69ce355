import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";
import { problemFrom } from "../../api/problem";
import { sessionFetch } from "../../auth/session";

export type FileJob = Schemas["RecordExportRead"] | Schemas["MorbidityReportRead"];
export type FileStatus = Schemas["FileStatus"];
export type RecordExport = Schemas["RecordExportRead"];
export type MorbidityReport = Schemas["MorbidityReportRead"];
export type MorbidityReportRequest = Schemas["MorbidityReportCreate"];

/** How often a file still being built is asked about. */
export const FILE_POLL_MS = 1_500;

export function inProgress(status: FileStatus | undefined): boolean {
  return status === "queued" || status === "running";
}

const pollWhileBuilding = (data: FileJob | undefined) =>
  inProgress(data?.status) ? FILE_POLL_MS : false;

const pollWhileAnyBuilding = (data: FileJob[] | undefined) =>
  data?.some((job) => inProgress(job.status)) ? FILE_POLL_MS : false;

export const fileKeys = {
  export: (id: string) => ["files", "record-export", id] as const,
  exports: (patientId: string) => ["files", "record-exports", patientId] as const,
  report: (id: string) => ["files", "morbidity-report", id] as const,
  reports: ["files", "morbidity-reports"] as const,
};

/** The patient's record exports the user may see (their own; all with file management),
 * newest first. */
export function useRecordExports(patientId: string, enabled = true) {
  return useQuery({
    queryKey: fileKeys.exports(patientId),
    queryFn: () =>
      call(
        api.GET("/api/v1/patients/{patient_id}/exports", {
          params: { path: { patient_id: patientId } },
        }),
      ),
    enabled,
    refetchInterval: (query) => pollWhileAnyBuilding(query.state.data),
  });
}

/** The morbidity reports the user may see, newest first. */
export function useMorbidityReports() {
  return useQuery({
    queryKey: fileKeys.reports,
    queryFn: () => call(api.GET("/api/v1/morbidity-reports")),
    refetchInterval: (query) => pollWhileAnyBuilding(query.state.data),
  });
}

export function useRequestExport(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: fileKeys.exports(patientId) }),
    mutationFn: () =>
      call(
        api.POST("/api/v1/patients/{patient_id}/exports", {
          params: { path: { patient_id: patientId } },
        }),
      ),
  });
}

/** A record export's status, asked again until it is ready, failed or expired. */
export function useRecordExport(exportId: string | null) {
  return useQuery({
    queryKey: fileKeys.export(exportId ?? ""),
    queryFn: () =>
      call(
        api.GET("/api/v1/record-exports/{export_id}", {
          params: { path: { export_id: exportId ?? "" } },
        }),
      ),
    enabled: exportId !== null,
    refetchInterval: (query) => pollWhileBuilding(query.state.data),
  });
}

export function useRequestReport() {
  const queryClient = useQueryClient();
  return useMutation({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: fileKeys.reports }),
    mutationFn: (body: MorbidityReportRequest) =>
      call(api.POST("/api/v1/morbidity-reports", { body })),
  });
}

export function useMorbidityReport(reportId: string | null) {
  return useQuery({
    queryKey: fileKeys.report(reportId ?? ""),
    queryFn: () =>
      call(
        api.GET("/api/v1/morbidity-reports/{report_id}", {
          params: { path: { report_id: reportId ?? "" } },
        }),
      ),
    enabled: reportId !== null,
    refetchInterval: (query) => pollWhileBuilding(query.state.data),
  });
}

/** Fetches a ready file with the session's token and hands it to the browser as a download
 * named like the server's Content-Disposition (else `fallbackName`). */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const response = await sessionFetch(new Request(new URL(path, window.location.origin)));
  if (!response.ok) throw await problemFrom(response);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
