import { useTranslation } from "react-i18next";

import { formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { VITAL_DECIMALS, type VitalName } from "./vitals";

/** "170 /min", "38.5 °C" in the user's language. */
export function useVitalFormat() {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const number = (name: VitalName, value: number) =>
    formatNumber(value, language, VITAL_DECIMALS[name]);
  const withUnit = (name: VitalName, value: number) =>
    t("vitals.reading", { value: number(name, value), unit: t(`vitals.units.${name}`) });
  return { number, withUnit };
}
