import { Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

export function StaffDirectoryPage() {
  const { t } = useTranslation("staff");
  return (
    <Typography variant="h4" component="h1">
      {t("title")}
    </Typography>
  );
}
