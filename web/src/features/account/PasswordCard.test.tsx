import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Providers } from "../../App";
import { json, stubApi } from "../../test/api";
import { PasswordCard } from "./PasswordCard";

afterEach(() => vi.unstubAllGlobals());

/** Fills in the card and presses its button. */
async function changePassword(current: string, next: string, repeated: string) {
  render(
    <Providers language="en">
      <PasswordCard />
    </Providers>,
  );
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/Current password/), current);
  await user.type(screen.getByLabelText(/^New password/), next);
  await user.type(screen.getByLabelText(/Repeat the new password/), repeated);
  await user.click(screen.getByRole("button", { name: "Change password" }));
}

describe("PasswordCard", () => {
  it("shows a wrong current password beside that field", async () => {
    const calls = stubApi(() =>
      json(
        {
          status: 422,
          detail: "current_password: is not correct",
          errors: [{ field: "current_password", message: "is not correct" }],
        },
        422,
      ),
    );
    await changePassword("wrong-one", "a long new passphrase", "a long new passphrase");
    expect(await screen.findByText("is not correct")).toBeInTheDocument();
    expect(screen.getByLabelText(/Current password/)).toHaveAttribute("aria-invalid", "true");
    expect(calls.map((c) => c.url.pathname)).toEqual(["/api/v1/auth/password"]);
  });

  it("refuses two different new passwords without asking the server", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    await changePassword("current", "a long new passphrase", "another passphrase");
    expect(screen.getByText("The two new passwords differ.")).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});
