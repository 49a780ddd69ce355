import { useTranslation } from "react-i18next";

import { isProblem } from "../api/problem";

/** The words for a failed request: the problem's detail, or the network message when no answer
 * came (there is no detail to show then). */
export function useProblemText(): (error: unknown) => string {
  const { t } = useTranslation("common");
  return (error) => (isProblem(error) ? error.message : t("networkError"));
}
