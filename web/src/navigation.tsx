import AssessmentIcon from "@mui/icons-material/Assessment";
import BedIcon from "@mui/icons-material/Bed";
import BadgeIcon from "@mui/icons-material/Badge";
import HomeIcon from "@mui/icons-material/Home";
import ManageAccountsIcon from "@mui/icons-material/ManageAccounts";
import NotificationsIcon from "@mui/icons-material/Notifications";
import PersonAddIcon from "@mui/icons-material/PersonAdd";
import PeopleIcon from "@mui/icons-material/People";
import SettingsIcon from "@mui/icons-material/Settings";
import type { ReactElement } from "react";

import { ROLES } from "./auth/roles";

export interface NavEntry {
  path: string;
  label: string; // key in the common namespace
  icon: ReactElement;
  roles?: readonly string[]; // absent: every signed-in user
}

export const NAVIGATION: readonly NavEntry[] = [
  { path: "/", label: "nav.home", icon: <HomeIcon /> },
  { path: "/patients", label: "nav.patients", icon: <PeopleIcon />, roles: ROLES.patientSearch },
  {
    path: "/patients/new",
    label: "nav.registerPatient",
    icon: <PersonAddIcon />,
    roles: ROLES.patientRegister,
  },
  { path: "/beds", label: "nav.beds", icon: <BedIcon />, roles: ROLES.beds },
  { path: "/staff", label: "nav.staff", icon: <BadgeIcon />, roles: ROLES.staff },
  { path: "/admin/users", label: "nav.users", icon: <ManageAccountsIcon />, roles: ROLES.users },
  { path: "/reports", label: "nav.reports", icon: <AssessmentIcon />, roles: ROLES.reports },
  { path: "/notifications", label: "nav.notifications", icon: <NotificationsIcon /> },
  { path: "/account", label: "nav.account", icon: <SettingsIcon /> },
];
