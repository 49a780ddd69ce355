import { Box, CircularProgress } from "@mui/material";
import { useTranslation } from "react-i18next";

export function Splash() {
  const { t } = useTranslation();
  return (
    <Box sx={{ display: "grid", placeItems: "center", minHeight: "100vh" }} aria-busy="true">
      <CircularProgress aria-label={t("loading")} />
    </Box>
  );
}
