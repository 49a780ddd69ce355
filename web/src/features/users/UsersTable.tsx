import EditIcon from "@mui/icons-material/Edit";
import {
  Button,
  Chip,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
} from "@mui/material";
import { useTranslation } from "react-i18next";

import { useLanguage } from "../../i18n/LanguageProvider";
import { formatDateTime } from "../../i18n/format";
import type { User } from "./queries";

/** The users of the page: name, e-mail, roles, facilities, MFA, status and the actions. */
export function UsersTable({
  users,
  facilityNames,
  selfId,
  busyId,
  onEdit,
  onSetActive,
}: {
  users: readonly User[];
  facilityNames: ReadonlyMap<string, string>;
  selfId: string | undefined;
  busyId: string | null;
  onEdit: (user: User) => void;
  onSetActive: (user: User, active: boolean) => void;
}) {
  const { t } = useTranslation("users");
  const { language } = useLanguage();
  const separator = language === "ar" ? "، " : ", ";
  return (
    <Table size="small" aria-label={t("title")}>
      <TableHead>
        <TableRow>
          <TableCell>{t("columns.name")}</TableCell>
          <TableCell>{t("columns.email")}</TableCell>
          <TableCell>{t("columns.roles")}</TableCell>
          <TableCell>{t("columns.facilities")}</TableCell>
          <TableCell>{t("columns.mfa")}</TableCell>
          <TableCell>{t("columns.status")}</TableCell>
          <TableCell>{t("columns.lastLogin")}</TableCell>
          <TableCell>{t("columns.actions")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {users.map((user) => (
          <TableRow key={user.id} sx={user.is_active ? undefined : { opacity: 0.6 }}>
            <TableCell>{user.full_name}</TableCell>
            <TableCell dir="ltr" sx={{ textAlign: "start" }}>
              {user.email}
            </TableCell>
            <TableCell>
              <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: "wrap" }}>
                {user.roles.map((role) => (
                  <Chip
                    key={role}
                    size="small"
                    label={t(`common:roles.${role}`, { defaultValue: role })}
                  />
                ))}
              </Stack>
            </TableCell>
            <TableCell>
              {user.facility_ids
                .map((id) => facilityNames.get(id) ?? t("otherFacility"))
                .join(separator) || "—"}
            </TableCell>
            <TableCell>{user.mfa_enabled ? t("mfaOn") : t("mfaOff")}</TableCell>
            <TableCell>
              <Chip
                size="small"
                color={user.is_active ? "success" : "default"}
                label={user.is_active ? t("active") : t("inactive")}
              />
            </TableCell>
            <TableCell>
              {user.last_login_at ? formatDateTime(user.last_login_at, language) : t("never")}
            </TableCell>
            <TableCell>
              <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
                <Tooltip title={t("editShort")}>
                  <IconButton
                    size="small"
                    aria-label={t("edit", { name: user.full_name })}
                    onClick={() => onEdit(user)}
                  >
                    <EditIcon fontSize="small" />
                  </IconButton>
                </Tooltip>
                {user.id !== selfId && (
                  <Button
                    size="small"
                    color={user.is_active ? "error" : "primary"}
                    disabled={busyId === user.id}
                    aria-label={t(user.is_active ? "deactivateUser" : "reactivateUser", {
                      name: user.full_name,
                    })}
                    onClick={() => onSetActive(user, !user.is_active)}
                  >
                    {user.is_active ? t("deactivate") : t("reactivate")}
                  </Button>
                )}
              </Stack>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
