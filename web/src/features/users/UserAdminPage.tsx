import PersonAddIcon from "@mui/icons-material/PersonAdd";
import { Alert, Button, Stack, TextField, Typography } from "@mui/material";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "../../auth/store";
import { ProblemAlert } from "../../layout/ProblemAlert";
import { QueryState } from "../../layout/QueryState";
import { TablePager } from "../../layout/TablePager";
import { useFacilities } from "../facilities/queries";
import { useRoles, useSetUserActive, useUsers, type User, type UserFilter } from "./queries";
import { UserFormDialog } from "./UserFormDialog";
import { UsersTable } from "./UsersTable";

type Editing = { user: User | null } | null;

/** User administration: find users by e-mail, create, edit, change roles, deactivate. */
export function UserAdminPage() {
  const { t } = useTranslation("users");
  const me = useSession((s) => s.me);
  const [filter, setFilter] = useState<UserFilter>({ email: "", page: 0, pageSize: 25 });
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const users = useUsers(filter);
  const roles = useRoles();
  const facilities = useFacilities();
  const setActive = useSetUserActive();
  const facilityNames = useMemo(
    () => new Map((facilities.data?.items ?? []).map((f) => [f.id, f.name])),
    [facilities.data],
  );
  const error = users.error ?? roles.error ?? setActive.error;

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: "space-between", alignItems: "center" }}>
        <Typography variant="h4" component="h1">
          {t("title")}
        </Typography>
        <Button
          variant="contained"
          startIcon={<PersonAddIcon />}
          onClick={() => setEditing({ user: null })}
          disabled={!roles.data}
        >
          {t("newUser")}
        </Button>
      </Stack>
      <TextField
        type="search"
        size="small"
        label={t("searchEmail")}
        value={filter.email}
        onChange={(e) => setFilter({ ...filter, email: e.target.value, page: 0 })}
        sx={{ maxWidth: 360 }}
        slotProps={{ htmlInput: { dir: "ltr" } }}
      />
      {notice && (
        <Alert severity="success" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {error && (
        <ProblemAlert
          error={error}
          onClose={setActive.error ? () => setActive.reset() : undefined}
        />
      )}
      <QueryState query={users} empty={t("noUsers")} showError={false}>
        {(found) => (
          <>
            <UsersTable
              users={found.items}
              facilityNames={facilityNames}
              selfId={me?.id}
              busyId={setActive.isPending ? (setActive.variables?.user.id ?? null) : null}
              onEdit={(user) => setEditing({ user })}
              onSetActive={(user, active) => setActive.mutate({ user, active })}
            />
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
      {editing && roles.data && (
        <UserFormDialog
          key={editing.user?.id ?? "new"}
          user={editing.user}
          roles={roles.data}
          facilities={facilities.data?.items ?? []}
          onClose={() => setEditing(null)}
          onDone={(user, created) => {
            setEditing(null);
            setNotice(t(created ? "created" : "saved", { email: user.email }));
          }}
        />
      )}
    </Stack>
  );
}
