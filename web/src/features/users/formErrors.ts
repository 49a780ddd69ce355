import { isProblem } from "../../api/problem";
import { fieldErrorsOf } from "../../forms/fieldErrors";

/** The messages to show beside the user form's inputs: a 422's by field, and a taken e-mail
 * (409 `email-taken`) on the e-mail field. */
export function userFieldErrors(error: unknown): Record<string, string> {
  const fields = fieldErrorsOf(error);
  if (isProblem(error) && error.slug === "email-taken" && !fields.email) {
    return { ...fields, email: error.message };
  }
  return fields;
}
