import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  type ButtonProps,
  type DialogProps,
} from "@mui/material";
import type { FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { ProblemAlert } from "../layout/ProblemAlert";

interface Props {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  /** The request is on its way: the submit button shows it and waits. */
  pending: boolean;
  submitLabel?: string;
  submitDisabled?: boolean;
  submitColor?: ButtonProps["color"];
  maxWidth?: DialogProps["maxWidth"];
  /** Above the problem and the fields. */
  intro?: ReactNode;
  /** A failed request with nothing to show beside a field (see `formLevelError`). */
  problem?: unknown;
  children?: ReactNode;
}

/** A dialog holding a form: title, intro, the failure, the fields, then cancel and submit. */
export function FormDialog({
  open,
  title,
  onClose,
  onSubmit,
  pending,
  submitLabel,
  submitDisabled,
  submitColor,
  maxWidth = "sm",
  intro,
  problem,
  children,
}: Props) {
  const { t } = useTranslation("common");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth={maxWidth}>
      <form onSubmit={submit} noValidate>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent>
          <Box sx={{ display: "grid", gap: 2, pt: 1 }}>
            {intro}
            {problem ? <ProblemAlert error={problem} /> : null}
            {children}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t("cancel")}</Button>
          <Button
            type="submit"
            variant="contained"
            color={submitColor}
            loading={pending}
            disabled={submitDisabled}
          >
            {submitLabel ?? t("save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
