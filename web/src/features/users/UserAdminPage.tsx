import { Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

export function UserAdminPage() {
  const { t } = useTranslation("users");
  return (
    <Typography variant="h4" component="h1">
      {t("title")}
    </Typography>
  );
}
