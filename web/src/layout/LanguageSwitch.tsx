import { MenuItem, TextField } from "@mui/material";
import { useTranslation } from "react-i18next";

import { useLanguage } from "../i18n/LanguageProvider";
import { isLanguage, LANGUAGES } from "../i18n/languages";

export function LanguageSwitch({ color }: { color?: "inherit" }) {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  return (
    <TextField
      select
      size="small"
      label={t("language")}
      value={language}
      onChange={(e) => isLanguage(e.target.value) && setLanguage(e.target.value)}
      slotProps={{ htmlInput: { "data-testid": "language-switch" } }}
      sx={
        color
          ? { "& *": { color: "inherit !important", borderColor: "currentColor !important" } }
          : undefined
      }
    >
      {LANGUAGES.map((code) => (
        <MenuItem key={code} value={code} lang={code}>
          {t(`languages.${code}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}
