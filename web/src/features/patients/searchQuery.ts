/** Which query parameter of `GET /api/v1/patients` a receptionist's typed text is meant for. */

export type SearchCriterion = "name" | "mrn" | "national_id" | "phone";

export type SearchChoice =
  | { kind: "none" }
  | { kind: "incomplete" } // digits that are neither a whole phone number nor a national id
  | { kind: "tooShort" } // one letter of a name
  | { kind: "search"; criterion: SearchCriterion; value: string };

const NATIONAL_ID_DIGITS = 11;
const SEPARATORS = /[\s\-().]/g;
// The MRN the clinical service gives: a facility prefix, a dash and the number (KTH-000123).
const MRN = /^[A-Z][A-Z0-9]{1,15}-\d{1,12}$/i;

/** Arabic-Indic and Persian digits as ASCII: an Arabic keyboard types ٠٩١٢…, the API wants 0912…. */
export function asciiDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** `+249XXXXXXXXX` when the text is a whole Sudanese mobile number in any usual form. */
export function sudanesePhone(text: string): string | null {
  const compact = asciiDigits(text).replace(SEPARATORS, "");
  const match = /^(?:\+249|00249|249|0)?([1-9]\d{8})$/.exec(compact);
  return match ? `+249${match[1]}` : null;
}

export function chooseSearch(text: string): SearchChoice {
  const typed = asciiDigits(text).trim();
  if (typed === "") return { kind: "none" };
  const compact = typed.replace(SEPARATORS, "");
  if (/^\+?\d+$/.test(compact)) {
    if (/^\d+$/.test(compact) && compact.length === NATIONAL_ID_DIGITS) {
      return { kind: "search", criterion: "national_id", value: compact };
    }
    const phone = sudanesePhone(compact);
    if (phone) return { kind: "search", criterion: "phone", value: phone };
    return { kind: "incomplete" };
  }
  if (MRN.test(typed)) return { kind: "search", criterion: "mrn", value: typed.toUpperCase() };
  if (typed.length < 2) return { kind: "tooShort" };
  return { kind: "search", criterion: "name", value: typed.slice(0, 100) };
}
