import { MenuItem, TextField } from "@mui/material";
import { useTranslation } from "react-i18next";

import type { Facility } from "./queries";

/** A choice among the facilities the user may see. */
export function FacilitySelect({
  facilities,
  value,
  onChange,
  allowAll,
  allLabel,
}: {
  facilities: readonly Facility[];
  value: string | null;
  onChange: (facilityId: string | null) => void;
  allowAll?: boolean;
  allLabel?: string;
}) {
  const { t } = useTranslation("facilities");
  return (
    <TextField
      select
      label={t("facility")}
      value={value ?? ""}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      sx={{ minWidth: 260 }}
      size="small"
    >
      {allowAll && <MenuItem value="">{allLabel}</MenuItem>}
      {facilities.map((facility) => (
        <MenuItem key={facility.id} value={facility.id}>
          {facility.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
