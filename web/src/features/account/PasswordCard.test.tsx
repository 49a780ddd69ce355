import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Providers } from "../../App";
import { PasswordCard } from "./PasswordCard";

afterEach(() => vi.unstubAllGlobals());

describe("PasswordCard", () => {
  it("shows a wrong current password beside that field", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        expect(request.url).toMatch(/\/api\/v1\/auth\/password$/);
        return new Response(
          JSON.stringify({
            status: 422,
            detail: "current_password: is not correct",
            errors: [{ field: "current_password", message: "is not correct" }],
          }),
          { status: 422, headers: { "Content-Type": "application/problem+json" } },
        );
      }),
    );
    render(
      <Providers language="en">
        <PasswordCard />
      </Providers>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Current password/), "wrong-one");
    await user.type(screen.getByLabelText(/^New password/), "a long new passphrase");
    await user.type(screen.getByLabelText(/Repeat the new password/), "a long new passphrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("is not correct")).toBeInTheDocument();
    expect(screen.getByLabelText(/Current password/)).toHaveAttribute("aria-invalid", "true");
  });

  it("refuses two different new passwords without asking the server", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    render(
      <Providers language="en">
        <PasswordCard />
      </Providers>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Current password/), "current");
    await user.type(screen.getByLabelText(/^New password/), "a long new passphrase");
    await user.type(screen.getByLabelText(/Repeat the new password/), "another passphrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(screen.getByText("The two new passwords differ.")).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});
