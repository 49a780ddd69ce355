import {
  Alert,
  AlertTitle,
  FormControl,
  FormControlLabel,
  FormHelperText,
  Stack,
  Switch,
} from "@mui/material";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { pushSupported } from "./pushDevice";
import {
  PermissionRefused,
  useDisablePush,
  useEnablePush,
  usePushDevice,
  useVapidKey,
} from "./queries";

/** "Push notifications on this device": whether this browser can, its permission, and a switch
 * that subscribes it (permission, service worker, push subscription, registered with the API)
 * or unsubscribes it. */
export function PushDeviceControl() {
  const { t } = useTranslation("notifications");
  const supported = pushSupported();
  const key = useVapidKey(supported);
  const device = usePushDevice(supported);
  const enable = useEnablePush();
  const disable = useDisablePush();

  if (!supported) {
    return (
      <FormControl component="fieldset">
        <FormControlLabel label={t("push.label")} control={<Switch checked={false} disabled />} />
        <FormHelperText>{t("push.unsupported")}</FormHelperText>
      </FormControl>
    );
  }
  const permission = Notification.permission;
  const on = Boolean(device.data?.subscription && device.data.subscriptionId);
  const notConfigured = isProblem(key.error) && key.error.slug === "push-not-configured";
  const busy = enable.isPending || disable.isPending;
  const usable = key.data !== undefined && device.data !== undefined && permission !== "denied";

  return (
    <Stack spacing={1}>
      <FormControl component="fieldset">
        <FormControlLabel
          label={t("push.label")}
          control={
            <Switch
              checked={on}
              disabled={!usable || busy}
              onChange={(event) => {
                enable.reset();
                disable.reset();
                if (event.target.checked && key.data) enable.mutate(key.data);
                else if (device.data) disable.mutate(device.data);
              }}
            />
          }
        />
        <FormHelperText>{t(on ? "push.on" : "push.off")}</FormHelperText>
        <FormHelperText>{t(`push.permission.${permission}`)}</FormHelperText>
      </FormControl>
      {notConfigured && (
        <Alert severity="info" role="status">
          {t("push.notConfigured")}
        </Alert>
      )}
      {key.error && !notConfigured && (
        <ProblemAlert error={key.error} title={t("push.loadError")} />
      )}
      {device.error && <ProblemAlert error={device.error} title={t("push.loadError")} />}
      {enable.error && <PushError error={enable.error} title={t("push.enableFailed")} />}
      {disable.error && <PushError error={disable.error} title={t("push.disableFailed")} />}
    </Stack>
  );
}

/** Why subscribing or unsubscribing failed, in words: the API's problem, the permission, or
 * the browser's DOMException (AbortError: it has no push service to reach). */
function PushError({ error, title }: { error: Error; title: string }) {
  const { t } = useTranslation("notifications");
  if (isProblem(error)) return <ProblemAlert error={error} title={title} />;
  const refused =
    error instanceof PermissionRefused ||
    (error instanceof DOMException && error.name === "NotAllowedError");
  const noPushService = error instanceof DOMException && error.name === "AbortError";
  return (
    <Alert severity="error" role="alert">
      <AlertTitle>{title}</AlertTitle>
      {refused
        ? t("push.refused")
        : noPushService
          ? t("push.noPushService")
          : t("push.failed", { detail: error.message })}
    </Alert>
  );
}
