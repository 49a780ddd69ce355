import { Box, Card, CardContent, CircularProgress, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import { ProblemAlert } from "../../layout/ProblemAlert";
import { BedTile } from "./BedTile";
import { OccupancySummary } from "./OccupancySummary";
import { useWardBeds, useWardOccupancy, type Ward } from "./queries";

/** One ward: its occupancy figures and the grid of its beds. */
export function WardSection({ ward, canManage }: { ward: Ward; canManage: boolean }) {
  const { t } = useTranslation("facilities");
  const occupancy = useWardOccupancy(ward.id);
  const beds = useWardBeds(ward.id);
  const error = occupancy.error ?? beds.error;

  return (
    <Card component="section" aria-labelledby={`ward-${ward.id}`}>
      <CardContent>
        <Typography variant="h6" component="h2" id={`ward-${ward.id}`} gutterBottom>
          {ward.name}
        </Typography>
        {error && <ProblemAlert error={error} />}
        {occupancy.data && <OccupancySummary occupancy={occupancy.data} ward={ward.name} />}
        {beds.isPending && <CircularProgress size={24} aria-label={t("common:loading")} />}
        {beds.data && beds.data.items.length === 0 && (
          <Typography color="text.secondary" sx={{ mt: 2 }}>
            {t("noBeds")}
          </Typography>
        )}
        {beds.data && beds.data.items.length > 0 && (
          <Box
            sx={{
              mt: 2,
              display: "grid",
              gap: 1.5,
              gridTemplateColumns: "repeat(auto-fill, minmax(150px, 1fr))",
            }}
          >
            {beds.data.items.map((bed) => (
              <BedTile key={bed.id} bed={bed} canManage={canManage} />
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
