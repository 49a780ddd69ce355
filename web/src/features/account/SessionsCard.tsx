import {
  Button,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  List,
  ListItem,
  ListItemText,
  Stack,
  Typography,
} from "@mui/material";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { useRevokeSessions, useSessions } from "./queries";

/** The user's active sessions; any but this one can be signed out. */
export function SessionsCard() {
  const { t } = useTranslation("account");
  const { language } = useLanguage();
  const sessions = useSessions();
  const revoke = useRevokeSessions();
  const others = (sessions.data ?? []).filter((s) => !s.current);
  const error = sessions.error ?? revoke.error;

  return (
    <Card>
      <CardContent>
        <Stack
          direction="row"
          sx={{ justifyContent: "space-between", alignItems: "center", flexWrap: "wrap", gap: 1 }}
        >
          <Typography variant="h6" component="h2">
            {t("sessions.title")}
          </Typography>
          {others.length > 1 && (
            <Button
              color="error"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(others.map((s) => s.id))}
            >
              {t("sessions.revokeOthers")}
            </Button>
          )}
        </Stack>
        {error && <ProblemAlert error={error} sx={{ mt: 1 }} />}
        {sessions.isPending && <CircularProgress size={24} aria-label={t("common:loading")} />}
        {sessions.data && (
          <List aria-label={t("sessions.title")}>
            {sessions.data.map((session) => {
              const device = session.user_agent || t("sessions.unknownDevice");
              return (
                <ListItem
                  key={session.id}
                  divider
                  secondaryAction={
                    session.current ? (
                      <Chip size="small" color="primary" label={t("sessions.current")} />
                    ) : (
                      <Button
                        size="small"
                        disabled={revoke.isPending}
                        aria-label={t("sessions.revokeSession", { device })}
                        onClick={() => revoke.mutate([session.id])}
                      >
                        {t("sessions.revoke")}
                      </Button>
                    )
                  }
                >
                  <ListItemText
                    primary={
                      <bdi dir="ltr">
                        {device}
                        {session.ip ? ` · ${session.ip}` : ""}
                      </bdi>
                    }
                    secondary={`${t("sessions.started", { when: formatDateTime(session.created_at, language) })} · ${t("sessions.lastUsed", { when: formatDateTime(session.last_used_at, language) })}`}
                    sx={{ paddingInlineEnd: 12 }}
                  />
                </ListItem>
              );
            })}
          </List>
        )}
        {sessions.data && others.length === 0 && (
          <Typography color="text.secondary">{t("sessions.none")}</Typography>
        )}
      </CardContent>
    </Card>
  );
}
