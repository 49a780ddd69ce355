import { Stack, Tab, Tabs, Typography } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { PERMISSIONS } from "../../auth/roles";
import { hasPermission, useSession } from "../../auth/store";
import { useFacilities } from "../facilities/queries";
import { defaultFacilityId, useOwnFacilityIds } from "../facilities/useDefaultFacility";
import { ChargeMasterSection } from "./ChargeMasterSection";
import { StaffDirectorySection } from "./StaffDirectorySection";

type TabName = "directory" | "prices";

/** The staff directory and, for roles that read the charge master, services and prices. */
export function StaffDirectoryPage() {
  const { t } = useTranslation("staff");
  const me = useSession((s) => s.me);
  const ownIds = useOwnFacilityIds();
  const facilities = useFacilities();
  const [tab, setTab] = useState<TabName>("directory");
  const mayReadPrices = hasPermission(me, PERMISSIONS.chargeRead);

  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        {t("title")}
      </Typography>
      {mayReadPrices && (
        <Tabs value={tab} onChange={(_, value: TabName) => setTab(value)}>
          <Tab value="directory" label={t("tabs.directory")} />
          <Tab value="prices" label={t("tabs.prices")} />
        </Tabs>
      )}
      {tab === "directory" && <StaffDirectorySection facilities={facilities.data?.items ?? []} />}
      {tab === "prices" && mayReadPrices && (
        <ChargeMasterSection facilityId={defaultFacilityId(facilities.data?.items, ownIds)} />
      )}
    </Stack>
  );
}
