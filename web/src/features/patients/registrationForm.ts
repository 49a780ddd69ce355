/** The registration form's values, the client-side checks, and the `PatientCreate` body. Field
 * names are the API's (`address.state`, `emergency_contact.phone`), so a 422's field errors land
 * beside the same inputs as the client's own. */
import type { Schemas } from "../../api/client";
import type { PatientCreate } from "./queries";
import { asciiDigits, sudanesePhone } from "./searchQuery";

export type SudanState = Schemas["SudanState"];
export type Sex = Schemas["Sex"];

// Keyed by the schema's enum so that a state missing here, or one the API does not know, fails
// the type check; the order is the usual one of Sudan's states.
const STATE_ORDER: Record<SudanState, number> = {
  Khartoum: 0,
  Gezira: 1,
  "Red Sea": 2,
  Kassala: 3,
  Gedaref: 4,
  "White Nile": 5,
  "Blue Nile": 6,
  Northern: 7,
  "River Nile": 8,
  Sennar: 9,
  "North Kordofan": 10,
  "South Kordofan": 11,
  "West Kordofan": 12,
  "North Darfur": 13,
  "South Darfur": 14,
  "West Darfur": 15,
  "East Darfur": 16,
  "Central Darfur": 17,
};
export const SUDAN_STATES = (Object.keys(STATE_ORDER) as SudanState[]).sort(
  (a, b) => STATE_ORDER[a] - STATE_ORDER[b],
);
export const SEXES: readonly Sex[] = ["female", "male", "other", "unknown"];
export const LANGUAGES: readonly Schemas["Language"][] = ["ar", "en"];
export const RELATIONS = [
  "spouse",
  "parent",
  "child",
  "sibling",
  "relative",
  "guardian",
  "friend",
] as const;

export const FIELDS = [
  "facility_id",
  "given_name_en",
  "family_name_en",
  "given_name_ar",
  "family_name_ar",
  "sex",
  "birth_date",
  "national_id",
  "preferred_language",
  "phone",
  "alternate_phone",
  "email",
  "address.state",
  "address.locality",
  "address.line",
  "emergency_contact.name",
  "emergency_contact.relation",
  "emergency_contact.phone",
] as const;

export type Field = (typeof FIELDS)[number];
export type FormValues = Record<Field, string>;

/** Keys under `register.errors` in the patients namespace. */
export type ClientError =
  | "required"
  | "phone"
  | "email"
  | "nationalId"
  | "futureBirthDate"
  | "earlyBirthDate"
  | "invalidDate"
  | "emergencyIncomplete";

export function emptyForm(): FormValues {
  const values = Object.fromEntries(FIELDS.map((f) => [f, ""])) as FormValues;
  values.preferred_language = "ar";
  return values;
}

/** Today's date in Khartoum, `YYYY-MM-DD`. */
export function todayInKhartoum(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Africa/Khartoum",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

const REQUIRED: readonly Field[] = [
  "facility_id",
  "given_name_en",
  "family_name_en",
  "sex",
  "birth_date",
  "phone",
  "address.state",
  "address.locality",
];
const EMERGENCY: readonly Field[] = [
  "emergency_contact.name",
  "emergency_contact.relation",
  "emergency_contact.phone",
];

function filled(value: string): boolean {
  return value.trim() !== "";
}

export function validate(values: FormValues, today: string = todayInKhartoum()) {
  const errors: Partial<Record<Field, ClientError>> = {};
  for (const field of REQUIRED) if (!filled(values[field])) errors[field] = "required";
  for (const field of ["phone", "alternate_phone", "emergency_contact.phone"] as const) {
    if (filled(values[field]) && sudanesePhone(values[field]) === null) errors[field] = "phone";
  }
  // A rough check (one @, a dot in the domain, no spaces); the server's is the authority.
  if (filled(values.email) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) {
    errors.email = "email";
  }
  const nationalId = asciiDigits(values.national_id).replace(/[\s-]/g, "");
  if (nationalId !== "" && !/^\d{11}$/.test(nationalId)) errors.national_id = "nationalId";
  const birth = values.birth_date;
  if (filled(birth)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birth) || Number.isNaN(Date.parse(birth))) {
      errors.birth_date = "invalidDate";
    } else if (birth > today) errors.birth_date = "futureBirthDate";
    else if (birth < "1900-01-01") errors.birth_date = "earlyBirthDate";
  }
  if (EMERGENCY.some((f) => filled(values[f]))) {
    for (const field of EMERGENCY) {
      if (!filled(values[field])) errors[field] = "emergencyIncomplete";
    }
  }
  return errors;
}

function optional(value: string): string | null {
  return filled(value) ? value.trim() : null;
}

function phoneText(value: string): string {
  return asciiDigits(value).trim();
}

/** The request body (the server normalises phones and national ids and is the authority). */
export function toPayload(values: FormValues): PatientCreate {
  const hasEmergency = EMERGENCY.some((f) => filled(values[f]));
  const alternate = optional(values.alternate_phone);
  const nationalId = optional(values.national_id);
  const email = optional(values.email);
  return {
    facility_id: values.facility_id,
    given_name_en: values.given_name_en.trim(),
    family_name_en: values.family_name_en.trim(),
    given_name_ar: optional(values.given_name_ar),
    family_name_ar: optional(values.family_name_ar),
    sex: values.sex as Sex,
    birth_date: values.birth_date,
    national_id: nationalId && asciiDigits(nationalId),
    phone: phoneText(values.phone),
    alternate_phone: alternate && phoneText(alternate),
    email: email && email.toLowerCase(),
    address: {
      state: values["address.state"],
      locality: values["address.locality"].trim(),
      line: optional(values["address.line"]),
    },
    emergency_contact: hasEmergency
      ? {
          name: values["emergency_contact.name"].trim(),
          relation: values["emergency_contact.relation"].trim(),
          phone: phoneText(values["emergency_contact.phone"]),
        }
      : null,
    preferred_language: values.preferred_language as Schemas["Language"],
    confirm_new: false,
  };
}

/** A server message without pydantic's "Value error, " prefix. */
export function serverMessage(message: string): string {
  return message.replace(/^Value error,\s*/i, "");
}
