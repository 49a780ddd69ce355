import { MenuItem, Stack, TextField } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { QueryState } from "../../layout/QueryState";
import { TablePager } from "../../layout/TablePager";
import { ChargeMasterTable } from "./ChargeMasterTable";
import {
  CHARGE_CATEGORIES,
  useChargeItems,
  type ChargeCategory,
  type ChargeFilter,
} from "./queries";

/** The charge master of the facility chosen on the page, searchable by name or code. */
export function ChargeMasterSection({ facilityId }: { facilityId: string | null }) {
  const { t } = useTranslation("staff");
  const [filter, setFilter] = useState<Omit<ChargeFilter, "facilityId">>({
    q: "",
    category: null,
    page: 0,
    pageSize: 25,
  });
  const items = useChargeItems({ ...filter, facilityId });
  const set = (change: Partial<ChargeFilter>) => setFilter({ ...filter, page: 0, ...change });

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: "column", md: "row" }} spacing={2}>
        <TextField
          type="search"
          size="small"
          label={t("prices.search")}
          value={filter.q}
          onChange={(e) => set({ q: e.target.value })}
          sx={{ minWidth: 240 }}
        />
        <TextField
          select
          size="small"
          label={t("prices.category")}
          value={filter.category ?? ""}
          onChange={(e) =>
            set({ category: e.target.value === "" ? null : (e.target.value as ChargeCategory) })
          }
          sx={{ minWidth: 200 }}
        >
          <MenuItem value="">{t("prices.allCategories")}</MenuItem>
          {CHARGE_CATEGORIES.map((category) => (
            <MenuItem key={category} value={category}>
              {t(`prices.categories.${category}`)}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <QueryState query={items} empty={t("prices.none")}>
        {(found) => (
          <>
            <ChargeMasterTable items={found.items} />
            <TablePager
              count={found.total}
              page={filter.page}
              rowsPerPage={filter.pageSize}
              onPageChange={(page) => setFilter({ ...filter, page })}
              onRowsPerPageChange={(pageSize) => set({ pageSize })}
            />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
