import { ageInYears, formatDate, formatMoney } from "./format";

describe("formatting per locale", () => {
  it("shows SDG minor units as pounds in English and in Arabic digits in Arabic", () => {
    expect(formatMoney(1234550, "SDG", "en")).toMatch(/12,345\.50/);
    const arabic = formatMoney(1234550, "SDG", "ar");
    expect(arabic).toMatch(/[٠-٩]/);
    expect(arabic).not.toMatch(/12,345/);
  });

  it("shows a birth date as that calendar day whatever the time zone", () => {
    expect(formatDate("1988-03-14", "en")).toMatch(/14/);
    expect(formatDate("1988-03-14", "en")).toMatch(/1988/);
  });

  it("counts age in whole years, the day before a birthday included", () => {
    expect(ageInYears("1988-03-14", new Date(2026, 2, 13))).toBe(37);
    expect(ageInYears("1988-03-14", new Date(2026, 2, 14))).toBe(38);
  });
});
