import type { Schemas } from "../../api/client";

export type VitalSigns = Schemas["VitalSignsRead"];
export type VitalFlag = Schemas["VitalFlag"];

/** The readings a set of vital signs may carry, in the order the chart shows them. */
export const VITAL_NAMES = [
  "heart_rate",
  "systolic_bp",
  "diastolic_bp",
  "spo2",
  "temperature",
  "respiratory_rate",
  "weight",
  "height",
] as const;

export type VitalName = (typeof VITAL_NAMES)[number];

/** The six readings with an adult range (DOMAIN.md); weight and height have none. */
export const CORE_VITALS: readonly VitalName[] = VITAL_NAMES.slice(0, 6);

/** Decimals shown per reading (temperature to a tenth of a degree). */
export const VITAL_DECIMALS: Record<VitalName, number> = {
  heart_rate: 0,
  systolic_bp: 0,
  diastolic_bp: 0,
  spo2: 0,
  temperature: 1,
  respiratory_rate: 0,
  weight: 1,
  height: 0,
};

/** Adult critical limits (DOMAIN.md), drawn as reference lines on the trend charts. The flags
 * that decide what is highlighted come from the server with each reading. */
export const CRITICAL_LIMITS: Partial<Record<VitalName, { low?: number; high?: number }>> = {
  heart_rate: { low: 40, high: 150 },
  systolic_bp: { low: 70, high: 180 },
  diastolic_bp: { low: 40, high: 110 },
  spo2: { low: 90 },
  temperature: { low: 35, high: 39 },
  respiratory_rate: { low: 8, high: 30 },
};

/** Adult normal ranges (DOMAIN.md): a trend's axis always spans at least these, so a steady
 * normal reading looks flat rather than magnified. */
export const NORMAL_RANGES: Partial<Record<VitalName, [number, number]>> = {
  heart_rate: [60, 100],
  systolic_bp: [90, 140],
  diastolic_bp: [60, 90],
  spo2: [90, 100],
  temperature: [36, 37.5],
  respiratory_rate: [12, 20],
};

export function isVitalName(name: string): name is VitalName {
  return (VITAL_NAMES as readonly string[]).includes(name);
}

export function flagOf(reading: VitalSigns, name: VitalName): VitalFlag | undefined {
  return reading.values[name] === undefined ? undefined : (reading.flags[name] ?? "normal");
}

/** The readings of a set flagged critical, in chart order (a live alert's flags are plain
 * strings). */
export function criticalReadings(reading: { flags: Partial<Record<string, string>> }): VitalName[] {
  return VITAL_NAMES.filter((name) => reading.flags[name] === "critical");
}

/** Western digits for Arabic-Indic ones and the Arabic decimal separator, so a value typed on an
 * Arabic keyboard reads as a number. */
export function parseDecimal(text: string): number | null | "invalid" {
  const western = text
    .trim()
    .replace(/[٠-٩]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/[٫,]/g, ".");
  if (western === "") return null;
  if (!/^\d+(\.\d+)?$/.test(western)) return "invalid";
  return Number(western);
}
