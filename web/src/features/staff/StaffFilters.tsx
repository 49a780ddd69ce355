import { MenuItem, Stack, TextField } from "@mui/material";
import { useTranslation } from "react-i18next";

import { FacilitySelect } from "../facilities/FacilitySelect";
import type { Facility } from "../facilities/queries";
import { STAFF_KINDS, type StaffFilter, type StaffKind } from "./queries";

interface Department {
  id: string;
  name: string;
}

/** Search by name or licence, and narrow by kind, facility and department. */
export function StaffFilters({
  filter,
  onChange,
  facilities,
  departments,
}: {
  filter: StaffFilter;
  onChange: (filter: StaffFilter) => void;
  facilities: readonly Facility[];
  departments: readonly Department[];
}) {
  const { t } = useTranslation("staff");
  const set = (change: Partial<StaffFilter>) => onChange({ ...filter, page: 0, ...change });
  return (
    <Stack direction={{ xs: "column", md: "row" }} spacing={2} useFlexGap sx={{ flexWrap: "wrap" }}>
      <TextField
        type="search"
        size="small"
        label={t("search")}
        value={filter.q}
        onChange={(e) => set({ q: e.target.value })}
        sx={{ minWidth: 240 }}
      />
      <TextField
        select
        size="small"
        label={t("kind")}
        value={filter.kind ?? ""}
        onChange={(e) =>
          set({ kind: e.target.value === "" ? null : (e.target.value as StaffKind) })
        }
        sx={{ minWidth: 180 }}
      >
        <MenuItem value="">{t("allKinds")}</MenuItem>
        {STAFF_KINDS.map((kind) => (
          <MenuItem key={kind} value={kind}>
            {t(`kinds.${kind}`)}
          </MenuItem>
        ))}
      </TextField>
      {facilities.length > 1 && (
        <FacilitySelect
          facilities={facilities}
          value={filter.facilityId}
          onChange={(facilityId) => set({ facilityId, departmentId: null })}
          allowAll
          allLabel={t("common:allFacilities")}
        />
      )}
      <TextField
        select
        size="small"
        label={t("department")}
        value={filter.departmentId ?? ""}
        onChange={(e) => set({ departmentId: e.target.value === "" ? null : e.target.value })}
        sx={{ minWidth: 200 }}
      >
        <MenuItem value="">{t("allDepartments")}</MenuItem>
        {departments.map((department) => (
          <MenuItem key={department.id} value={department.id}>
            {department.name}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
}
