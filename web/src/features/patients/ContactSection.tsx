import { Grid, MenuItem, TextField } from "@mui/material";
import { useTranslation } from "react-i18next";

import { FormSection } from "./FormSection";
import { SUDAN_STATES } from "./registrationForm";
import type { Bind } from "./useRegistrationForm";

const PHONE_INPUT = { dir: "ltr", inputMode: "tel", maxLength: 32 } as const;

/** Phones, the e-mail address (optional: confirmations, reminders and receipts then go by
 * e-mail) and the address: one of Sudan's 18 states, the locality, the street. */
export function ContactSection({ bind }: { bind: Bind }) {
  const { t } = useTranslation("patients");
  return (
    <FormSection title={t("register.sections.contact")}>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("phone", t("register.phoneHint"))}
            type="tel"
            required
            fullWidth
            label={t("register.phone")}
            autoComplete="off"
            slotProps={{ htmlInput: PHONE_INPUT }}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("alternate_phone", t("register.phoneHint"))}
            type="tel"
            fullWidth
            label={t("register.alternatePhone")}
            autoComplete="off"
            slotProps={{ htmlInput: PHONE_INPUT }}
          />
        </Grid>
        <Grid size={{ xs: 12 }}>
          <TextField
            {...bind("email", t("register.emailHint"))}
            type="email"
            fullWidth
            label={t("register.email")}
            autoComplete="off"
            slotProps={{ htmlInput: { dir: "ltr", inputMode: "email", maxLength: 320 } }}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("address.state")}
            select
            required
            fullWidth
            label={t("register.state")}
          >
            {SUDAN_STATES.map((state) => (
              <MenuItem key={state} value={state}>
                {t(`common:states.${state}`)}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            {...bind("address.locality")}
            required
            fullWidth
            label={t("register.locality")}
            slotProps={{ htmlInput: { maxLength: 100 } }}
          />
        </Grid>
        <Grid size={{ xs: 12 }}>
          <TextField
            {...bind("address.line")}
            fullWidth
            label={t("register.addressLine")}
            slotProps={{ htmlInput: { maxLength: 200, dir: "auto" } }}
          />
        </Grid>
      </Grid>
    </FormSection>
  );
}
