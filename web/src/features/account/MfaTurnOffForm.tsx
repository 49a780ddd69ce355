import { Button, Stack, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { fieldErrorsOf, formLevelError } from "../../forms/fieldErrors";
import { TextInput } from "../../forms/TextInput";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { useDisableMfa } from "./queries";

/** Turning two-step verification off takes the password and a current or backup code. */
export function MfaTurnOffForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation("account");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const disable = useDisableMfa();
  const fields = fieldErrorsOf(disable.error);
  const problem = formLevelError(disable.error, fields, ["password", "code"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    disable.mutate({ password, code: code.trim() }, { onSuccess: onDone });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate sx={{ mt: 2, maxWidth: 420 }}>
      <Typography>{t("mfa.turnOffIntro")}</Typography>
      {problem ? <ProblemAlert error={problem} /> : null}
      <TextInput
        label={t("mfa.password")}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        error={fields.password}
        required
      />
      <TextInput
        label={t("mfa.code")}
        autoComplete="one-time-code"
        value={code}
        onChange={setCode}
        error={fields.code}
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
