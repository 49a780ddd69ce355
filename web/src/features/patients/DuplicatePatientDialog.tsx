import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
} from "@mui/material";
import { useId } from "react";
import { useTranslation } from "react-i18next";

import { DuplicateCandidateCard } from "./DuplicateCandidateCard";
import type { DuplicateWarning } from "./duplicates";
import { RequestFailedAlert } from "./RequestFailedAlert";

interface Props {
  warning: DuplicateWarning | null;
  pending: boolean;
  error: unknown;
  onSamePerson: (patientId: string) => void;
  onRegisterNew: () => void;
  onClose: () => void;
}

/** The registration may duplicate patients already registered: link to one, or confirm new. */
export function DuplicatePatientDialog({
  warning,
  pending,
  error,
  onSamePerson,
  onRegisterNew,
  onClose,
}: Props) {
  const { t } = useTranslation("patients");
  const titleId = useId();
  return (
    <Dialog
      open={warning !== null}
      onClose={pending ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>{t("duplicate.title")}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <DialogContentText>{t("duplicate.intro")}</DialogContentText>
          {error ? <RequestFailedAlert error={error} /> : null}
          <Box component="ul" sx={{ listStyle: "none", p: 0, m: 0, display: "grid", gap: 2 }}>
            {warning?.candidateIds.map((id) => (
              <DuplicateCandidateCard
                key={id}
                patientId={id}
                reasons={warning.reasons[id] ?? []}
                disabled={pending}
                onSamePerson={onSamePerson}
              />
            ))}
          </Box>
        </Stack>
      </DialogContent>
      <DialogActions sx={{ flexWrap: "wrap", gap: 1 }}>
        <Button onClick={onClose} disabled={pending}>
          {t("duplicate.back")}
        </Button>
        <Button variant="outlined" color="warning" onClick={onRegisterNew} disabled={pending}>
          {t("duplicate.registerNew")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
