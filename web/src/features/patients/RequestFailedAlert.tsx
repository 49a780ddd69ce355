import { useTranslation } from "react-i18next";

import { ProblemAlert } from "../../layout/ProblemAlert";

/** A failed request in the patients' words: "The request failed: <detail>". */
export function RequestFailedAlert({ error }: { error: unknown }) {
  const { t } = useTranslation("patients");
  return <ProblemAlert error={error} describe={(detail) => t("problem", { detail })} />;
}
