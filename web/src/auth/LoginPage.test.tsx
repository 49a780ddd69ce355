import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";

import { Providers } from "../App";
import { LoginPage } from "./LoginPage";
import { useSession } from "./store";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

const ME = {
  id: "u1",
  email: "doctor@demo.nilecare.sd",
  full_name: "Demo Doctor",
  roles: ["doctor"],
  facility_ids: [],
  is_active: true,
  mfa_enabled: true,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  permissions: [],
  all_facilities: false,
  session_id: "s1",
  mfa_enrollment_required: false,
};

function renderLogin() {
  render(
    <Providers language="en">
      <MemoryRouter initialEntries={["/login"]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<p>home page</p>} />
        </Routes>
      </MemoryRouter>
    </Providers>,
  );
}

describe("the login page", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    useSession.getState().clear();
  });

  it("asks for the one-time code when the account has MFA, then signs in with it", async () => {
    const logins: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const path = new URL(request.url).pathname;
        if (path === "/api/v1/auth/login") {
          const body = (await request.json()) as { otp: string | null };
          logins.push(body);
          return body.otp === "123456"
            ? json(200, {
                access_token: "a",
                refresh_token: "r",
                expires_in: 900,
                user: ME,
                mfa_enrollment_required: false,
              })
            : json(401, { status: 401, type: "x/mfa-required", mfa_required: true });
        }
        if (path === "/api/v1/auth/me") return json(200, ME);
        return json(404, {});
      }),
    );
    const user = userEvent.setup({ delay: null });
    renderLogin();
    await user.type(screen.getByLabelText(/E-mail/), "doctor@demo.nilecare.sd");
    await user.type(screen.getByLabelText(/Password/), "Blue-Nile-Sunset-2026");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await user.type(await screen.findByLabelText(/One-time code/), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    expect(await screen.findByText("home page")).toBeInTheDocument();
    expect(logins).toHaveLength(2);
    expect(useSession.getState().me?.full_name).toBe("Demo Doctor");
  });

  it("tells the user that the credentials are wrong without saying which", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(401, { status: 401, type: "x/invalid-credentials" })),
    );
    const user = userEvent.setup({ delay: null });
    renderLogin();
    await user.type(screen.getByLabelText(/E-mail/), "nobody@example.org");
    await user.type(screen.getByLabelText(/Password/), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("e-mail or password is not correct");
  });
});
