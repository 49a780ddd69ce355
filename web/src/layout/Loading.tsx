import { Box, CircularProgress } from "@mui/material";
import { useTranslation } from "react-i18next";

/** A section waiting for its data. */
export function Loading() {
  const { t } = useTranslation("common");
  return (
    <Box sx={{ display: "flex", justifyContent: "center", py: 4 }}>
      <CircularProgress aria-label={t("loading")} />
    </Box>
  );
}
