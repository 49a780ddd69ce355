import { Box } from "@mui/material";

/** A phone number reads left to right in Arabic text too (+249 first). */
export function PhoneNumber({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return (
    <Box component="bdi" dir="ltr" sx={{ whiteSpace: "nowrap" }}>
      {value}
    </Box>
  );
}
