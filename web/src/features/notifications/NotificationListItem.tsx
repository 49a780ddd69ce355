import DoneIcon from "@mui/icons-material/Done";
import {
  IconButton,
  Link,
  ListItem,
  ListItemIcon,
  ListItemText,
  Stack,
  Tooltip,
  Typography,
} from "@mui/material";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link as RouterLink } from "react-router-dom";

import { ROLES } from "../../auth/roles";
import { hasRole, useSession } from "../../auth/store";
import { formatDateTime } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { useMarkRead, type NotificationRead } from "./queries";
import { SeverityIcon } from "./SeverityIcon";

/** One notification: severity, title (bold while unread), body, time in Khartoum, and the
 * way to mark it read or open the patient's chart it is about. */
export function NotificationListItem({
  notification,
  onNavigate,
}: {
  notification: NotificationRead;
  /** Called when a link inside is followed (the bell closes its popover). */
  onNavigate?: () => void;
}) {
  const { t } = useTranslation("notifications");
  const { language } = useLanguage();
  const me = useSession((s) => s.me);
  const markRead = useMarkRead();
  const unread = notification.read_at === null;
  const chart = notification.patient_id !== null && hasRole(me, ROLES.patientChart);
  const item = useRef<HTMLLIElement>(null);

  return (
    <ListItem
      ref={item}
      // Focus lands here once marked, as the button goes: not lost to the page.
      tabIndex={-1}
      divider
      alignItems="flex-start"
      secondaryAction={
        unread && (
          <Tooltip title={t("markRead")}>
            <IconButton
              edge="end"
              disabled={markRead.isPending}
              aria-label={t("markReadOf", { title: notification.title })}
              onClick={() => {
                item.current?.focus();
                markRead.mutate(notification.id);
              }}
            >
              <DoneIcon />
            </IconButton>
          </Tooltip>
        )
      }
    >
      <ListItemIcon sx={{ minWidth: 40, mt: 0.5 }}>
        <SeverityIcon severity={notification.severity} />
      </ListItemIcon>
      <ListItemText
        sx={{ paddingInlineEnd: 4 }}
        primary={
          <Typography component="span" sx={{ fontWeight: unread ? 700 : 400 }}>
            {notification.title}
          </Typography>
        }
        secondary={
          <Stack component="span" sx={{ gap: 0.5 }}>
            {notification.body && <span>{notification.body}</span>}
            <span>
              {formatDateTime(notification.created_at, language)}
              {unread && ` · ${t("unread")}`}
            </span>
            {chart && (
              <Link
                component={RouterLink}
                to={`/patients/${notification.patient_id}`}
                onClick={onNavigate}
              >
                {t("openChart")}
              </Link>
            )}
          </Stack>
        }
        slotProps={{ secondary: { component: "span" } }}
      />
    </ListItem>
  );
}
