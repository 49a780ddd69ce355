import { describe, expect, it } from "vitest";

import { chooseSearch } from "./searchQuery";

describe("chooseSearch", () => {
  it.each([
    ["0912345678", { criterion: "phone", value: "+249912345678" }],
    ["+249 912 345 678", { criterion: "phone", value: "+249912345678" }],
    ["00249912345678", { criterion: "phone", value: "+249912345678" }],
    ["912345678", { criterion: "phone", value: "+249912345678" }],
    ["٠٩١٢٣٤٥٦٧٨", { criterion: "phone", value: "+249912345678" }],
    ["20001092822", { criterion: "national_id", value: "20001092822" }],
    ["200-0109-2822", { criterion: "national_id", value: "20001092822" }],
    ["kth-000123", { criterion: "mrn", value: "KTH-000123" }],
    ["F6F1C2A-000070", { criterion: "mrn", value: "F6F1C2A-000070" }],
    ["Fatima Abdel-Rahman", { criterion: "name", value: "Fatima Abdel-Rahman" }],
    ["فاطمة", { criterion: "name", value: "فاطمة" }],
  ])("searches %s by the right parameter", (typed, expected) => {
    expect(chooseSearch(typed)).toEqual({ kind: "search", ...expected });
  });

  it("asks for the whole number when digits are neither a phone nor a national id", () => {
    expect(chooseSearch("09123")).toEqual({ kind: "incomplete" });
    expect(chooseSearch("+2491234")).toEqual({ kind: "incomplete" });
  });

  it("waits for a second letter and ignores blanks", () => {
    expect(chooseSearch("F")).toEqual({ kind: "tooShort" });
    expect(chooseSearch("   ")).toEqual({ kind: "none" });
  });
});
