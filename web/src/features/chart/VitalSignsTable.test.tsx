import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { reading, renderInChart } from "./testing";
import { VitalSignsTable } from "./VitalSignsTable";

describe("VitalSignsTable", () => {
  it("marks a critical reading in red with an icon and the word, and its whole row", () => {
    const readings = [
      reading(
        "b",
        "2026-06-16T10:00:00Z",
        { heart_rate: 170, spo2: 97, temperature: 38.1 },
        { heart_rate: "critical", temperature: "abnormal" },
      ),
      reading("a", "2026-06-16T08:00:00Z", { heart_rate: 80, spo2: 98, temperature: 36.8 }),
    ];
    renderInChart(<VitalSignsTable readings={readings} />);

    const table = screen.getByRole("table", { name: "Vital signs, newest first" });
    const [, critical, normal] = within(table).getAllByRole("row");
    expect(critical).toHaveAttribute("data-critical", "true");
    expect(within(critical!).getByText("Critical reading")).toBeVisible();
    const heartRate = within(critical!).getByText("170").closest("td");
    expect(heartRate).toHaveAttribute("data-flag", "critical");
    expect(within(heartRate!).getByText("Critical")).toBeVisible();
    const temperature = within(critical!).getByText("38.1").closest("td");
    expect(within(temperature!).getByText("Abnormal")).toBeVisible();

    expect(normal).toHaveAttribute("data-critical", "false");
    expect(within(normal!).queryByText(/Critical/)).toBeNull();
    expect(within(normal!).queryByText("Abnormal")).toBeNull();
  });
});
