import { Alert, AlertTitle } from "@mui/material";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";

/** A failed request as an alert: the problem's detail, or the network message. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation("common");
  const detail = isProblem(error) ? error.message : t("networkError");
  return (
    <Alert severity="error" role="alert">
      {title && <AlertTitle>{title}</AlertTitle>}
      {detail}
    </Alert>
  );
}
