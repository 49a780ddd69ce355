import { screen, waitFor, within } from "@testing-library/react";
import userEvent, { PointerEventsCheckLevel } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, signInAs, stubApi, type Call } from "../../test/api";
import { PatientSearchPage } from "./PatientSearchPage";
import { FACILITIES, patient, RECEPTIONIST, renderPage } from "./testing";

afterEach(() => vi.unstubAllGlobals());

const FOUND = patient();

function searches(sent: Call[]) {
  return sent.filter((r) => r.method === "GET" && r.url.pathname === "/api/v1/patients");
}

function answerWith(items = [FOUND], total = items.length) {
  return stubApi(({ url }) => {
    if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
    if (url.pathname === "/api/v1/patients") {
      const limit = Number(url.searchParams.get("limit"));
      const offset = Number(url.searchParams.get("offset"));
      return json({ items, total, limit, offset });
    }
    return undefined;
  });
}

function setupUser() {
  return userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
}

describe("PatientSearchPage", { timeout: 20_000 }, () => {
  it.each([
    ["0912 345 678", "phone", "+249912345678", "phone"],
    ["20001092822", "national_id", "20001092822", "national ID"],
    ["kth-000070", "mrn", "KTH-000070", "MRN"],
    ["فاطمة عبد", "name", "فاطمة عبد", "name"],
  ])("searches %s by %s once the typing settles", async (typed, parameter, value, shown) => {
    signInAs(RECEPTIONIST);
    const sent = answerWith();
    const user = setupUser();
    renderPage(<PatientSearchPage />, "/patients");
    await user.click(screen.getByLabelText("Search patients"));
    await user.paste(typed);

    await waitFor(() => expect(searches(sent)).toHaveLength(1));
    const query = searches(sent)[0]!.url.searchParams;
    expect(query.get(parameter)).toBe(value);
    for (const other of ["name", "mrn", "national_id", "phone"].filter((p) => p !== parameter)) {
      expect(query.has(other)).toBe(false);
    }
    expect(await screen.findByText(`Searching by ${shown}`)).toBeVisible();
  });

  it("sends nothing for a partial number and says what to type", async () => {
    signInAs(RECEPTIONIST);
    const sent = answerWith();
    const user = setupUser();
    renderPage(<PatientSearchPage />, "/patients");
    await user.click(screen.getByLabelText("Search patients"));
    await user.paste("09123");

    expect(await screen.findByText(/Type the whole number/)).toBeVisible();
    expect(searches(sent)).toHaveLength(0);
  });

  it("lists the patients found, and a row opens the chart", async () => {
    signInAs(RECEPTIONIST);
    answerWith([FOUND], 1);
    const user = setupUser();
    renderPage(<PatientSearchPage />, "/patients?q=fatima");

    const table = await screen.findByRole("table", { name: "Search results" });
    const row = within(table).getByRole("row", { name: /Fatima Abdelrahman/ });
    expect(row).toHaveTextContent("KTH-000070");
    expect(row).toHaveTextContent("فاطمة عبد الرحمن");
    expect(row).toHaveTextContent("+249912345678");
    expect(row).toHaveTextContent("Khartoum Teaching Hospital");
    await user.click(row);
    expect(await screen.findByRole("heading", { name: `Chart of ${FOUND.id}` })).toBeVisible();
  });

  it("pages through the total the server reports", async () => {
    signInAs(RECEPTIONIST);
    const sent = answerWith([FOUND], 23);
    const user = setupUser();
    renderPage(<PatientSearchPage />, "/patients?q=fatima");
    expect(await screen.findByText("1–10 of 23")).toBeVisible();
    await user.click(screen.getByRole("button", { name: /next page/i }));
    await waitFor(() => expect(searches(sent).at(-1)?.url.searchParams.get("offset")).toBe("10"));
  });

  it("says so when no patient matches", async () => {
    signInAs(RECEPTIONIST);
    answerWith([], 0);
    renderPage(<PatientSearchPage />, "/patients?q=nobody");
    expect(await screen.findByText("No patient matches this search.")).toBeVisible();
  });

  it("shows the problem when the search fails", async () => {
    signInAs(RECEPTIONIST);
    stubApi(({ url }) =>
      url.pathname === "/api/v1/patients"
        ? json({ status: 422, detail: "Invalid input: phone", errors: [] }, 422)
        : json(FACILITIES),
    );
    renderPage(<PatientSearchPage />, "/patients?q=0912345678");
    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid input: phone");
  });

  it("offers registration only to the roles that may register", async () => {
    signInAs({ ...RECEPTIONIST, roles: ["nurse"] });
    answerWith();
    renderPage(<PatientSearchPage />, "/patients");
    expect(screen.queryByRole("link", { name: "Register patient" })).not.toBeInTheDocument();
  });
});
