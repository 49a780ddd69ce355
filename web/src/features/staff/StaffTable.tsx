import { Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import type { Staff } from "./queries";
import { staffName } from "./staffName";

/** The staff found, one row each; a row opens the detail drawer. */
export function StaffTable({
  staff,
  departmentNames,
  onOpen,
}: {
  staff: readonly Staff[];
  departmentNames: ReadonlyMap<string, string>;
  onOpen: (staff: Staff) => void;
}) {
  const { t, i18n } = useTranslation("staff");
  return (
    <Table size="small" aria-label={t("tabs.directory")}>
      <TableHead>
        <TableRow>
          <TableCell>{t("columns.name")}</TableCell>
          <TableCell>{t("columns.kind")}</TableCell>
          <TableCell>{t("columns.licence")}</TableCell>
          <TableCell>{t("columns.specialties")}</TableCell>
          <TableCell>{t("columns.departments")}</TableCell>
          <TableCell>{t("columns.active")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {staff.map((member) => (
          <TableRow
            key={member.id}
            hover
            onClick={() => onOpen(member)}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === " ") onOpen(member);
            }}
            tabIndex={0}
            sx={{ cursor: "pointer" }}
            aria-label={t("details", { name: staffName(member, i18n.language) })}
          >
            <TableCell>{staffName(member, i18n.language)}</TableCell>
            <TableCell>{t(`kinds.${member.kind}`)}</TableCell>
            <TableCell dir="ltr" sx={{ textAlign: "start" }}>
              {member.licence_number ?? "—"}
            </TableCell>
            <TableCell>
              {member.specialties.join(i18n.language === "ar" ? "، " : ", ") || "—"}
            </TableCell>
            <TableCell>
              {member.department_ids
                .map((id) => departmentNames.get(id) ?? "")
                .filter(Boolean)
                .join(i18n.language === "ar" ? "، " : ", ") || "—"}
            </TableCell>
            <TableCell>
              {member.is_active ? (
                <Chip size="small" color="success" label={t("active")} />
              ) : (
                <Typography variant="body2" color="text.secondary">
                  {t("inactive")}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
