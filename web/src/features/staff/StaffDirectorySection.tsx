import { Alert, CircularProgress, Stack, TablePagination, Typography } from "@mui/material";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { isProblem } from "../../api/problem";
import type { Facility } from "../facilities/queries";
import { StaffDetailDrawer } from "./StaffDetailDrawer";
import { StaffFilters } from "./StaffFilters";
import { StaffTable } from "./StaffTable";
import { useDepartments, useStaff, type Staff, type StaffFilter } from "./queries";

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
      {staff.isPending && <CircularProgress aria-label={t("common:loading")} />}
      {staff.error && (
        <Alert severity="error">
          {isProblem(staff.error) ? staff.error.message : t("common:networkError")}
        </Alert>
      )}
      {staff.data && staff.data.items.length === 0 && (
        <Typography color="text.secondary">{t("noStaff")}</Typography>
      )}
      {staff.data && staff.data.items.length > 0 && (
        <>
          <StaffTable staff={staff.data.items} departmentNames={departmentNames} onOpen={setOpen} />
          <TablePagination
            component="div"
            count={staff.data.total}
            page={filter.page}
            rowsPerPage={filter.pageSize}
            rowsPerPageOptions={[25, 50, 100]}
            onPageChange={(_, page) => setFilter({ ...filter, page })}
            onRowsPerPageChange={(e) =>
              setFilter({ ...filter, page: 0, pageSize: Number(e.target.value) })
            }
            labelRowsPerPage={t("common:pagination.rowsPerPage")}
            labelDisplayedRows={({ from, to, count }) =>
              `${from}–${to} ${t("common:pagination.of")} ${count}`
            }
          />
        </>
      )}
      <StaffDetailDrawer
        staff={open}
        departmentNames={departmentNames}
        onClose={() => setOpen(null)}
      />
    </Stack>
  );
}
