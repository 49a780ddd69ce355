import { useTranslation } from "react-i18next";

import { useBed, useWard } from "./queries";

/** A bed by its label and ward ("Bed MED-03 · Medical Ward"); roles that may not read beds see
 * only that one is assigned. */
export function BedLabel({ bedId, bare = false }: { bedId: string; bare?: boolean }) {
  const { t } = useTranslation("chart");
  const bed = useBed(bedId);
  const ward = useWard(bed.data?.ward_id);
  if (!bed.data) return <>{bed.isPending ? "…" : t("header.bedAssigned")}</>;
  if (bare) return <>{bed.data.label}</>;
  return (
    <>
      {ward.data
        ? t("header.bedInWard", { bed: bed.data.label, ward: ward.data.name })
        : t("header.bed", { bed: bed.data.label })}
    </>
  );
}
