import MoreVertIcon from "@mui/icons-material/MoreVert";
import { Box, Chip, IconButton, Menu, MenuItem, Paper, Stack, Typography } from "@mui/material";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ProblemAlert } from "../../layout/ProblemAlert";
import { BedPatient } from "./BedPatient";
import { MANUAL_TRANSITIONS, STATUS_LOOK } from "./bedStatus";
import { useChangeBedStatus, type Bed } from "./queries";

/** One bed on the board: its label, status in colour, icon and words, the patient when
 * occupied, and (for roles that manage beds) the status changes the workflow allows. */
export function BedTile({ bed, canManage }: { bed: Bed; canManage: boolean }) {
  const { t } = useTranslation("facilities");
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const change = useChangeBedStatus(bed);
  const look = STATUS_LOOK[bed.status];
  const targets = MANUAL_TRANSITIONS[bed.status];
  const statusText = t(`status.${bed.status}`);

  return (
    <Paper
      variant="outlined"
      role="group"
      aria-label={t("bedLabel", { bed: bed.label, status: statusText })}
      data-status={bed.status}
      sx={(theme) => ({
        p: 1.5,
        minHeight: 96,
        borderInlineStart: `6px solid ${
          look.color === "grey" ? theme.palette.grey[500] : theme.palette[look.color].main
        }`,
      })}
    >
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between" }}>
        <Typography variant="subtitle1" component="h3" dir="ltr" sx={{ fontWeight: 600 }}>
          {bed.label}
        </Typography>
        {canManage && targets.length > 0 && (
          <IconButton
            size="small"
            aria-label={t("changeStatus", { bed: bed.label })}
            onClick={(e) => setAnchor(e.currentTarget)}
            disabled={change.isPending}
          >
            <MoreVertIcon fontSize="small" />
          </IconButton>
        )}
      </Stack>
      <Chip
        size="small"
        icon={look.icon}
        label={statusText}
        color={look.color === "grey" ? "default" : look.color}
        variant={bed.status === "available" ? "outlined" : "filled"}
        sx={{ mt: 0.5 }}
      />
      {bed.status === "occupied" && bed.patient_id && (
        <Box sx={{ mt: 1 }}>
          <BedPatient patientId={bed.patient_id} />
        </Box>
      )}
      {change.error && (
        <ProblemAlert error={change.error} sx={{ mt: 1, py: 0 }} onClose={() => change.reset()} />
      )}
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {targets.map((target) => (
          <MenuItem
            key={target}
            onClick={() => {
              setAnchor(null);
              change.mutate(target);
            }}
          >
            {t(`setStatus.${target}`)}
          </MenuItem>
        ))}
      </Menu>
    </Paper>
  );
}
