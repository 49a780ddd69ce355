import { Alert, AlertTitle, type AlertProps } from "@mui/material";

import { useProblemText } from "./useProblemText";

type Props = Omit<AlertProps, "severity" | "title" | "children"> & {
  error: unknown;
  title?: string;
  /** Puts the detail into a sentence of the feature's own. */
  describe?: (detail: string) => string;
};

/** A failed request as an error alert: the problem's detail, or the network message. */
export function ProblemAlert({ error, title, describe, ...alert }: Props) {
  const detail = useProblemText()(error);
  return (
    <Alert severity="error" role="alert" {...alert}>
      {title && <AlertTitle>{title}</AlertTitle>}
      {describe ? describe(detail) : detail}
    </Alert>
  );
}
