import { Card, CardContent, Chip, Stack, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { Me } from "../../auth/store";
import { useLanguage } from "../../i18n/LanguageProvider";
import { formatDateTime } from "../../i18n/format";
import { useFacilities } from "../facilities/queries";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack direction={{ xs: "column", sm: "row" }} spacing={{ sm: 2 }}>
      <Typography color="text.secondary" sx={{ minWidth: 140 }}>
        {label}
      </Typography>
      <div>{children}</div>
    </Stack>
  );
}

/** The signed-in user's own details: name, e-mail, roles, facilities, last sign-in. */
export function ProfileCard({ me }: { me: Me }) {
  const { t } = useTranslation("account");
  const { language } = useLanguage();
  const facilities = useFacilities();
  const names = new Map((facilities.data?.items ?? []).map((f) => [f.id, f.name]));
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("profile.title")}
        </Typography>
        <Stack spacing={1.5}>
          <Row label={t("profile.name")}>
            <Typography>{me.full_name}</Typography>
          </Row>
          <Row label={t("profile.email")}>
            <Typography dir="ltr" sx={{ textAlign: "start" }}>
              {me.email}
            </Typography>
          </Row>
          <Row label={t("profile.roles")}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
              {me.roles.map((role) => (
                <Chip
                  key={role}
                  size="small"
                  label={t(`common:roles.${role}`, { defaultValue: role })}
                />
              ))}
            </Stack>
          </Row>
          <Row label={t("profile.facilities")}>
            <Typography>
              {me.all_facilities
                ? t("common:allFacilities")
                : me.facility_ids
                    .map((id) => names.get(id) ?? "…")
                    .join(language === "ar" ? "، " : ", ") || t("common:none")}
            </Typography>
          </Row>
          {me.last_login_at && (
            <Row label={t("profile.lastLogin")}>
              <Typography>{formatDateTime(me.last_login_at, language)}</Typography>
            </Row>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
