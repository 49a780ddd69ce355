import CloseIcon from "@mui/icons-material/Close";
import { Box, Chip, Drawer, IconButton, Stack, Toolbar, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";

import type { Staff } from "./queries";
import { staffName } from "./staffName";
import { WorkingHoursList } from "./WorkingHoursList";

/** One staff member: kind, licence, specialties, departments and weekly working hours. */
export function StaffDetailDrawer({
  staff,
  departmentNames,
  onClose,
}: {
  staff: Staff | null;
  departmentNames: ReadonlyMap<string, string>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation("staff");
  const name = staff ? staffName(staff, i18n.language) : "";
  return (
    <Drawer anchor="right" open={staff !== null} onClose={onClose}>
      {staff && (
        <Box
          sx={{ width: { xs: "100vw", sm: 420 }, p: 3 }}
          role="dialog"
          aria-label={t("details", { name })}
        >
          {/* The app bar stays above drawers: keep the content below it. */}
          <Toolbar disableGutters />
          <Stack direction="row" sx={{ justifyContent: "space-between", alignItems: "center" }}>
            <Typography variant="h5" component="h2">
              {name}
            </Typography>
            <IconButton onClick={onClose} aria-label={t("common:close")}>
              <CloseIcon />
            </IconButton>
          </Stack>
          <Typography color="text.secondary">
            {i18n.language === "ar" ? staff.full_name_en : staff.full_name_ar}
          </Typography>
          <Stack spacing={1} sx={{ my: 2 }}>
            <Typography>
              {t("columns.kind")}: {t(`kinds.${staff.kind}`)}
            </Typography>
            <Typography>
              {t("columns.licence")}: <bdi dir="ltr">{staff.licence_number ?? "—"}</bdi>
            </Typography>
            <Stack
              direction="row"
              spacing={1}
              useFlexGap
              sx={{ flexWrap: "wrap", alignItems: "center" }}
            >
              <Typography>{t("columns.specialties")}:</Typography>
              {staff.specialties.length === 0 && <Typography>—</Typography>}
              {staff.specialties.map((specialty) => (
                <Chip key={specialty} size="small" label={specialty} />
              ))}
            </Stack>
            <Stack
              direction="row"
              spacing={1}
              useFlexGap
              sx={{ flexWrap: "wrap", alignItems: "center" }}
            >
              <Typography>{t("columns.departments")}:</Typography>
              {staff.department_ids.length === 0 && <Typography>—</Typography>}
              {staff.department_ids.map((id) => (
                <Chip
                  key={id}
                  size="small"
                  variant="outlined"
                  label={departmentNames.get(id) ?? "…"}
                />
              ))}
            </Stack>
            <Typography>{staff.is_active ? t("active") : t("inactive")}</Typography>
          </Stack>
          <Typography variant="h6" component="h3" gutterBottom>
            {t("workingHours")}
          </Typography>
          <WorkingHoursList staffId={staff.id} />
        </Box>
      )}
    </Drawer>
  );
}
