import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";

import { Providers } from "../App";
import { buildMe, json, stubApi } from "../test/api";
import { LoginPage } from "./LoginPage";
import { useSession } from "./store";

const ME = buildMe({
  id: "u1",
  email: "doctor@demo.nilecare.sd",
  full_name: "Demo Doctor",
  roles: ["doctor"],
  mfa_enabled: true,
  session_id: "s1",
});

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
    const calls = stubApi(({ url, body }) => {
      if (url.pathname === "/api/v1/auth/login") {
        return (body as { otp: string | null }).otp === "123456"
          ? json({
              access_token: "a",
              refresh_token: "r",
              expires_in: 900,
              user: ME,
              mfa_enrollment_required: false,
            })
          : json({ status: 401, type: "x/mfa-required", mfa_required: true }, 401);
      }
      if (url.pathname === "/api/v1/auth/me") return json(ME);
      return undefined;
    });
    const user = userEvent.setup({ delay: null });
    renderLogin();
    await user.type(screen.getByLabelText(/E-mail/), "doctor@demo.nilecare.sd");
    await user.type(screen.getByLabelText(/Password/), "Blue-Nile-Sunset-2026");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await user.type(await screen.findByLabelText(/One-time code/), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    expect(await screen.findByText("home page")).toBeInTheDocument();
    expect(calls.filter((c) => c.url.pathname === "/api/v1/auth/login")).toHaveLength(2);
    expect(useSession.getState().me?.full_name).toBe("Demo Doctor");
  });

  it("tells the user that the credentials are wrong without saying which", async () => {
    stubApi(() => json({ status: 401, type: "x/invalid-credentials" }, 401));
    const user = userEvent.setup({ delay: null });
    renderLogin();
    await user.type(screen.getByLabelText(/E-mail/), "nobody@example.org");
    await user.type(screen.getByLabelText(/Password/), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("e-mail or password is not correct");
  });
});
