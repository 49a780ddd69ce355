import BuildIcon from "@mui/icons-material/Build";
import CheckCircleIcon from "@mui/icons-material/CheckCircle";
import CleaningServicesIcon from "@mui/icons-material/CleaningServices";
import HotelIcon from "@mui/icons-material/Hotel";
import type { ReactElement } from "react";

import type { BedStatus } from "./queries";

export const BED_STATUSES: readonly BedStatus[] = [
  "available",
  "occupied",
  "cleaning",
  "out_of_service",
];

/** Colour (theme palette) and icon of each status; the text comes from messages. */
export const STATUS_LOOK: Record<
  BedStatus,
  { color: "success" | "error" | "warning" | "grey"; icon: ReactElement }
> = {
  available: { color: "success", icon: <CheckCircleIcon fontSize="small" /> },
  occupied: { color: "error", icon: <HotelIcon fontSize="small" /> },
  cleaning: { color: "warning", icon: <CleaningServicesIcon fontSize="small" /> },
  out_of_service: { color: "grey", icon: <BuildIcon fontSize="small" /> },
};

/** The statuses staff may set by hand from each status (the facility service's bed workflow:
 * occupied and cleaning follow from assigning and releasing a patient). */
export const MANUAL_TRANSITIONS: Record<BedStatus, readonly BedStatus[]> = {
  available: ["out_of_service"],
  occupied: [],
  cleaning: ["available", "out_of_service"],
  out_of_service: ["available"],
};
