import { Alert, Box } from "@mui/material";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router-dom";

import { hasRole, useSession } from "./store";

/** A page for the given roles only (super_admin always): others are told, anonymous users sent
 * to log in and brought back afterwards. */
export function RequireRole({
  roles,
  children,
}: {
  roles?: readonly string[];
  children: ReactNode;
}) {
  const me = useSession((s) => s.me);
  const location = useLocation();
  const { t } = useTranslation();
  if (me === null) return <Navigate to="/login" replace state={{ from: location }} />;
  if (roles !== undefined && !hasRole(me, roles)) {
    return (
      <Box sx={{ p: 3 }}>
        <Alert severity="warning" role="alert">
          {t("notAllowed")}
        </Alert>
      </Box>
    );
  }
  return <>{children}</>;
}
