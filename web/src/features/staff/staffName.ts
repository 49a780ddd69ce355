import type { Staff } from "./queries";

/** The name in the language shown (Arabic names are recorded for every staff member). */
export function staffName(staff: Staff, language: string): string {
  return language === "ar" ? staff.full_name_ar : staff.full_name_en;
}
