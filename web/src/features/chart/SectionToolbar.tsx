import { Stack, Typography } from "@mui/material";
import type { ReactNode } from "react";

/** A section's heading with its actions at the end of the line. */
export function SectionToolbar({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack
      direction="row"
      sx={{
        alignItems: "center",
        justifyContent: "space-between",
        gap: 2,
        mb: 2,
        flexWrap: "wrap",
      }}
    >
      <Typography variant="h6" component="h2">
        {title}
      </Typography>
      <Stack direction="row" sx={{ gap: 1 }}>
        {children}
      </Stack>
    </Stack>
  );
}
