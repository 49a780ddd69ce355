import { MenuItem, TextField } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { fieldMessage, formLevelError } from "../../forms/fieldErrors";
import { FormDialog } from "../../forms/FormDialog";
import { TextInput } from "../../forms/TextInput";
import { LANGUAGES, type Language } from "../../i18n/languages";
import type { Facility } from "../facilities/queries";
import { CheckboxGroup } from "./CheckboxGroup";
import { userFieldErrors } from "./formErrors";
import { useCreateUser, useUpdateUser, type Role, type User } from "./queries";

const INPUTS = ["email", "full_name", "password", "preferred_language", "roles", "facility_ids"];

/** Create a user (e-mail, name, initial password, language of messages, roles, facilities) or
 * edit one (the same without the password); the server's objections appear beside the matching
 * input. */
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
  // Arabic, the platform's primary language, unless chosen otherwise.
  const [language, setLanguage] = useState<Language>(user?.preferred_language ?? "ar");
  const [chosenRoles, setChosenRoles] = useState<string[]>(user?.roles ?? []);
  const [facilityIds, setFacilityIds] = useState<string[]>(user?.facility_ids ?? []);
  const [rolesMissing, setRolesMissing] = useState(false);
  const create = useCreateUser();
  const update = useUpdateUser(user);
  const mutation = user === null ? create : update;
  const fields = userFieldErrors(mutation.error);

  function submit() {
    if (chosenRoles.length === 0) {
      setRolesMissing(true);
      return;
    }
    setRolesMissing(false);
    const common = {
      email: email.trim(),
      full_name: fullName.trim(),
      preferred_language: language,
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
    <FormDialog
      open
      title={user === null ? t("form.createTitle") : t("form.editTitle")}
      onClose={onClose}
      onSubmit={submit}
      pending={mutation.isPending}
      submitLabel={user === null ? t("form.create") : t("form.save")}
      problem={formLevelError(mutation.error, fields, INPUTS)}
    >
      <TextInput
        label={t("form.email")}
        type="email"
        value={email}
        onChange={setEmail}
        error={fieldMessage(fields, "email")}
        required
        autoFocus
        slotProps={{ htmlInput: { dir: "ltr" } }}
      />
      <TextInput
        label={t("form.fullName")}
        value={fullName}
        onChange={setFullName}
        error={fieldMessage(fields, "full_name")}
        required
      />
      {user === null && (
        <TextInput
          label={t("form.password")}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={fieldMessage(fields, "password")}
          hint={t("form.passwordHelp")}
          required
        />
      )}
      <TextField
        select
        label={t("form.language")}
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
        error={Boolean(fieldMessage(fields, "preferred_language"))}
        helperText={fieldMessage(fields, "preferred_language")}
      >
        {LANGUAGES.map((option) => (
          <MenuItem key={option} value={option}>
            {t(`common:languages.${option}`)}
          </MenuItem>
        ))}
      </TextField>
      <CheckboxGroup
        label={t("form.roles")}
        options={roleOptions}
        value={chosenRoles}
        onChange={setChosenRoles}
        error={
          fieldMessage(fields, "roles") ?? (rolesMissing ? t("form.rolesRequired") : undefined)
        }
      />
      {facilityOptions.length > 0 && (
        <CheckboxGroup
          label={t("form.facilities")}
          options={facilityOptions}
          value={facilityIds}
          onChange={setFacilityIds}
          error={fieldMessage(fields, "facility_ids")}
        />
      )}
    </FormDialog>
  );
}
