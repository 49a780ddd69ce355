import { Alert, Button, Card, CardContent, Stack, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { fieldErrorsOf, formLevelError } from "../../forms/fieldErrors";
import { TextInput } from "../../forms/TextInput";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { useChangePassword } from "./queries";

/** Change one's own password; the server's objections appear beside the matching input. */
export function PasswordCard() {
  const { t } = useTranslation("account");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword();
  const fields = fieldErrorsOf(change.error);
  const problem = formLevelError(change.error, fields, ["current_password", "new_password"]);

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
          {problem ? <ProblemAlert error={problem} /> : null}
          <TextInput
            label={t("password.current")}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
            error={fields.current_password}
            required
          />
          <TextInput
            label={t("password.new")}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={setNext}
            error={fields.new_password}
            hint={t("password.help")}
            required
          />
          <TextInput
            label={t("password.repeat")}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={setRepeat}
            error={mismatch ? t("password.mismatch") : undefined}
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
