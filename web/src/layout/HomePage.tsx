import { Card, CardActionArea, CardContent, Stack, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { hasRole, useSession } from "../auth/store";
import { NAVIGATION } from "../navigation";

/** Who is signed in, and the pages their roles open. */
export function HomePage() {
  const { t } = useTranslation();
  const me = useSession((s) => s.me);
  const shortcuts = NAVIGATION.filter(
    (entry) => entry.path !== "/" && (!entry.roles || hasRole(me, entry.roles)),
  );
  return (
    <Stack spacing={3}>
      <div>
        <Typography variant="h4" component="h1">
          {t("home.welcome", { name: me?.full_name ?? "" })}
        </Typography>
        <Typography color="text.secondary">
          {t("home.roles", { roles: (me?.roles ?? []).map((r) => t(`roles.${r}`)).join("، ") })}
        </Typography>
      </div>
      <Typography variant="h6" component="h2">
        {t("home.shortcuts")}
      </Typography>
      <Stack direction="row" sx={{ flexWrap: "wrap", gap: 2 }}>
        {shortcuts.map((entry) => (
          <Card key={entry.path} sx={{ width: 200 }}>
            <CardActionArea component={Link} to={entry.path}>
              <CardContent>
                <Stack spacing={1} sx={{ alignItems: "flex-start" }}>
                  {entry.icon}
                  <Typography>{t(entry.label)}</Typography>
                </Stack>
              </CardContent>
            </CardActionArea>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
