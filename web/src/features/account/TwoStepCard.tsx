import { Alert, Button, Card, CardContent, Typography } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { MfaEnrolment } from "../../auth/MfaEnrolment";
import type { Me } from "../../auth/store";
import { loadMe } from "../../auth/useSignIn";
import { MfaTurnOffForm } from "./MfaTurnOffForm";

type Mode = "idle" | "enrol" | "turnOff";

/** Whether two-step verification is on; set it up (the login page's enrolment) or turn it off. */
export function TwoStepCard({ me }: { me: Me }) {
  const { t } = useTranslation("account");
  const [mode, setMode] = useState<Mode>("idle");
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("mfa.title")}
        </Typography>
        {notice && (
          <Alert severity="success" sx={{ mb: 2 }} onClose={() => setNotice(null)}>
            {notice}
          </Alert>
        )}
        <Typography data-testid="mfa-status">
          {me.mfa_enabled ? t("mfa.on") : t("mfa.off")}
        </Typography>
        {me.mfa_enrollment_required && !me.mfa_enabled && (
          <Alert severity="warning" sx={{ mt: 1 }}>
            {t("mfa.requiredByRole")}
          </Alert>
        )}
        {mode === "idle" && (
          <Button
            sx={{ mt: 2 }}
            variant={me.mfa_enabled ? "outlined" : "contained"}
            color={me.mfa_enabled ? "error" : "primary"}
            onClick={() => {
              setNotice(null);
              setMode(me.mfa_enabled ? "turnOff" : "enrol");
            }}
          >
            {me.mfa_enabled ? t("mfa.turnOff") : t("mfa.setUp")}
          </Button>
        )}
        {mode === "enrol" && (
          <MfaEnrolment
            intro={t("mfa.intro")}
            onDone={() => {
              setMode("idle");
              setNotice(t("mfa.turnedOn"));
              void loadMe();
            }}
          />
        )}
        {mode === "turnOff" && (
          <MfaTurnOffForm
            onCancel={() => setMode("idle")}
            onDone={() => {
              setMode("idle");
              setNotice(t("mfa.turnedOff"));
            }}
          />
        )}
      </CardContent>
    </Card>
  );
}
