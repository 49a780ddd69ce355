import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Providers } from "../../App";
import { json, stubApi } from "../../test/api";
import type { Facility } from "../facilities/queries";
import type { Role } from "./queries";
import { UserFormDialog } from "./UserFormDialog";

const roles: Role[] = [
  {
    name: "doctor",
    description: "Doctor",
    permissions: [],
    all_facilities: false,
    mfa_required: false,
  },
  {
    name: "nurse",
    description: "Nurse",
    permissions: [],
    all_facilities: false,
    mfa_required: false,
  },
];

const facilities = [{ id: "f1", name: "Khartoum Teaching Hospital" }] as Facility[];

async function fillAndSubmit() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/E-mail/), "amna@example.sd");
  await user.type(screen.getByLabelText(/Full name/), "Amna Osman");
  await user.type(screen.getByLabelText(/Initial password/), "short");
  await user.click(screen.getByLabelText("Nurse"));
  await user.click(screen.getByLabelText("Khartoum Teaching Hospital"));
  await user.click(screen.getByRole("button", { name: "Create user" }));
}

function renderForm() {
  const onDone = vi.fn();
  render(
    <Providers language="en">
      <UserFormDialog
        user={null}
        roles={roles}
        facilities={facilities}
        onClose={() => {}}
        onDone={onDone}
      />
    </Providers>,
  );
  return onDone;
}

afterEach(() => vi.unstubAllGlobals());

describe("UserFormDialog", () => {
  it("shows the server's password objection beside the password field", async () => {
    const calls = stubApi(() =>
      json(
        {
          type: "https://nilecare.sd/problems/validation-error",
          status: 422,
          detail: "password: must be at least 12 characters long",
          errors: [{ field: "password", message: "must be at least 12 characters long" }],
        },
        422,
      ),
    );
    const onDone = renderForm();
    await fillAndSubmit();
    const password = screen.getByLabelText(/Initial password/);
    expect(await screen.findByText("must be at least 12 characters long")).toBeInTheDocument();
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(password).toHaveAccessibleDescription("must be at least 12 characters long");
    expect(screen.getByLabelText(/E-mail/)).toHaveAttribute("aria-invalid", "false");
    expect(onDone).not.toHaveBeenCalled();
    expect(calls.map((c) => c.body)).toEqual([
      {
        email: "amna@example.sd",
        full_name: "Amna Osman",
        preferred_language: "ar",
        password: "short",
        roles: ["nurse"],
        facility_ids: ["f1"],
      },
    ]);
  });

  it("shows a taken e-mail beside the e-mail field", async () => {
    stubApi(() =>
      json(
        {
          type: "https://nilecare.sd/problems/email-taken",
          status: 409,
          detail: "A user with this e-mail address exists",
        },
        409,
      ),
    );
    renderForm();
    await fillAndSubmit();
    expect(await screen.findByText("A user with this e-mail address exists")).toBeInTheDocument();
    expect(screen.getByLabelText(/E-mail/)).toHaveAccessibleDescription(
      "A user with this e-mail address exists",
    );
  });

  it("asks for a role before sending anything", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/E-mail/), "amna@example.sd");
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(screen.getByText("Choose at least one role.")).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});
