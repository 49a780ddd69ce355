import { Alert } from "@mui/material";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";

/** An error from the API (its problem detail) or from the network, as an alert. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation("patients");
  const detail = isProblem(error) ? error.message : t("networkError", { ns: "common" });
  return (
    <Alert severity="error" role="alert">
      {t("problem", { detail })}
    </Alert>
  );
}
