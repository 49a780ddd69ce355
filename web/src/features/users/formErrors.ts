import { isProblem } from "../../api/problem";

/** Messages to show beside the inputs: 422 field errors by field, and a taken e-mail (409
 * `email-taken`) on the e-mail field. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!isProblem(error)) return {};
  const fields = { ...error.fieldErrors };
  if (error.slug === "email-taken" && !fields.email) fields.email = error.message;
  return fields;
}

/** Whether an error has nothing to show beside a field (then it goes into an alert). */
export function isFormLevel(error: unknown): boolean {
  return error !== null && error !== undefined && Object.keys(fieldErrorsOf(error)).length === 0;
}
