import {
  Box,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
} from "@mui/material";

interface Option {
  value: string;
  label: string;
  hint?: string;
}

/** A labelled set of checkboxes (roles, facilities), with an error below it. */
export function CheckboxGroup({
  label,
  options,
  value,
  onChange,
  error,
}: {
  label: string;
  options: readonly Option[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  error?: string;
}) {
  return (
    <FormControl component="fieldset" error={Boolean(error)}>
      <FormLabel component="legend">{label}</FormLabel>
      <Box sx={{ display: "grid", gridTemplateColumns: { xs: "1fr", sm: "1fr 1fr" } }}>
        {options.map((option) => (
          <FormControlLabel
            key={option.value}
            label={option.label}
            title={option.hint}
            control={
              <Checkbox
                checked={value.includes(option.value)}
                onChange={(e) =>
                  onChange(
                    e.target.checked
                      ? [...value, option.value]
                      : value.filter((v) => v !== option.value),
                  )
                }
              />
            }
          />
        ))}
      </Box>
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}
