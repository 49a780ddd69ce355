import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, stubApi } from "../../test/api";
import { fileJob } from "../files/testing";
import { ExportRecordButton } from "./ExportRecordButton";
import { FACILITY_ID, PATIENT_ID, renderInChart, signIn } from "./testing";

const EXPORT_ID = "44444444-4444-4444-8444-444444444444";
const FILENAME = "patient-record-KRT-000042-20260305.json";

function exportJob(status: string, extra: Record<string, unknown> = {}) {
  return fileJob(EXPORT_ID, FACILITY_ID, status, { patient_id: PATIENT_ID, ...extra });
}

const LIST = `/api/v1/patients/${PATIENT_ID}/exports`;

const READY = exportJob("ready", {
  finished_at: "2026-03-05T10:00:05Z",
  expires_at: "2026-03-06T10:00:05Z",
  content_type: "application/json",
  filename: FILENAME,
  size: 42,
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("ExportRecordButton", () => {
  it("asks for the export, shows its progress while it is built, then downloads it", async () => {
    signIn("doctor");
    let polls = 0;
    const calls = stubApi(({ method, url }) => {
      if (method === "POST" && url.pathname === LIST) return json(exportJob("queued"), 202);
      if (url.pathname === LIST) return json([exportJob("queued")]);
      if (url.pathname === `/api/v1/record-exports/${EXPORT_ID}`)
        return json((polls += 1) === 1 ? exportJob("running") : READY);
      if (url.pathname === `/api/v1/record-exports/${EXPORT_ID}/file`)
        return new Response('{"format": "nilecare.patient-record"}', {
          headers: {
            "Content-Type": "application/json",
            "Content-Disposition": `attachment; filename="${FILENAME}"`,
          },
        });
      return undefined;
    });
    const created = vi.fn(() => "blob:export");
    // jsdom has no object URLs; this file runs in its own worker.
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() });
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    renderInChart(<ExportRecordButton patientId={PATIENT_ID} />);

    await userEvent.click(screen.getByRole("button", { name: "Export record" }));
    expect(await screen.findByText("Being prepared…")).toBeInTheDocument();
    const download = await screen.findByRole(
      "button",
      { name: `Download ${FILENAME}` },
      { timeout: 5_000 },
    );
    await userEvent.click(download);

    await waitFor(() => expect(clicked).toHaveBeenCalled());
    const link = clicked.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(link.download).toBe(FILENAME);
    expect(created).toHaveBeenCalled();
    const listing = (c: { method: string; url: URL }) =>
      c.method === "GET" && c.url.pathname === LIST;
    expect(calls.filter((c) => !listing(c)).map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      `POST /api/v1/patients/${PATIENT_ID}/exports`,
      `GET /api/v1/record-exports/${EXPORT_ID}`,
      `GET /api/v1/record-exports/${EXPORT_ID}`,
      `GET /api/v1/record-exports/${EXPORT_ID}/file`,
    ]);
  }, 15_000);

  it("says why the export failed", async () => {
    signIn("doctor");
    stubApi(({ method, url }) => {
      if (method === "POST") return json(exportJob("queued"), 202);
      if (url.pathname === LIST) return json([]);
      if (url.pathname === `/api/v1/record-exports/${EXPORT_ID}`)
        return json(
          exportJob("failed", { error: "The patient is no longer in this facility's registry" }),
        );
      return undefined;
    });
    renderInChart(<ExportRecordButton patientId={PATIENT_ID} />);
    await userEvent.click(screen.getByRole("button", { name: "Export record" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The file could not be prepared: The patient is no longer in this facility's registry",
    );
    expect(screen.queryByRole("button", { name: /Download/ })).not.toBeInTheDocument();
  });

  it("lists the exports asked for earlier below the new one", async () => {
    signIn("doctor");
    const EARLIER_ID = "77777777-7777-4777-8777-777777777777";
    const earlier = {
      ...READY,
      id: EARLIER_ID,
      created_at: "2026-03-01T08:00:00Z",
      filename: "patient-record-KRT-000042-20260301.json",
    };
    stubApi(({ method, url }) => {
      if (method === "POST") return json(exportJob("queued"), 202);
      if (url.pathname === LIST) return json([exportJob("queued"), earlier]);
      if (url.pathname === `/api/v1/record-exports/${EXPORT_ID}`) return json(exportJob("queued"));
      return undefined;
    });
    renderInChart(<ExportRecordButton patientId={PATIENT_ID} />);
    await userEvent.click(screen.getByRole("button", { name: "Export record" }));

    const list = await screen.findByRole("list", { name: "Earlier exports of this record" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(1); // the new one is shown above, not again here
    expect(
      within(items[0]!).getByRole("button", {
        name: "Download patient-record-KRT-000042-20260301.json",
      }),
    ).toBeEnabled();
  });
});
