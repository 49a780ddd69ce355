import { TextField, type TextFieldProps } from "@mui/material";

type Props = Omit<TextFieldProps, "value" | "onChange" | "error" | "helperText"> & {
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input and marks it, e.g. the server's message for this field. */
  error?: string | undefined;
  /** Shown under the input while there is no error. */
  hint?: string;
};

/** A text field (or select) bound to a string, with its error, else its hint, under it. */
export function TextInput({ value, onChange, error, hint, ...field }: Props) {
  return (
    <TextField
      {...field}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={Boolean(error)}
      helperText={error ?? hint}
    />
  );
}
