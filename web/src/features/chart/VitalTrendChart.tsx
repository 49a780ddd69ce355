import ErrorIcon from "@mui/icons-material/Error";
import { Box, Chip, Paper, Stack, Typography, useTheme } from "@mui/material";
import { ChartsReferenceLine } from "@mui/x-charts/ChartsReferenceLine";
import { LineChart } from "@mui/x-charts/LineChart";
import { useTranslation } from "react-i18next";

import { formatDateTime, TIME_ZONE } from "../../i18n/format";
import { localeOf } from "../../i18n/languages";
import { useLanguage } from "../../i18n/LanguageProvider";
import { useVitalFormat } from "./useVitalFormat";
import { CRITICAL_LIMITS, flagOf, NORMAL_RANGES, type VitalName, type VitalSigns } from "./vitals";

function name0IsSpo2(names: readonly VitalName[]): boolean {
  return names[0] === "spo2";
}

const SERIES_COLORS = ["#0b5f7a", "#6a4c93"];

/** One trend over time (blood pressure draws systolic and diastolic together): out-of-range
 * points are marked, red when critical and amber when abnormal, with the adult critical limits as
 * dashed lines and a count of critical readings in words. */
export function VitalTrendChart({
  title,
  names,
  readings,
}: {
  title: string;
  names: readonly VitalName[];
  /** Oldest first. */
  readings: VitalSigns[];
}) {
  const { t } = useTranslation("chart");
  const { language } = useLanguage();
  const theme = useTheme();
  const { withUnit, number } = useVitalFormat();
  const shown = readings.filter((r) => names.some((name) => r.values[name] !== undefined));
  const criticalCount = shown.filter((r) =>
    names.some((name) => flagOf(r, name) === "critical"),
  ).length;
  const unit = names[0] === undefined ? "" : t(`vitals.units.${names[0]}`);
  const tick = new Intl.DateTimeFormat(localeOf(language), {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: TIME_ZONE,
  });
  const values = names.flatMap((name) =>
    shown.map((r) => r.values[name]).filter((v): v is number => v !== undefined),
  );
  const bounds = [...values, ...names.flatMap((name) => NORMAL_RANGES[name] ?? [])];
  const low = Math.min(...bounds);
  const high = Math.max(...bounds);
  const pad = (high - low) * 0.1 || 1;
  const axisMin = Math.max(0, low - pad);
  const axisMax = name0IsSpo2(names) ? Math.min(100, high + pad) : high + pad;
  const limits = [
    ...new Set(
      names.flatMap((name) => {
        const limit = CRITICAL_LIMITS[name];
        return [limit?.low, limit?.high].filter((v): v is number => v !== undefined);
      }),
    ),
  ];

  return (
    <Paper variant="outlined" sx={{ p: 1.5, m: 0 }} component="figure" aria-label={title}>
      <Stack direction="row" sx={{ alignItems: "center", gap: 1, mb: 0.5, flexWrap: "wrap" }}>
        <Typography variant="subtitle2" component="figcaption">
          {title} ({unit})
        </Typography>
        {criticalCount > 0 && (
          <Chip
            size="small"
            color="error"
            icon={<ErrorIcon />}
            label={t("vitals.criticalCount", {
              count: criticalCount,
              n: number("heart_rate", criticalCount),
            })}
          />
        )}
      </Stack>
      {shown.length === 0 ? (
        <Typography variant="body2" color="text.secondary" sx={{ py: 4, textAlign: "center" }}>
          {t("vitals.empty")}
        </Typography>
      ) : (
        // Time runs left to right in either language.
        <Box dir="ltr">
          <LineChart
            height={220}
            skipAnimation
            margin={{ top: 8, bottom: 4, left: 4, right: 12 }}
            hideLegend={names.length < 2}
            xAxis={[
              {
                scaleType: "time",
                data: shown.map((r) => new Date(r.recorded_at)),
                valueFormatter: (value: Date, context) =>
                  context.location === "tick"
                    ? tick.format(value)
                    : formatDateTime(value.toISOString(), language),
              },
            ]}
            yAxis={[{ width: 44, min: axisMin, max: axisMax }]}
            series={names.map((name, index) => {
              const base =
                SERIES_COLORS[index % SERIES_COLORS.length] ?? theme.palette.primary.main;
              const flagAt = (i: number) => {
                const reading = shown[i];
                return reading === undefined ? undefined : flagOf(reading, name);
              };
              return {
                id: name,
                label: t(`vitals.names.${name}`),
                data: shown.map((r) => r.values[name] ?? null),
                // Straight segments between readings: a smoothed curve would suggest values
                // nobody measured.
                curve: "linear" as const,
                color: base,
                colorGetter: ({ dataIndex }: { dataIndex: number }) => {
                  const flag = flagAt(dataIndex);
                  if (flag === "critical") return theme.palette.error.main;
                  if (flag === "abnormal") return theme.palette.warning.main;
                  return base;
                },
                showMark: ({ index }: { index: number }) =>
                  shown.length === 1 || (flagAt(index) ?? "normal") !== "normal",
                valueFormatter: (value: number | null, context: { dataIndex: number }) => {
                  if (value === null) return null;
                  const flag = flagAt(context.dataIndex);
                  const text = withUnit(name, value);
                  return flag === "critical" || flag === "abnormal"
                    ? `${text} (${t(`flags.${flag}`)})`
                    : text;
                },
              };
            })}
          >
            {limits
              .filter((limit) => limit >= axisMin && limit <= axisMax)
              .map((limit) => (
                <ChartsReferenceLine
                  key={limit}
                  y={limit}
                  label={`${t("vitals.referenceCritical")} ${number(names[0] ?? "heart_rate", limit)}`}
                  labelAlign="end"
                  lineStyle={{ stroke: theme.palette.error.light, strokeDasharray: "4 4" }}
                  labelStyle={{ fontSize: 10, fill: theme.palette.error.main }}
                />
              ))}
          </LineChart>
        </Box>
      )}
    </Paper>
  );
}
