import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, stubApi } from "../../test/api";
import { AddDiagnosisDialog } from "./AddDiagnosisDialog";
import { PATIENT_ID, renderInChart, signIn } from "./testing";

afterEach(() => {
  vi.unstubAllGlobals();
});

function dialog(onClose = vi.fn()) {
  return <AddDiagnosisDialog open onClose={onClose} patientId={PATIENT_ID} encounterId={null} />;
}

describe("AddDiagnosisDialog", () => {
  it("shows the server's verdict on an invalid ICD-10 code beside the code input", async () => {
    signIn("doctor");
    const calls = stubApi(() =>
      json(
        {
          type: "https://nilecare.sd/problems/validation-error",
          title: "Unprocessable content",
          status: 422,
          detail: "code: not an ICD-10-CM code",
          errors: [{ field: "code", message: "not an ICD-10-CM code" }],
        },
        422,
      ),
    );
    const onClose = vi.fn();
    renderInChart(dialog(onClose));
    const code = screen.getByRole("textbox", { name: /ICD-10 code/ });
    expect(code).toHaveAccessibleDescription("ICD-10-CM, e.g. J18.9 or E11.9");
    await userEvent.type(code, "ZZZ.99");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(code).toHaveAccessibleDescription("not an ICD-10-CM code"));
    expect(code).toHaveAttribute("aria-invalid", "true");
    expect(calls[0]?.body).toMatchObject({ patient_id: PATIENT_ID, code: "ZZZ.99" });
    expect(onClose).not.toHaveBeenCalled();
  }, 15_000);

  it("closes once the diagnosis is recorded", async () => {
    signIn("doctor");
    const calls = stubApi(() => json({ id: "d1", code: "J18.9" }, 201));
    const onClose = vi.fn();
    renderInChart(dialog(onClose));
    await userEvent.type(screen.getByRole("textbox", { name: /ICD-10 code/ }), "J18.9");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]?.body).toMatchObject({
      code: "J18.9",
      clinical_status: "active",
      verification_status: "confirmed",
    });
  });
});
