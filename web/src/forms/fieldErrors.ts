import { isProblem } from "../api/problem";

/** A failed request's messages by field (a 422's), to show beside the inputs; none otherwise. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return isProblem(error) ? error.fieldErrors : {};
}

/** The message for an input: its own, or the first of its parts (`roles.0` for `roles`). */
export function fieldMessage(fields: Record<string, string>, name: string): string | undefined {
  if (fields[name]) return fields[name];
  const part = Object.keys(fields).find((key) => key.startsWith(`${name}.`));
  return part ? fields[part] : undefined;
}

/** The failure to show in an alert: one without a message beside any of the form's `inputs`. */
export function formLevelError(
  error: unknown,
  fields: Record<string, string>,
  inputs: readonly string[],
): unknown {
  if (error === null || error === undefined) return null;
  return inputs.some((name) => fieldMessage(fields, name) !== undefined) ? null : error;
}
