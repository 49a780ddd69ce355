import { screen, waitFor, within } from "@testing-library/react";
import userEvent, { PointerEventsCheckLevel, type UserEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, signInAs, stubApi, type Call } from "../../test/api";
import { RegisterPatientPage } from "./RegisterPatientPage";
import { FACILITIES, patient, RECEPTIONIST, renderPage } from "./testing";

afterEach(() => vi.unstubAllGlobals());

const FIRST = patient({ id: "11111111-1111-4111-8111-111111111111", mrn: "KTH-000101" });
const SECOND = patient({
  id: "22222222-2222-4222-8222-222222222222",
  mrn: "KTH-000202",
  given_name_en: "Fatma",
  given_name_ar: "فاطمة",
  phone: "+249911111111",
});
const CREATED = patient({ id: "33333333-3333-4333-8333-333333333333", mrn: "KTH-000303" });

async function choose(user: UserEvent, label: RegExp, option: string) {
  await user.click(screen.getByLabelText(label));
  await user.click(await screen.findByRole("option", { name: option }));
}

/** Replace what a field holds, as one paste (typing key by key is slow in jsdom). */
async function fill(user: UserEvent, field: HTMLElement, text: string) {
  await user.clear(field);
  await user.click(field);
  await user.paste(text);
}

/** Fill every required field with values the client accepts. */
async function fillValidForm(user: UserEvent) {
  // The only facility is chosen already.
  await waitFor(() =>
    expect(screen.getByLabelText(/Facility/)).toHaveTextContent("Khartoum Teaching Hospital"),
  );
  await fill(user, screen.getByLabelText(/Given name \(English\)/), "Fatima");
  await fill(user, screen.getByLabelText(/Family name \(English\)/), "Abdelrahman");
  await fill(user, screen.getByLabelText(/Given name \(Arabic\)/), "فاطمة");
  await choose(user, /Sex/, "Female");
  await fill(user, screen.getByLabelText(/Birth date/), "1990-09-17");
  await fill(user, screen.getByLabelText(/National ID/), "20001092822");
  await fill(user, screen.getByLabelText(/Mobile phone/), "0912345678");
  await choose(user, /State/, "Khartoum");
  await fill(user, screen.getByLabelText(/Locality/), "Omdurman");
}

// Checking pointer-events means computing styles of every ancestor at each click: slow in jsdom.
function setupUser(): UserEvent {
  return userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
}

/** Opens the page, fills in a valid form and submits it; returns the user for what follows. */
async function submitValidForm(): Promise<UserEvent> {
  const user = setupUser();
  renderPage(<RegisterPatientPage />, "/patients/new");
  await fillValidForm(user);
  await user.click(screen.getByRole("button", { name: "Register patient" }));
  return user;
}

function posts(sent: Call[]) {
  return sent.filter((r) => r.method === "POST" && r.url.pathname === "/api/v1/patients");
}

