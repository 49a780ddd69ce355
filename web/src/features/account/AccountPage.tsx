import { Stack, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { useSession } from "../../auth/store";
import { PasswordCard } from "./PasswordCard";
import { ProfileCard } from "./ProfileCard";
import { SessionsCard } from "./SessionsCard";
import { TwoStepCard } from "./TwoStepCard";

/** The signed-in user's own account: details, two-step verification, sessions, password. */
export function AccountPage() {
  const { t } = useTranslation("account");
  const me = useSession((s) => s.me);
  if (me === null) return null;
  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h4" component="h1">
        {t("title")}
      </Typography>
      <ProfileCard me={me} />
      <TwoStepCard me={me} />
      <SessionsCard />
      <PasswordCard />
    </Stack>
  );
}
