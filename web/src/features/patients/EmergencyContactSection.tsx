import { Grid, MenuItem, TextField } from "@mui/material";
import { useTranslation } from "react-i18next";

import { FormSection } from "./FormSection";
import { RELATIONS } from "./registrationForm";
import type { Bind } from "./useRegistrationForm";

/** Someone to call: all three fields or none. */
export function EmergencyContactSection({ bind }: { bind: Bind }) {
  const { t } = useTranslation("patients");
  return (
    <FormSection
      title={t("register.sections.emergency")}
      hint={t("register.sections.emergencyHint")}
    >
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 5 }}>
          <TextField
            {...bind("emergency_contact.name")}
            fullWidth
            label={t("register.emergencyName")}
            slotProps={{ htmlInput: { maxLength: 100, dir: "auto" } }}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <TextField
            {...bind("emergency_contact.relation")}
            select
            fullWidth
            label={t("register.emergencyRelation")}
          >
            {RELATIONS.map((relation) => (
              <MenuItem key={relation} value={relation}>
                {t(`relations.${relation}`)}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 4 }}>
          <TextField
            {...bind("emergency_contact.phone")}
            type="tel"
            fullWidth
            label={t("register.emergencyPhone")}
            slotProps={{ htmlInput: { dir: "ltr", inputMode: "tel", maxLength: 32 } }}
          />
        </Grid>
      </Grid>
    </FormSection>
  );
}
