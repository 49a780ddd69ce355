import { Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

export function BedBoardPage() {
  const { t } = useTranslation("facilities");
  return (
    <Typography variant="h4" component="h1">
      {t("title")}
    </Typography>
  );
}
