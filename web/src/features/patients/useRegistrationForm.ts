import { useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";

import {
  emptyForm,
  FIELDS,
  serverMessage,
  validate,
  type ClientError,
  type Field,
  type FormValues,
} from "./registrationForm";

export interface BoundField {
  id: string;
  name: Field;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
  error: boolean;
  helperText: string;
}

export type Bind = (field: Field, hint?: string) => BoundField;

/** The form's values with the client's and the server's message for each field. */
export function useRegistrationForm() {
  const { t } = useTranslation("patients");
  const [values, setValues] = useState<FormValues>(emptyForm);
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, ClientError>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [checked, setChecked] = useState(false);

  const setValue = (field: Field, value: string) => {
    const next = { ...values, [field]: value };
    setValues(next);
    // Once the user has tried to submit, the messages follow the corrections as they type.
    if (checked) setClientErrors(validate(next));
    if (field in serverErrors) {
      const rest = { ...serverErrors };
      delete rest[field];
      setServerErrors(rest);
    }
  };

  const bind: Bind = (field, hint) => {
    const server = serverErrors[field];
    const client = clientErrors[field];
    const message = server ?? (client ? t(`register.errors.${client}`) : undefined);
    return {
      id: `patient-${field.replace(".", "-")}`,
      name: field,
      value: values[field],
      onChange: (event) => setValue(field, event.target.value),
      error: message !== undefined,
      helperText: message ?? hint ?? "",
    };
  };

  /** True when the client sees nothing wrong; otherwise the messages appear. */
  const check = (): boolean => {
    const errors = validate(values);
    setChecked(true);
    setClientErrors(errors);
    return Object.keys(errors).length === 0;
  };

  /** Put a 422's messages beside their fields; returns the messages of fields not on the form. */
  const showServerErrors = (fieldErrors: Record<string, string>): string[] => {
    const known: Partial<Record<Field, string>> = {};
    const other: string[] = [];
    for (const [field, message] of Object.entries(fieldErrors)) {
      if ((FIELDS as readonly string[]).includes(field))
        known[field as Field] = serverMessage(message);
      else other.push(`${field}: ${serverMessage(message)}`);
    }
    setServerErrors(known);
    return other;
  };

  return { values, setValue, bind, check, showServerErrors };
}
