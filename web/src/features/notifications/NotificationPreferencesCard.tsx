import {
  Alert,
  Button,
  Card,
  CardContent,
  Checkbox,
  Divider,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { LANGUAGES } from "../../i18n/languages";
import { Loading } from "../../layout/Loading";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { PushDeviceControl } from "./PushDeviceControl";
import { usePreferences, useSavePreferences, type NotificationPreferences } from "./queries";

const CHANNELS = ["email", "sms", "push"] as const;
// Suggested when quiet hours are first turned on.
const DEFAULT_QUIET_HOURS = { start: "22:00", end: "07:00" };

/** The language of messages, the channels besides the app, quiet hours, and push on this
 * device (a setting of the browser, not of the user: it is not part of the saved form). */
export function NotificationPreferencesCard() {
  const { t } = useTranslation("notifications");
  const preferences = usePreferences();
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
          {t("preferences.title")}
        </Typography>
        {preferences.isPending && <Loading />}
        {preferences.error && (
          <ProblemAlert error={preferences.error} title={t("preferences.loadError")} />
        )}
        {preferences.data && <PreferencesForm saved={preferences.data} />}
        <Divider sx={{ my: 3 }} />
        <PushDeviceControl />
      </CardContent>
    </Card>
  );
}

function PreferencesForm({ saved }: { saved: NotificationPreferences }) {
  const { t } = useTranslation("notifications");
  const [draft, setDraft] = useState(saved);
  const save = useSavePreferences();
  const change = (next: Partial<NotificationPreferences>) => {
    save.reset();
    setDraft((old) => ({ ...old, ...next }));
  };
  const quiet = draft.quiet_hours ?? null;

  return (
    <Stack
      component="form"
      spacing={2}
      sx={{ maxWidth: 480 }}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft);
      }}
    >
      <TextField
        select
        label={t("preferences.language")}
        value={draft.language}
        onChange={(event) => change({ language: event.target.value as typeof draft.language })}
      >
        {LANGUAGES.map((language) => (
          <MenuItem key={language} value={language}>
            {t(`common:languages.${language}`)}
          </MenuItem>
        ))}
      </TextField>
      <FormControl component="fieldset">
        <FormLabel component="legend">{t("preferences.channels")}</FormLabel>
        <FormGroup>
          {CHANNELS.map((channel) => (
            <FormControlLabel
              key={channel}
              label={t(`preferences.${channel}`)}
              control={
                <Checkbox
                  checked={draft.channels[channel]}
                  onChange={(event) =>
                    change({ channels: { ...draft.channels, [channel]: event.target.checked } })
                  }
                />
              }
            />
          ))}
        </FormGroup>
        <FormHelperText>{t("preferences.inApp")}</FormHelperText>
      </FormControl>
      <FormControl component="fieldset">
        <FormControlLabel
          label={t("preferences.quietHours")}
          control={
            <Switch
              checked={quiet !== null}
              onChange={(event) =>
                change({ quiet_hours: event.target.checked ? DEFAULT_QUIET_HOURS : null })
              }
            />
          }
        />
        <FormHelperText>{t("preferences.quietHoursHelp")}</FormHelperText>
        {quiet && (
          <Stack direction="row" spacing={2} sx={{ mt: 1 }}>
            <TextField
              type="time"
              label={t("preferences.from")}
              value={quiet.start}
              onChange={(event) => change({ quiet_hours: { ...quiet, start: event.target.value } })}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { dir: "ltr" } }}
            />
            <TextField
              type="time"
              label={t("preferences.until")}
              value={quiet.end}
              onChange={(event) => change({ quiet_hours: { ...quiet, end: event.target.value } })}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { dir: "ltr" } }}
            />
          </Stack>
        )}
      </FormControl>
      {save.error && <ProblemAlert error={save.error} />}
      {save.isSuccess && (
        <Alert severity="success" role="status">
          {t("preferences.saved")}
        </Alert>
      )}
      <Stack direction="row">
        <Button type="submit" variant="contained" disabled={save.isPending}>
          {t("preferences.save")}
        </Button>
      </Stack>
    </Stack>
  );
}
