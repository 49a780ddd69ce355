import { Alert, Button, Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import { useDisableMfa } from "./queries";

/** Turning two-step verification off takes the password and a current or backup code. */
export function MfaTurnOffForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation("account");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const disable = useDisableMfa();
  const fields = isProblem(disable.error) ? disable.error.fieldErrors : {};
  const formLevel = disable.error && Object.keys(fields).length === 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    disable.mutate({ password, code: code.trim() }, { onSuccess: onDone });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate sx={{ mt: 2, maxWidth: 420 }}>
      <Typography>{t("mfa.turnOffIntro")}</Typography>
      {formLevel && (
        <Alert severity="error">
          {isProblem(disable.error) ? disable.error.message : t("common:networkError")}
        </Alert>
      )}
      <TextField
        label={t("mfa.password")}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={Boolean(fields.password)}
        helperText={fields.password}
        required
      />
      <TextField
        label={t("mfa.code")}
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={Boolean(fields.code)}
        helperText={fields.code}
        slotProps={{ htmlInput: { inputMode: "numeric", dir: "ltr" } }}
        required
      />
      <Stack direction="row" spacing={1}>
        <Button type="submit" variant="contained" color="error" disabled={disable.isPending}>
          {t("mfa.confirmTurnOff")}
        </Button>
        <Button onClick={onCancel}>{t("common:cancel")}</Button>
      </Stack>
    </Stack>
  );
}
