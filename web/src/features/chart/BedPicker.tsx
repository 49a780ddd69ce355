import {
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  Radio,
  RadioGroup,
  Typography,
} from "@mui/material";
import { useTranslation } from "react-i18next";

import type { Bed, Ward } from "../facilities/queries";

/** The available beds as a choice of one, each named by its label and ward. */
export function BedPicker({
  beds,
  wards,
  value,
  onChange,
  error,
}: {
  beds: Bed[];
  wards: Ward[];
  value: string;
  onChange: (bedId: string) => void;
  error?: string | null;
}) {
  const { t } = useTranslation("chart");
  const wardName = new Map(wards.map((ward) => [ward.id, ward.name]));
  return (
    <FormControl error={Boolean(error)} component="fieldset">
      <FormLabel component="legend">{t("admit.beds")}</FormLabel>
      {beds.length === 0 ? (
        <Typography color="text.secondary" sx={{ py: 1 }}>
          {t("admit.noBeds")}
        </Typography>
      ) : (
        <RadioGroup
          value={value}
          onChange={(event) => onChange(event.target.value)}
          sx={{
            display: "grid",
            gridTemplateColumns: { xs: "1fr", sm: "1fr 1fr" },
            maxHeight: 280,
            overflowY: "auto",
          }}
        >
          {beds.map((bed) => (
            <FormControlLabel
              key={bed.id}
              value={bed.id}
              control={<Radio />}
              label={
                wardName.has(bed.ward_id)
                  ? t("admit.bedOption", { bed: bed.label, ward: wardName.get(bed.ward_id) })
                  : bed.label
              }
            />
          ))}
        </RadioGroup>
      )}
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}
