import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";

import * as account from "../features/account/messages";
import * as alerts from "../features/alerts/messages";
import * as chart from "../features/chart/messages";
import * as facilities from "../features/facilities/messages";
import * as files from "../features/files/messages";
import * as notifications from "../features/notifications/messages";
import * as patients from "../features/patients/messages";
import * as staff from "../features/staff/messages";
import * as users from "../features/users/messages";
import { initialLanguage, type Language } from "./languages";
import * as auth from "./messages/auth";
import * as common from "./messages/common";

// One namespace per feature, each file holding both languages (Arabic typed against English, so
// a key missing in one language fails the type check).
const NAMESPACES = {
  common,
  auth,
  patients,
  chart,
  facilities,
  staff,
  users,
  account,
  notifications,
  alerts,
  files,
} as const;

export type Namespace = keyof typeof NAMESPACES;

function resources(language: Language) {
  return Object.fromEntries(
    Object.entries(NAMESPACES).map(([name, messages]) => [name, messages[language]]),
  );
}

export function createI18n(language: Language = initialLanguage()): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: "en",
    defaultNS: "common",
    ns: Object.keys(NAMESPACES),
    resources: { en: resources("en"), ar: resources("ar") },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
