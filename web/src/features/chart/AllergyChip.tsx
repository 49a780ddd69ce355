import ReportIcon from "@mui/icons-material/Report";
import WarningAmberIcon from "@mui/icons-material/WarningAmber";
import { Chip } from "@mui/material";
import { useTranslation } from "react-i18next";

import type { Allergy } from "./queries";

/** An allergy as a prominent chip: the substance with its severity and criticality in words; red
 * and filled for a high-risk or severe one. */
export function AllergyChip({ allergy }: { allergy: Allergy }) {
  const { t, i18n } = useTranslation("chart");
  const danger = allergy.criticality === "high" || allergy.severity === "severe";
  const details = [
    allergy.severity ? t(`allergies.severities.${allergy.severity}`) : null,
    t(`allergies.criticalities.${allergy.criticality}`),
  ]
    .filter(Boolean)
    .join(i18n.language === "ar" ? "، " : ", ");
  return (
    <Chip
      color={danger ? "error" : "warning"}
      variant={danger ? "filled" : "outlined"}
      icon={danger ? <ReportIcon /> : <WarningAmberIcon />}
      label={t("allergies.chip", { substance: allergy.substance, details })}
      title={allergy.reaction ?? undefined}
      sx={{ fontWeight: 600 }}
    />
  );
}
