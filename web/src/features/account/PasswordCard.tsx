import { Alert, Button, Card, CardContent, Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import { useChangePassword } from "./queries";

/** Change one's own password; the server's objections appear beside the matching input. */
export function PasswordCard() {
  const { t } = useTranslation("account");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword();
  const fields = isProblem(change.error) ? change.error.fieldErrors : {};
  const formLevel = change.error && Object.keys(fields).length === 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent("");
          setNext("");
          setRepeat("");
        },
      },
    );
  }

  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("password.title")}
        </Typography>
        <Stack component="form" spacing={2} onSubmit={submit} noValidate sx={{ maxWidth: 420 }}>
          {change.isSuccess && <Alert severity="success">{t("password.changed")}</Alert>}
          {formLevel && (
            <Alert severity="error">
              {isProblem(change.error) ? change.error.message : t("common:networkError")}
            </Alert>
          )}
          <TextField
            label={t("password.current")}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            error={Boolean(fields.current_password)}
            helperText={fields.current_password}
            required
          />
          <TextField
            label={t("password.new")}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            error={Boolean(fields.new_password)}
            helperText={fields.new_password ?? t("password.help")}
            required
          />
          <TextField
            label={t("password.repeat")}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            error={mismatch}
            helperText={mismatch ? t("password.mismatch") : undefined}
            required
          />
          <Button
            type="submit"
            variant="contained"
            disabled={change.isPending}
            sx={{ alignSelf: "start" }}
          >
            {t("password.submit")}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}
