import { Link as MuiLink, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { PERMISSIONS } from "../../auth/roles";
import { hasPermission, useSession } from "../../auth/store";
import { displayName } from "../patients/names";
import { usePatient } from "../patients/queries";

/** Who lies in an occupied bed: MRN and name for roles that may read patients, a link to the
 * chart; other roles see only that the bed is occupied (the status text says so). */
export function BedPatient({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation("facilities");
  const me = useSession((s) => s.me);
  const mayRead = hasPermission(me, PERMISSIONS.patientRead);
  const patient = usePatient(patientId, mayRead);
  if (!mayRead) return null;
  const data = patient.data;
  const name = data ? displayName(data, i18n.language) : null;
  return (
    <MuiLink
      component={Link}
      to={`/patients/${patientId}`}
      variant="body2"
      sx={{ display: "block" }}
    >
      {name ? (
        <>
          {t("occupiedBy", { name })}
          <Typography component="span" variant="caption" sx={{ display: "block" }} dir="auto">
            {t("mrn", { mrn: data?.mrn })}
          </Typography>
        </>
      ) : (
        t("occupiedBy", { name: "…" })
      )}
    </MuiLink>
  );
}
