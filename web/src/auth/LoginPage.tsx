import { Alert, Box, Button, Card, CardContent, Stack, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate, type Location } from "react-router-dom";

import { isProblem } from "../api/problem";
import { TextInput } from "../forms/TextInput";
import { LanguageSwitch } from "../layout/LanguageSwitch";
import { MfaEnrolment } from "./MfaEnrolment";
import { useSession } from "./store";
import { loadMe, logIn } from "./useSignIn";

type Step = "credentials" | "otp" | "enrol";

function messageKey(error: unknown): string {
  if (!isProblem(error)) return "common:networkError";
  if (error.slug === "invalid-otp") return "invalidOtp";
  if (error.status === 429 || error.status === 423) return "locked";
  return "invalidCredentials";
}

export function LoginPage() {
  const { t } = useTranslation("auth");
  const navigate = useNavigate();
  const location = useLocation();
  const reason = useSession((s) => s.reason);
  const [step, setStep] = useState<Step>("credentials");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [otp, setOtp] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const from = (location.state as { from?: Location } | null)?.from?.pathname ?? "/";

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await logIn(email, password, step === "otp" ? otp : undefined);
      if (answer.mfa_enrollment_required) {
        setStep("enrol");
        return;
      }
      await loadMe();
      navigate(from, { replace: true });
    } catch (problem) {
      if (isProblem(problem) && problem.body.mfa_required && step === "credentials") {
        setStep("otp");
      } else {
        setError(messageKey(problem));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box sx={{ minHeight: "100vh", display: "grid", placeItems: "center", p: 2 }}>
      <Card sx={{ width: "100%", maxWidth: 420 }}>
        <CardContent>
          <Stack direction="row" sx={{ justifyContent: "space-between", alignItems: "center" }}>
            <Typography variant="h5" component="h1">
              {t("title")}
            </Typography>
            <LanguageSwitch />
          </Stack>
          {reason && step === "credentials" && (
            <Alert severity="info" sx={{ mt: 2 }}>
              {t(reason)}
            </Alert>
          )}
          {error && (
            <Alert severity="error" sx={{ mt: 2 }} role="alert">
              {t(error)}
            </Alert>
          )}
          {step === "enrol" ? (
            <MfaEnrolment
              onDone={() => {
                setOtp("");
                setStep("otp");
              }}
            />
          ) : (
            <Stack component="form" spacing={2} sx={{ mt: 2 }} onSubmit={submit} noValidate>
              {step === "credentials" ? (
                <>
                  <TextInput
                    label={t("email")}
                    type="email"
                    autoComplete="username"
                    value={email}
                    onChange={setEmail}
                    required
                    autoFocus
                  />
                  <TextInput
                    label={t("password")}
                    type="password"
                    autoComplete="current-password"
                    value={password}
                    onChange={setPassword}
                    required
                  />
                </>
              ) : (
                <TextInput
                  label={t("otp")}
                  hint={t("otpHelp")}
                  autoComplete="one-time-code"
                  slotProps={{ htmlInput: { inputMode: "numeric", dir: "ltr" } }}
                  value={otp}
                  onChange={setOtp}
                  required
                  autoFocus
                />
              )}
              <Button type="submit" variant="contained" size="large" disabled={busy}>
                {step === "credentials" ? t("signIn") : t("verify")}
              </Button>
              {step === "otp" && (
                <Button onClick={() => setStep("credentials")} disabled={busy}>
                  {t("back")}
                </Button>
              )}
            </Stack>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
