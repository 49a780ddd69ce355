import {
  Alert,
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Stack,
  Typography,
} from "@mui/material";
import { useTranslation } from "react-i18next";

import { ageInYears, formatDate, formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { useProblemText } from "../../layout/useProblemText";
import { PatientNames } from "./PatientNames";
import { PhoneNumber } from "./PhoneNumber";
import { usePatient } from "./queries";

interface Props {
  patientId: string;
  reasons: readonly string[];
  disabled: boolean;
  onSamePerson: (patientId: string) => void;
}

/** A registered patient the new registration may duplicate, with why it matches. */
export function DuplicateCandidateCard({ patientId, reasons, disabled, onSamePerson }: Props) {
  const { t } = useTranslation("patients");
  const { language } = useLanguage();
  const patient = usePatient(patientId);
  const problemText = useProblemText();
  const data = patient.data;

  return (
    <Card variant="outlined" component="li" aria-label={data ? data.mrn : undefined}>
      <CardContent>
        {patient.isPending && (
          <Typography color="text.secondary">{t("duplicate.loadingCandidate")}</Typography>
        )}
        {patient.isError && (
          <Alert severity="warning">
            {t("duplicate.candidateError", {
              detail: problemText(patient.error),
            })}
          </Alert>
        )}
        {data && (
          <Stack spacing={1}>
            <PatientNames patient={data} arabicFirst={language === "ar"} />
            <Typography variant="body2">
              {t("duplicate.mrn")}: <bdi>{data.mrn}</bdi>
            </Typography>
            <Typography variant="body2">
              {t("duplicate.birthDate")}: {formatDate(data.birth_date, language)} (
              {t("table.age", { age: formatNumber(ageInYears(data.birth_date), language) })})
            </Typography>
            <Typography variant="body2">
              {t("duplicate.phone")}: <PhoneNumber value={data.phone} />
            </Typography>
          </Stack>
        )}
        <Stack direction="row" sx={{ mt: 1.5, gap: 1, flexWrap: "wrap", alignItems: "center" }}>
          <Typography variant="body2" color="text.secondary">
            {t("duplicate.reasonsLabel")}:
          </Typography>
          {reasons.map((reason) => (
            <Chip
              key={reason}
              size="small"
              color="warning"
              label={t(`duplicate.reasons.${reason}`, { defaultValue: reason })}
            />
          ))}
        </Stack>
      </CardContent>
      <CardActions>
        <Button variant="contained" disabled={disabled} onClick={() => onSamePerson(patientId)}>
          {t("duplicate.samePerson")}
        </Button>
      </CardActions>
    </Card>
  );
}