// A whole form is filled in each test: slow on a busy machine.
describe("RegisterPatientPage", { timeout: 30_000 }, () => {
  it("shows the server's field errors beside the fields they name", async () => {
    signInAs(RECEPTIONIST);
    const sent = stubApi(({ method, url }) => {
      if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
      if (method === "POST" && url.pathname === "/api/v1/patients") {
        return json(
          {
            type: "https://nilecare.sd/problems/validation-error",
            title: "Unprocessable content",
            status: 422,
            detail: "Invalid input: address.state, phone",
            errors: [
              { field: "address.state", message: "Value error, not one of Sudan's 18 states" },
              { field: "phone", message: "Value error, this number is not in service" },
            ],
          },
          422,
        );
      }
      return undefined;
    });
    const user = await submitValidForm();

    const phone = screen.getByLabelText(/Mobile phone/);
    await waitFor(() => expect(phone).toHaveAccessibleDescription("this number is not in service"));
    expect(phone).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("not one of Sudan's 18 states")).toBeVisible();
    expect(screen.getByRole("alert")).toHaveTextContent("Some fields need correcting");
    expect(posts(sent)).toHaveLength(1);

    // Correcting the field takes its message away.
    await fill(user, phone, "0911111111");
    expect(phone).not.toHaveAccessibleDescription("this number is not in service");
  });

  it("checks the obvious on the client before sending anything", async () => {
    signInAs(RECEPTIONIST);
    const sent = stubApi(({ url }) =>
      url.pathname === "/api/v1/facilities" ? json(FACILITIES) : undefined,
    );
    const user = setupUser();
    renderPage(<RegisterPatientPage />, "/patients/new");
    await fillValidForm(user);
    const phone = screen.getByLabelText(/Mobile phone/);
    await fill(user, phone, "12345");
    const birthDate = screen.getByLabelText(/Birth date/);
    await fill(user, birthDate, "2999-01-01");
    const email = screen.getByLabelText(/E-mail/);
    await fill(user, email, "fatima at example");
    await user.click(screen.getByRole("button", { name: "Register patient" }));

    expect(phone).toHaveAccessibleDescription(/followed by 9 digits/);
    expect(birthDate).toHaveAccessibleDescription("The birth date cannot be in the future");
    expect(email).toHaveAccessibleDescription(/valid e-mail address/);
    expect(posts(sent)).toHaveLength(0);
  });

  it("sends the optional e-mail address in lower case", async () => {
    signInAs(RECEPTIONIST);
    const sent = stubApi(({ method, url }) => {
      if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
      if (method === "POST" && url.pathname === "/api/v1/patients") return json(CREATED, 201);
      return undefined;
    });
    const user = setupUser();
    renderPage(<RegisterPatientPage />, "/patients/new");
    await fillValidForm(user);
    await fill(user, screen.getByLabelText(/E-mail/), " Fatima.A@Example.org ");
    await user.click(screen.getByRole("button", { name: "Register patient" }));
    await waitFor(() => expect(posts(sent)).toHaveLength(1));
    expect(posts(sent)[0]?.body).toMatchObject({ email: "fatima.a@example.org" });
  });

  it("lists the possible duplicates and registers as new with confirm_new", async () => {
    signInAs(RECEPTIONIST);
    const sent = stubApi(({ method, url, body }) => {
      if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
      if (url.pathname === `/api/v1/patients/${FIRST.id}`) return json(FIRST);
      if (url.pathname === `/api/v1/patients/${SECOND.id}`) return json(SECOND);
      if (method === "POST" && url.pathname === "/api/v1/patients") {
        if ((body as { confirm_new?: boolean }).confirm_new) return json(CREATED, 201);
        return json(
          {
            type: "https://nilecare.sd/problems/possible-duplicate",
            title: "Conflict",
            status: 409,
            detail: "The patient may already be registered; confirm_new or link_to_patient_id",
            candidate_ids: [FIRST.id, SECOND.id],
            reasons: { [FIRST.id]: ["national_id", "phone"], [SECOND.id]: ["name_and_birth_date"] },
          },
          409,
        );
      }
      return undefined;
    });
    const user = await submitValidForm();

    const dialog = await screen.findByRole("dialog", {
      name: "This patient may already be registered",
    });
    const first = await within(dialog).findByRole("listitem", { name: "KTH-000101" });
    const second = await within(dialog).findByRole("listitem", { name: "KTH-000202" });
    expect(first).toHaveTextContent("Same national ID");
    expect(first).toHaveTextContent("Same phone number");
    expect(first).toHaveTextContent("Fatima Abdelrahman");
    expect(second).toHaveTextContent("Similar name and same birth date");
    expect(second).toHaveTextContent("Fatma Abdelrahman");
    // The warning is no failure: nothing in the dialog says the request failed.
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole("button", { name: "Register as a new patient" }));

    expect(await screen.findByRole("heading", { name: `Chart of ${CREATED.id}` })).toBeVisible();
    const [original, confirmed] = posts(sent);
    expect(original?.body).toMatchObject({ confirm_new: false, phone: "0912345678" });
    expect(confirmed?.body).toMatchObject({
      confirm_new: true,
      national_id: "20001092822",
      address: { state: "Khartoum", locality: "Omdurman" },
    });
    expect(confirmed?.body).not.toHaveProperty("link_to_patient_id");
  });

  it("links to the existing patient when the clerk says it is the same person", async () => {
    signInAs(RECEPTIONIST);
    const sent = stubApi(({ method, url, body }) => {
      if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
      if (url.pathname === `/api/v1/patients/${FIRST.id}`) return json(FIRST);
      if (method === "POST" && url.pathname === "/api/v1/patients") {
        if ((body as { link_to_patient_id?: string }).link_to_patient_id === FIRST.id) {
          return json(FIRST);
        }
        return json(
          {
            type: "https://nilecare.sd/problems/possible-duplicate",
            status: 409,
            candidate_ids: [FIRST.id],
            reasons: { [FIRST.id]: ["phone"] },
          },
          409,
        );
      }
      return undefined;
    });
    const user = await submitValidForm();
    const candidate = await screen.findByRole("listitem", { name: "KTH-000101" });
    await user.click(within(candidate).getByRole("button", { name: "This is the same person" }));

    expect(await screen.findByRole("heading", { name: `Chart of ${FIRST.id}` })).toBeVisible();
    expect(posts(sent).at(-1)?.body).toMatchObject({ link_to_patient_id: FIRST.id });
  });
});
