import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { Providers } from "../../App";
import type { Language } from "../../i18n/languages";
import { ChargeMasterTable } from "./ChargeMasterTable";
import type { ChargeItem } from "./queries";

const consultation: ChargeItem = {
  id: "c1",
  facility_id: "f1",
  code: "CONS-GP",
  name_en: "General consultation",
  name_ar: "استشارة عامة",
  category: "consultation",
  price_minor: 1_250_050,
  currency: "SDG",
  is_active: true,
  effective_from: "2026-01-01",
  effective_to: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

function renderIn(language: Language) {
  render(
    <Providers language={language}>
      <ChargeMasterTable items={[consultation]} />
    </Providers>,
  );
  // Intl puts no-break and direction marks around the currency; compare the plain text.
  return (screen.getByTestId("price").textContent ?? "").replace(
    /[\u00a0\u202f\u200e\u200f\u061c]/g,
    " ",
  );
}

describe("ChargeMasterTable", () => {
  it("shows the price from minor units in SDG with English digits", () => {
    const price = renderIn("en");
    expect(price).toContain("12,500.50");
    expect(price).toContain("SDG");
    expect(screen.getByText("General consultation")).toBeInTheDocument();
    expect(screen.getByText("Consultation")).toBeInTheDocument();
  });

  it("shows the price in Arabic digits with the Sudanese pound in Arabic", () => {
    const price = renderIn("ar");
    expect(price).toMatch(/١٢٬٥٠٠٫٥٠/);
    expect(price).toContain("ج.س.");
    expect(price).not.toContain("12");
    expect(screen.getByText("استشارة عامة")).toBeInTheDocument();
  });
});
