import { useTranslation } from "react-i18next";

import { formatNumber } from "../../i18n/format";
import { useLanguage } from "../../i18n/LanguageProvider";
import { criticalReadings, VITAL_DECIMALS, type VitalName } from "./vitals";

/** "170 /min", "38.5 °C" in the user's language. */
export function useVitalFormat() {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const number = (name: VitalName, value: number) =>
    formatNumber(value, language, VITAL_DECIMALS[name]);
  const withUnit = (name: VitalName, value: number) =>
    t("vitals.reading", { value: number(name, value), unit: t(`vitals.units.${name}`) });
  /** "heart rate 170 /min, SpO₂ 85 %": the critical readings of a set, in chart order. */
  const criticalItems = (reading: {
    values: Partial<Record<string, number>>;
    flags: Partial<Record<string, string>>;
  }) =>
    criticalReadings(reading)
      .map((name) => `${t(`vitals.inline.${name}`)} ${withUnit(name, reading.values[name] ?? 0)}`)
      .join(language === "ar" ? "، " : ", ");
  return { number, withUnit, criticalItems };
}
