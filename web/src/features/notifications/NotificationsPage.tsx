import {
  Button,
  List,
  Paper,
  Stack,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { QueryState } from "../../layout/QueryState";
import { TablePager } from "../../layout/TablePager";
import { NotificationListItem } from "./NotificationListItem";
import { NotificationPreferencesCard } from "./NotificationPreferencesCard";
import { useMarkAllRead, useNotifications, useUnreadCount } from "./queries";

type Filter = "all" | "unread";

/** Every notification of the signed-in user, newest first, a page at a time; the preferences. */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const [filter, setFilter] = useState<Filter>("all");
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const notifications = useNotifications({
    unread: filter === "unread",
    limit: pageSize,
    offset: page * pageSize,
  });
  const unread = useUnreadCount().data ?? 0;
  const markAll = useMarkAllRead();

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h4" component="h1">
        {t("title")}
      </Typography>
      <Paper>
        <Stack
          direction="row"
          sx={{ alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", p: 2 }}
        >
          <ToggleButtonGroup
            exclusive
            size="small"
            value={filter}
            aria-label={t("filter.label")}
            onChange={(_, next: Filter | null) => {
              if (next === null) return;
              setFilter(next);
              setPage(0);
            }}
          >
            <ToggleButton value="all">{t("filter.all")}</ToggleButton>
            <ToggleButton value="unread">{t("filter.unread")}</ToggleButton>
          </ToggleButtonGroup>
          <Button disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
            {t("markAllRead")}
          </Button>
        </Stack>
        <Stack sx={{ px: 2, pb: 1 }}>
          <QueryState
            query={notifications}
            empty={filter === "unread" ? t("emptyUnread") : t("empty")}
          >
            {(result) => (
              <>
                <List aria-label={t("title")}>
                  {result.items.map((notification) => (
                    <NotificationListItem key={notification.id} notification={notification} />
                  ))}
                </List>
                <TablePager
                  count={result.total}
                  page={page}
                  rowsPerPage={pageSize}
                  onPageChange={setPage}
                  onRowsPerPageChange={(size) => {
                    setPageSize(size);
                    setPage(0);
                  }}
                />
              </>
            )}
          </QueryState>
        </Stack>
      </Paper>
      <NotificationPreferencesCard />
    </Stack>
  );
}
