import { Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

export function PatientChartPage() {
  const { t } = useTranslation("chart");
  return (
    <Typography variant="h4" component="h1">
      {t("title")}
    </Typography>
  );
}
