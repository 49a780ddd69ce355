import {
  Alert,
  CircularProgress,
  MenuItem,
  Stack,
  TablePagination,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
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
      {items.isPending && <CircularProgress aria-label={t("common:loading")} />}
      {items.error && (
        <Alert severity="error">
          {isProblem(items.error) ? items.error.message : t("common:networkError")}
        </Alert>
      )}
      {items.data && items.data.items.length === 0 && (
        <Typography color="text.secondary">{t("prices.none")}</Typography>
      )}
      {items.data && items.data.items.length > 0 && (
        <>
          <ChargeMasterTable items={items.data.items} />
          <TablePagination
            component="div"
            count={items.data.total}
            page={filter.page}
            rowsPerPage={filter.pageSize}
            rowsPerPageOptions={[25, 50, 100]}
            onPageChange={(_, page) => setFilter({ ...filter, page })}
            onRowsPerPageChange={(e) => set({ pageSize: Number(e.target.value) })}
            labelRowsPerPage={t("common:pagination.rowsPerPage")}
            labelDisplayedRows={({ from, to, count }) =>
              `${from}–${to} ${t("common:pagination.of")} ${count}`
            }
          />
        </>
      )}
    </Stack>
  );
}
