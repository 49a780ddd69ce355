import { Grid, MenuItem, TextField } from "@mui/material";
import { useTranslation } from "react-i18next";

import { FormSection } from "./FormSection";
import type { Facility } from "./queries";
import { LANGUAGES, SEXES, todayInKhartoum } from "./registrationForm";
import type { Bind } from "./useRegistrationForm";

/** Facility, names in both scripts, sex, birth date, national id, preferred language. */
export function IdentitySection({
  bind,
  facilities,
}: {
  bind: Bind;
  facilities: readonly Facility[];
}) {
  const { t } = useTranslation("patients");
  return (
    <FormSection title={t("register.sections.identity")}>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12 }}>
          <TextField
            {...bind("facility_id")}
            select
            required
            fullWidth
            label={t("register.facility")}
          >
            {facilities.map((facility) => (
              <MenuItem key={facility.id} value={facility.id}>
                {facility.name}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("given_name_en")}
            required
            fullWidth
            label={t("register.givenNameEn")}
            autoComplete="off"
            slotProps={{ htmlInput: { dir: "ltr", lang: "en", maxLength: 100 } }}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("family_name_en")}
            required
            fullWidth
            label={t("register.familyNameEn")}
            autoComplete="off"
            slotProps={{ htmlInput: { dir: "ltr", lang: "en", maxLength: 100 } }}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("given_name_ar")}
            fullWidth
            label={t("register.givenNameAr")}
            autoComplete="off"
            slotProps={{ htmlInput: { dir: "rtl", lang: "ar", maxLength: 100 } }}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("family_name_ar")}
            fullWidth
            label={t("register.familyNameAr")}
            autoComplete="off"
            slotProps={{ htmlInput: { dir: "rtl", lang: "ar", maxLength: 100 } }}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <TextField {...bind("sex")} select required fullWidth label={t("register.sex")}>
            {SEXES.map((sex) => (
              <MenuItem key={sex} value={sex}>
                {t(`common:sex.${sex}`)}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <TextField
            {...bind("birth_date")}
            type="date"
            required
            fullWidth
            label={t("register.birthDate")}
            slotProps={{
              inputLabel: { shrink: true },
              htmlInput: { max: todayInKhartoum(), min: "1900-01-01" },
            }}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <TextField
            {...bind("national_id", t("register.nationalIdHint"))}
            fullWidth
            label={t("register.nationalId")}
            autoComplete="off"
            slotProps={{ htmlInput: { dir: "ltr", inputMode: "numeric", maxLength: 32 } }}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <TextField
            {...bind("preferred_language")}
            select
            fullWidth
            label={t("register.preferredLanguage")}
          >
            {LANGUAGES.map((language) => (
              <MenuItem key={language} value={language}>
                {t(`languages.${language}`)}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      </Grid>
    </FormSection>
  );
}
