import { Box, TableCell } from "@mui/material";

import { FlagLabel } from "./FlagLabel";
import { useVitalFormat } from "./useVitalFormat";
import { flagOf, type VitalName, type VitalSigns } from "./vitals";

/** One reading in the vital signs table: the value, and its flag in words when out of range. */
export function VitalValueCell({ reading, name }: { reading: VitalSigns; name: VitalName }) {
  const { number } = useVitalFormat();
  const value = reading.values[name];
  const flag = flagOf(reading, name);
  const critical = flag === "critical";
  return (
    <TableCell
      data-flag={flag ?? "none"}
      sx={{
        color: critical ? "error.main" : flag === "abnormal" ? "warning.dark" : undefined,
        fontWeight: critical ? 700 : undefined,
      }}
    >
      {value === undefined ? (
        "—"
      ) : (
        <Box sx={{ display: "flex", flexDirection: "column", alignItems: "flex-start" }}>
          <span>{number(name, value)}</span>
          <FlagLabel flag={flag} />
        </Box>
      )}
    </TableCell>
  );
}
