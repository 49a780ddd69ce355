import { Paper, Stack, Typography } from "@mui/material";
import { useId, type ReactNode } from "react";

/** A titled group of the form's fields. */
export function FormSection({
  title,
  hint,
  children,
}: {
  title: string;
  hint?: string;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <Paper
      component="section"
      aria-labelledby={headingId}
      variant="outlined"
      sx={{ p: { xs: 2, md: 3 } }}
    >
      <Stack spacing={2}>
        <div>
          <Typography id={headingId} component="h2" variant="h6">
            {title}
          </Typography>
          {hint && (
            <Typography variant="body2" color="text.secondary">
              {hint}
            </Typography>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}
