import { Alert, Box, Divider, Paper, Stack, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { ageInYears, formatDate, formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { arabicName, englishName } from "../patients/names";
import { ActiveEncounter } from "./ActiveEncounter";
import { AllergyChip } from "./AllergyChip";
import { HeaderItem } from "./HeaderItem";
import { LastVitals } from "./LastVitals";
import type { PatientSummary } from "./queries";

/** Who the patient is at a glance: names in both scripts, MRN, sex and age, contact (phone, and
 * the e-mail when recorded), allergies,
 * and the open encounter with its bed. */
export function PatientHeader({
  summary,
  actions,
}: {
  summary: PatientSummary;
  actions?: ReactNode;
}) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const { patient } = summary;
  const english = englishName(patient);
  const arabic = arabicName(patient);
  const age = ageInYears(patient.birth_date);
  const state = patient.address.state;
  const stateName = t(`common:states.${state}`, { defaultValue: state });

  return (
    <Paper sx={{ p: { xs: 2, md: 3 } }} component="section" aria-label={t("title")}>
      <Stack
        direction={{ xs: "column", md: "row" }}
        sx={{ justifyContent: "space-between", alignItems: { md: "flex-start" }, gap: 2 }}
      >
        <Box>
          <Typography variant="h4" component="h1" lang={language === "ar" && arabic ? "ar" : "en"}>
            {language === "ar" && arabic ? arabic : english}
          </Typography>
          {arabic && (
            <Typography variant="h6" component="p" color="text.secondary">
              <bdi lang={language === "ar" ? "en" : "ar"}>
                {language === "ar" ? english : arabic}
              </bdi>
            </Typography>
          )}
        </Box>
        {actions && (
          <Stack direction="row" sx={{ gap: 1, flexWrap: "wrap" }}>
            {actions}
          </Stack>
        )}
      </Stack>

      {patient.status === "merged" && (
        <Alert severity="info" role="status" sx={{ mt: 2 }}>
          {t("header.merged")}
        </Alert>
      )}

      <Box
        sx={{
          mt: 2,
          display: "grid",
          gap: 2,
          gridTemplateColumns: { xs: "1fr 1fr", sm: "repeat(3, 1fr)", lg: "repeat(5, auto)" },
          justifyContent: "start",
          columnGap: 4,
        }}
      >
        <HeaderItem label={t("header.mrn")}>
          <span dir="ltr" data-testid="patient-mrn">
            {patient.mrn}
          </span>
        </HeaderItem>
        <HeaderItem label={t("header.sex")}>{t(`common:sex.${patient.sex}`)}</HeaderItem>
        <HeaderItem label={t("header.age")}>
          {t("header.ageYears", { count: age, years: formatNumber(age, language, 0) })} (
          {t("header.born", { date: formatDate(patient.birth_date, language) })})
        </HeaderItem>
        <HeaderItem label={t("header.phone")}>
          <span dir="ltr">{patient.phone}</span>
        </HeaderItem>
        {patient.email && (
          <HeaderItem label={t("header.email")}>
            <bdi dir="ltr" data-testid="patient-email">
              {patient.email}
            </bdi>
          </HeaderItem>
        )}
        <HeaderItem label={t("header.address")}>
          {stateName} · {patient.address.locality}
        </HeaderItem>
      </Box>

      <Divider sx={{ my: 2 }} />

      <Stack sx={{ gap: 1.5 }}>
        <Box>
          <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }}>
            {t("header.allergies")}
          </Typography>
          {summary.allergies == null ? (
            <Typography variant="body2" color="text.secondary">
              —
            </Typography>
          ) : summary.allergies.length === 0 ? (
            <Typography variant="body2">{t("header.noAllergies")}</Typography>
          ) : (
            <Stack
              direction="row"
              sx={{ gap: 1, flexWrap: "wrap" }}
              role="list"
              aria-label={t("header.allergies")}
            >
              {summary.allergies.map((allergy) => (
                <Box role="listitem" key={allergy.id}>
                  <AllergyChip allergy={allergy} />
                </Box>
              ))}
            </Stack>
          )}
        </Box>
        <Box>
          <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }}>
            {t("header.activeEncounter")}
          </Typography>
          {summary.parts.encounters?.status === "failed" ? (
            <Typography variant="body2" color="text.secondary">
              —
            </Typography>
          ) : (
            <ActiveEncounter encounter={summary.active_encounter} />
          )}
        </Box>
        {summary.last_vitals && <LastVitals reading={summary.last_vitals} />}
      </Stack>
    </Paper>
  );
}
