import LogoutIcon from "@mui/icons-material/Logout";
import MenuIcon from "@mui/icons-material/Menu";
import {
  AppBar,
  Box,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Toolbar,
  Tooltip,
  Typography,
  useMediaQuery,
  useTheme,
} from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router-dom";

import { hasRole, useSession } from "../auth/store";
import { logOut } from "../auth/useSignIn";
import { CriticalAlertBanners } from "../features/alerts/CriticalAlertBanners";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { stopPushOnThisDevice } from "../features/notifications/queries";
import { LiveOfflineIndicator } from "../live/LiveOfflineIndicator";
import { NAVIGATION } from "../navigation";
import { LanguageSwitch } from "./LanguageSwitch";

const DRAWER_WIDTH = 232;

/** The signed-in frame: a top bar and the navigation this user's roles may use. */
export function AppShell() {
  const { t } = useTranslation();
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up("md"));
  const [open, setOpen] = useState(false);
  const me = useSession((s) => s.me);
  const location = useLocation();
  const entries = NAVIGATION.filter((entry) => !entry.roles || hasRole(me, entry.roles));

  const nav = (
    <List component="nav" aria-label={t("appName")}>
      {entries.map((entry) => (
        <ListItemButton
          key={entry.path}
          component={Link}
          to={entry.path}
          selected={location.pathname === entry.path}
          onClick={() => setOpen(false)}
        >
          <ListItemIcon>{entry.icon}</ListItemIcon>
          <ListItemText primary={t(entry.label)} />
        </ListItemButton>
      ))}
    </List>
  );

  return (
    <Box sx={{ display: "flex", minHeight: "100vh" }}>
      <AppBar position="fixed" sx={{ zIndex: theme.zIndex.drawer + 1 }}>
        <Toolbar sx={{ gap: 2 }}>
          {!wide && (
            <IconButton
              color="inherit"
              edge="start"
              onClick={() => setOpen(true)}
              aria-label="menu"
            >
              <MenuIcon />
            </IconButton>
          )}
          <Typography variant="h6" component="div" sx={{ flexGrow: 1 }}>
            {t("appName")}
          </Typography>
          <LiveOfflineIndicator />
          <LanguageSwitch color="inherit" />
          <NotificationBell />
          <Typography
            variant="body2"
            sx={{ display: { xs: "none", sm: "block" } }}
            data-testid="user-name"
          >
            {me?.full_name}
          </Typography>
          <Tooltip title={t("logout")}>
            <IconButton color="inherit" onClick={() => void logOutHere()} aria-label={t("logout")}>
              <LogoutIcon />
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      <Drawer
        variant={wide ? "permanent" : "temporary"}
        open={wide || open}
        onClose={() => setOpen(false)}
        sx={{ width: DRAWER_WIDTH, flexShrink: 0, "& .MuiDrawer-paper": { width: DRAWER_WIDTH } }}
      >
        <Toolbar />
        {nav}
      </Drawer>
      <Box component="main" sx={{ flexGrow: 1, p: { xs: 2, md: 3 }, minWidth: 0 }}>
        <Toolbar />
        <CriticalAlertBanners />
        <Outlet />
      </Box>
    </Box>
  );
}

/** Logs out of this browser, stopping its push first. A failure there (the API or the push
 * service unreachable) never keeps the user signed in. */
async function logOutHere(): Promise<void> {
  await stopPushOnThisDevice().catch(() => undefined);
  await logOut();
}
