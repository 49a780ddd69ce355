import NotificationsIcon from "@mui/icons-material/Notifications";
import {
  Badge,
  Box,
  Button,
  IconButton,
  List,
  Popover,
  Stack,
  Tooltip,
  Typography,
  useTheme,
} from "@mui/material";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link as RouterLink } from "react-router-dom";

import { formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { QueryState } from "../../layout/QueryState";
import { NotificationListItem } from "./NotificationListItem";
import { useMarkAllRead, useNotificationFeed, useNotifications, useUnreadCount } from "./queries";

const LATEST = 8;

/** The app bar's bell: the unread count, kept live, and the latest notifications in a popover. */
export function NotificationBell() {
  const { t } = useTranslation("notifications");
  const { language } = useLanguage();
  const anchor = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [open, setOpen] = useState(false);
  useNotificationFeed();
  const unread = useUnreadCount().data ?? 0;
  const latest = useNotifications({ limit: LATEST, offset: 0 }, open);
  const markAll = useMarkAllRead();
  const close = () => setOpen(false);
  // Popover positions are physical: hang from the bell's end edge in either direction.
  const end = useTheme().direction === "rtl" ? "left" : "right";

  return (
    <>
      <Tooltip title={t("bell")}>
        <IconButton
          ref={anchor}
          color="inherit"
          aria-label={t("bellUnread", { count: unread, n: formatNumber(unread, language) })}
          aria-haspopup="dialog"
          aria-expanded={open}
          onClick={() => setOpen(true)}
        >
          <Badge
            badgeContent={formatNumber(unread, language)}
            invisible={unread === 0}
            color="error"
            data-testid="unread-count"
          >
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Popover
        open={open}
        anchorEl={anchor.current}
        onClose={close}
        anchorOrigin={{ vertical: "bottom", horizontal: end }}
        transformOrigin={{ vertical: "top", horizontal: end }}
        slotProps={{
          paper: {
            role: "dialog",
            "aria-label": t("latest"),
            sx: { width: 400, maxWidth: "95vw" },
          },
        }}
      >
        <Stack
          direction="row"
          sx={{ alignItems: "center", justifyContent: "space-between", px: 2, pt: 1.5, gap: 1 }}
        >
          {/* Focus lands here once all are marked, as the button goes: not lost to the page. */}
          <Typography variant="subtitle1" component="h2" ref={heading} tabIndex={-1}>
            {t("latest")}
          </Typography>
          {unread > 0 && (
            <Button
              size="small"
              disabled={markAll.isPending}
              onClick={() => {
                heading.current?.focus();
                markAll.mutate();
              }}
            >
              {t("markAllRead")}
            </Button>
          )}
        </Stack>
        <Box sx={{ maxHeight: 420, overflowY: "auto", px: 1 }}>
          <QueryState query={latest} empty={t("empty")}>
            {(page) => (
              <List aria-label={t("latest")}>
                {page.items.map((notification) => (
                  <NotificationListItem
                    key={notification.id}
                    notification={notification}
                    onNavigate={close}
                  />
                ))}
              </List>
            )}
          </QueryState>
        </Box>
        <Box sx={{ p: 1, textAlign: "center" }}>
          <Button component={RouterLink} to="/notifications" onClick={close}>
            {t("seeAll")}
          </Button>
        </Box>
      </Popover>
    </>
  );
}
