import { Stack } from "@mui/material";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { QueryState } from "../../layout/QueryState";
import { TablePager } from "../../layout/TablePager";
import type { Facility } from "../facilities/queries";
import { useDepartments, useStaff, type Staff, type StaffFilter } from "./queries";
import { StaffDetailDrawer } from "./StaffDetailDrawer";
import { StaffFilters } from "./StaffFilters";
import { StaffTable } from "./StaffTable";

/** Search and filters, the table of staff and the drawer with one member's details. */
export function StaffDirectorySection({ facilities }: { facilities: readonly Facility[] }) {
  const { t } = useTranslation("staff");
  const [filter, setFilter] = useState<StaffFilter>({
    q: "",
    kind: null,
    facilityId: null,
    departmentId: null,
    page: 0,
    pageSize: 25,
  });
  const [open, setOpen] = useState<Staff | null>(null);
  const staff = useStaff(filter);
  const departments = useDepartments(filter.facilityId);
  const departmentNames = useMemo(
    () => new Map((departments.data?.items ?? []).map((d) => [d.id, d.name])),
    [departments.data],
  );

  return (
    <Stack spacing={2}>
      <StaffFilters
        filter={filter}
        onChange={setFilter}
        facilities={facilities}
        departments={departments.data?.items ?? []}
      />
      <QueryState query={staff} empty={t("noStaff")}>
        {(found) => (
          <>
            <StaffTable staff={found.items} departmentNames={departmentNames} onOpen={setOpen} />
            <TablePager
              count={found.total}
              page={filter.page}
              rowsPerPage={filter.pageSize}
              onPageChange={(page) => setFilter({ ...filter, page })}
              onRowsPerPageChange={(pageSize) => setFilter({ ...filter, page: 0, pageSize })}
            />
          </>
        )}
      </QueryState>
      <StaffDetailDrawer
        staff={open}
        departmentNames={departmentNames}
        onClose={() => setOpen(null)}
      />
    </Stack>
  );
}
