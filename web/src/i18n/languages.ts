export type Language = "ar" | "en";

export const LANGUAGES: readonly Language[] = ["ar", "en"];

const STORAGE_KEY = "nilecare.language";

export function directionOf(language: Language): "rtl" | "ltr" {
  return language === "ar" ? "rtl" : "ltr";
}

/** Intl locale: Sudanese conventions in either language. */
export function localeOf(language: Language): string {
  return language === "ar" ? "ar-SD" : "en-SD";
}

export function isLanguage(value: unknown): value is Language {
  return value === "ar" || value === "en";
}

/** The saved choice, else the browser's language when it is one of ours, else Arabic. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(saved)) return saved;
  const browser = navigator.language.slice(0, 2);
  return isLanguage(browser) ? browser : "ar";
}

export function saveLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
}
