import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  TextField,
} from "@mui/material";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Facility } from "../facilities/queries";
import { CheckboxGroup } from "./CheckboxGroup";
import { fieldErrorsOf, isFormLevel } from "./formErrors";
import { useCreateUser, useUpdateUser, type Role, type User } from "./queries";

function errorFor(fields: Record<string, string>, name: string): string | undefined {
  if (fields[name]) return fields[name];
  const nested = Object.keys(fields).find((key) => key.startsWith(`${name}.`));
  return nested ? fields[nested] : undefined;
}

/** Create a user (e-mail, name, initial password, roles, facilities) or edit one (the same
 * without the password); the server's objections appear beside the matching input. */
export function UserFormDialog({
  user,
  roles,
  facilities,
  onClose,
  onDone,
}: {
  user: User | null;
  roles: readonly Role[];
  facilities: readonly Facility[];
  onClose: () => void;
  onDone: (user: User, created: boolean) => void;
}) {
  const { t } = useTranslation("users");
  const [email, setEmail] = useState(user?.email ?? "");
  const [fullName, setFullName] = useState(user?.full_name ?? "");
  const [password, setPassword] = useState("");
  const [chosenRoles, setChosenRoles] = useState<string[]>(user?.roles ?? []);
  const [facilityIds, setFacilityIds] = useState<string[]>(user?.facility_ids ?? []);
  const [rolesMissing, setRolesMissing] = useState(false);
  const create = useCreateUser();
  const update = useUpdateUser(user);
  const mutation = user === null ? create : update;
  const fields = fieldErrorsOf(mutation.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosenRoles.length === 0) {
      setRolesMissing(true);
      return;
    }
    setRolesMissing(false);
    const common = {
      email: email.trim(),
      full_name: fullName.trim(),
      roles: chosenRoles,
      facility_ids: facilityIds,
    };
    if (user === null) {
      create.mutate({ ...common, password }, { onSuccess: (created) => onDone(created, true) });
    } else {
      update.mutate(common, { onSuccess: (saved) => onDone(saved, false) });
    }
  }

  const roleOptions = roles.map((role) => ({
    value: role.name,
    label: t(`common:roles.${role.name}`, { defaultValue: role.name }),
    hint: role.description,
  }));
  const facilityOptions = facilities.map((f) => ({ value: f.id, label: f.name }));

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{user === null ? t("form.createTitle") : t("form.editTitle")}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {isFormLevel(mutation.error) && (
              <Alert severity="error">{mutation.error?.message}</Alert>
            )}
            <TextField
              label={t("form.email")}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={Boolean(errorFor(fields, "email"))}
              helperText={errorFor(fields, "email")}
              required
              autoFocus
              slotProps={{ htmlInput: { dir: "ltr" } }}
            />
            <TextField
              label={t("form.fullName")}
              value={fullName}
              onChange={(e) => setFullName(e.target.value)}
              error={Boolean(errorFor(fields, "full_name"))}
              helperText={errorFor(fields, "full_name")}
              required
            />
            {user === null && (
              <TextField
                label={t("form.password")}
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                error={Boolean(errorFor(fields, "password"))}
                helperText={errorFor(fields, "password") ?? t("form.passwordHelp")}
                required
              />
            )}
            <CheckboxGroup
              label={t("form.roles")}
              options={roleOptions}
              value={chosenRoles}
              onChange={setChosenRoles}
              error={
                errorFor(fields, "roles") ?? (rolesMissing ? t("form.rolesRequired") : undefined)
              }
            />
            {facilityOptions.length > 0 && (
              <CheckboxGroup
                label={t("form.facilities")}
                options={facilityOptions}
                value={facilityIds}
                onChange={setFacilityIds}
                error={errorFor(fields, "facility_ids")}
              />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t("common:cancel")}</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {user === null ? t("form.create") : t("form.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
