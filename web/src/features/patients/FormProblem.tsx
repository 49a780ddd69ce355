import { Alert } from "@mui/material";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import { RequestFailedAlert } from "./RequestFailedAlert";

/** Above the form: fields need correcting (the client's checks or a 422), or the request failed. */
export function FormProblem({ error, others }: { error: unknown; others: string[] }) {
  const { t } = useTranslation("patients");
  const fields =
    error === null ||
    (isProblem(error) && error.status === 422 && Object.keys(error.fieldErrors).length > 0);
  if (fields) {
    return (
      <Alert severity="error" role="alert">
        {t("register.fixErrors")}
        {others.map((message) => (
          <div key={message}>{message}</div>
        ))}
      </Alert>
    );
  }
  return <RequestFailedAlert error={error} />;
}
