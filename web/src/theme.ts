import { createTheme, type Theme } from "@mui/material";

export function buildTheme(direction: "rtl" | "ltr"): Theme {
  return createTheme({
    direction,
    palette: {
      primary: { main: "#0b5f7a" },
      secondary: { main: "#c47f17" },
      background: { default: "#f5f7f8" },
    },
    typography: {
      fontFamily:
        direction === "rtl"
          ? '"Noto Sans Arabic", "Segoe UI", Tahoma, "Helvetica Neue", Arial, sans-serif'
          : '"Roboto", "Segoe UI", "Helvetica Neue", Arial, sans-serif',
    },
    shape: { borderRadius: 8 },
  });
}
