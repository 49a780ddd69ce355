import { localeOf, type Language } from "./languages";

// Clinical times are shown in the hospital's zone, whatever the workstation's clock says.
export const TIME_ZONE = "Africa/Khartoum";

/** SDG and most currencies have two minor-unit digits; Intl knows the exceptions. */
function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

export function formatMoney(minorUnits: number, currency: string, language: Language): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(localeOf(language), {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minorUnits / 10 ** digits);
}

export function formatNumber(value: number, language: Language, fractionDigits?: number): string {
  return new Intl.NumberFormat(localeOf(language), {
    maximumFractionDigits: fractionDigits ?? 2,
    minimumFractionDigits: fractionDigits ?? 0,
  }).format(value);
}

/** A calendar date (birth date, `YYYY-MM-DD`): no time zone shift. */
export function formatDate(isoDate: string, language: Language): string {
  const [year, month, day] = isoDate.slice(0, 10).split("-").map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: "medium",
    timeZone: "UTC",
  }).format(date);
}

export function formatDateTime(isoInstant: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: TIME_ZONE,
  }).format(new Date(isoInstant));
}

/** Whole years between a birth date and today. */
export function ageInYears(isoDate: string, today: Date = new Date()): number {
  const [year, month, day] = isoDate.slice(0, 10).split("-").map(Number);
  let age = today.getFullYear() - (year ?? 0);
  const beforeBirthday =
    today.getMonth() + 1 < (month ?? 1) ||
    (today.getMonth() + 1 === (month ?? 1) && today.getDate() < (day ?? 1));
  if (beforeBirthday) age -= 1;
  return age;
}
