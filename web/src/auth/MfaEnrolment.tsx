import { Alert, Box, Button, Stack, TextField, Typography } from "@mui/material";
import { useMutation, useQuery } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { api, call } from "../api/client";

/** TOTP enrolment with the restricted token a must-enrol role gets at login (or, from the
 * account page, with a full one): the key as a QR code and text, a code to confirm it, then the
 * backup codes (shown once). `intro` replaces the login page's "your role requires" text. */
export function MfaEnrolment({ onDone, intro }: { onDone: () => void; intro?: string }) {
  const { t } = useTranslation("auth");
  const [code, setCode] = useState("");
  const enrolment = useQuery({
    queryKey: ["mfa-enrolment"],
    queryFn: async () => {
      const started = await call(api.POST("/api/v1/auth/mfa/enrollment"));
      return { ...started, qr: await QRCode.toDataURL(started.provisioning_uri) };
    },
    staleTime: Infinity,
    gcTime: 0,
  });
  const confirm = useMutation({
    mutationFn: (value: string) =>
      call(api.POST("/api/v1/auth/mfa/enrollment/confirmation", { body: { code: value } })),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate(code);
  }

  if (confirm.data) {
    return (
      <Stack spacing={2} sx={{ mt: 2 }}>
        <Typography variant="h6">{t("enrol.backupTitle")}</Typography>
        <Typography>{t("enrol.backupIntro")}</Typography>
        <Box
          component="ul"
          dir="ltr"
          sx={{ fontFamily: "monospace", columns: 2 }}
          data-testid="backup-codes"
        >
          {confirm.data.backup_codes.map((backup) => (
            <li key={backup}>{backup}</li>
          ))}
        </Box>
        <Button variant="contained" onClick={onDone}>
          {t("enrol.done")}
        </Button>
      </Stack>
    );
  }

  return (
    <Stack component="form" spacing={2} sx={{ mt: 2 }} onSubmit={submit}>
      <Typography variant="h6">{t("enrol.title")}</Typography>
      <Typography>{intro ?? t("enrol.intro")}</Typography>
      {enrolment.data && (
        <>
          <Box
            component="img"
            src={enrolment.data.qr}
            alt=""
            sx={{ width: 180, alignSelf: "center" }}
          />
          <TextField
            label={t("enrol.secret")}
            value={enrolment.data.secret}
            slotProps={{
              input: { readOnly: true },
              htmlInput: { dir: "ltr", "data-testid": "mfa-secret" },
            }}
          />
        </>
      )}
      {(enrolment.error || confirm.error) && (
        <Alert severity="error" role="alert">
          {t("invalidOtp")}
        </Alert>
      )}
      <TextField
        label={t("otp")}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        slotProps={{ htmlInput: { inputMode: "numeric", dir: "ltr" } }}
        required
      />
      <Button type="submit" variant="contained" disabled={confirm.isPending || !enrolment.data}>
        {t("enrol.confirm")}
      </Button>
    </Stack>
  );
}
