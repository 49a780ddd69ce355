import { Alert, CircularProgress, Stack, Typography } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { PERMISSIONS } from "../../auth/roles";
import { hasPermission, useSession } from "../../auth/store";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { FacilitySelect } from "./FacilitySelect";
import { useFacilities, useWards } from "./queries";
import { defaultFacilityId, useOwnFacilityIds } from "./useDefaultFacility";
import { WardSection } from "./WardSection";

/** The wards of one facility with their occupancy and beds, refreshed every 30 seconds. */
export function BedBoardPage() {
  const { t } = useTranslation("facilities");
  const me = useSession((s) => s.me);
  const ownIds = useOwnFacilityIds();
  const facilities = useFacilities();
  const [chosen, setChosen] = useState<string | null>(null);
  const facilityId = chosen ?? defaultFacilityId(facilities.data?.items, ownIds);
  const wards = useWards(facilityId);
  const canManage = hasPermission(me, PERMISSIONS.bedManage);
  const error = facilities.error ?? wards.error;

  return (
    <Stack spacing={2}>
      <Stack
        direction={{ xs: "column", sm: "row" }}
        spacing={2}
        sx={{ justifyContent: "space-between", alignItems: { sm: "center" } }}
      >
        <div>
          <Typography variant="h4" component="h1">
            {t("title")}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {t("refreshNote")}
          </Typography>
        </div>
        {facilities.data && facilities.data.items.length > 1 && (
          <FacilitySelect
            facilities={facilities.data.items}
            value={facilityId}
            onChange={setChosen}
          />
        )}
      </Stack>
      {error && <ProblemAlert error={error} />}
      {(facilities.isPending || (facilityId !== null && wards.isPending)) && (
        <CircularProgress aria-label={t("common:loading")} />
      )}
      {facilities.data && facilityId === null && <Alert severity="info">{t("noFacilities")}</Alert>}
      {wards.data && wards.data.items.length === 0 && <Alert severity="info">{t("noWards")}</Alert>}
      {wards.data?.items.map((ward) => (
        <WardSection key={ward.id} ward={ward} canManage={canManage} />
      ))}
    </Stack>
  );
}
