import { Table, TableBody, TableCell, TableHead, TableRow } from "@mui/material";
import { useTranslation } from "react-i18next";

import { useLanguage } from "../../i18n/LanguageProvider";
import { formatDate, formatMoney } from "../../i18n/format";
import type { ChargeItem } from "./queries";

/** The priced services: code, name in the language shown, category and the price in the
 * item's currency (SDG), formatted for the language. */
export function ChargeMasterTable({ items }: { items: readonly ChargeItem[] }) {
  const { t } = useTranslation("staff");
  const { language } = useLanguage();
  return (
    <Table size="small" aria-label={t("tabs.prices")}>
      <TableHead>
        <TableRow>
          <TableCell>{t("prices.code")}</TableCell>
          <TableCell>{t("prices.service")}</TableCell>
          <TableCell>{t("prices.category")}</TableCell>
          <TableCell sx={{ textAlign: "end" }}>{t("prices.price")}</TableCell>
          <TableCell>{t("prices.since")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((item) => (
          <TableRow key={item.id}>
            <TableCell dir="ltr" sx={{ textAlign: "start", fontFamily: "monospace" }}>
              {item.code}
            </TableCell>
            <TableCell>{language === "ar" ? item.name_ar : item.name_en}</TableCell>
            <TableCell>{t(`prices.categories.${item.category}`)}</TableCell>
            <TableCell data-testid="price" sx={{ textAlign: "end", whiteSpace: "nowrap" }}>
              {formatMoney(item.price_minor, item.currency, language)}
            </TableCell>
            <TableCell>{formatDate(item.effective_from, language)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
