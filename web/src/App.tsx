import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useState, type ComponentType, type ReactNode } from "react";
import { createBrowserRouter, Navigate, RouterProvider, type RouteObject } from "react-router-dom";

import { isProblem } from "./api/problem";
import { LoginPage } from "./auth/LoginPage";
import { RequireRole } from "./auth/RequireRole";
import { ROLES } from "./auth/roles";
import { SessionKeeper } from "./auth/SessionKeeper";
import { useSession } from "./auth/store";
import { LanguageProvider } from "./i18n/LanguageProvider";
import type { Language } from "./i18n/languages";
import { AppShell } from "./layout/AppShell";
import { HomePage } from "./layout/HomePage";
import { NotFoundPage } from "./layout/NotFoundPage";
import { Splash } from "./layout/Splash";
import { LiveProvider } from "./live/LiveProvider";

// Each page is its own chunk, loaded when first opened.
function named<K extends string>(name: K) {
  return (module: Record<K, ComponentType>) => ({ default: module[name] });
}

const AccountPage = lazy(() => import("./features/account/AccountPage").then(named("AccountPage")));
const NotificationsPage = lazy(() =>
  import("./features/notifications/NotificationsPage").then(named("NotificationsPage")),
);
const PatientChartPage = lazy(() =>
  import("./features/chart/PatientChartPage").then(named("PatientChartPage")),
);
const BedBoardPage = lazy(() =>
  import("./features/facilities/BedBoardPage").then(named("BedBoardPage")),
);
const MorbidityReportPage = lazy(() =>
  import("./features/reports/MorbidityReportPage").then(named("MorbidityReportPage")),
);
const PatientSearchPage = lazy(() =>
  import("./features/patients/PatientSearchPage").then(named("PatientSearchPage")),
);
const RegisterPatientPage = lazy(() =>
  import("./features/patients/RegisterPatientPage").then(named("RegisterPatientPage")),
);
const StaffDirectoryPage = lazy(() =>
  import("./features/staff/StaffDirectoryPage").then(named("StaffDirectoryPage")),
);
const UserAdminPage = lazy(() =>
  import("./features/users/UserAdminPage").then(named("UserAdminPage")),
);

function guarded(element: ReactNode, roles?: readonly string[]): ReactNode {
  return (
    <RequireRole roles={roles}>
      <Suspense fallback={<Splash />}>{element}</Suspense>
    </RequireRole>
  );
}

function AnonymousOnly({ children }: { children: ReactNode }) {
  const me = useSession((s) => s.me);
  return me === null ? <>{children}</> : <Navigate to="/" replace />;
}

export const ROUTES: RouteObject[] = [
  {
    path: "/login",
    element: (
      <AnonymousOnly>
        <LoginPage />
      </AnonymousOnly>
    ),
  },
  {
    element: guarded(<AppShell />),
    children: [
      { index: true, element: <HomePage /> },
      { path: "patients", element: guarded(<PatientSearchPage />, ROLES.patientSearch) },
      { path: "patients/new", element: guarded(<RegisterPatientPage />, ROLES.patientRegister) },
      { path: "patients/:patientId", element: guarded(<PatientChartPage />, ROLES.patientChart) },
      { path: "beds", element: guarded(<BedBoardPage />, ROLES.beds) },
      { path: "staff", element: guarded(<StaffDirectoryPage />, ROLES.staff) },
      { path: "admin/users", element: guarded(<UserAdminPage />, ROLES.users) },
      { path: "reports", element: guarded(<MorbidityReportPage />, ROLES.reports) },
      { path: "account", element: <AccountPage /> },
      { path: "notifications", element: guarded(<NotificationsPage />) },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; network trouble and 5xx may.
        retry: (failures, error) =>
          failures < 2 && !(isProblem(error) && error.status >= 400 && error.status < 500),
        staleTime: 15_000,
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** Everything around the pages: language and direction, the query cache, the session. */
export function Providers({ children, language }: { children: ReactNode; language?: Language }) {
  const [client] = useState(newQueryClient);
  return (
    <LanguageProvider language={language}>
      <QueryClientProvider client={client}>
        <SessionKeeper>
          <LiveProvider>{children}</LiveProvider>
        </SessionKeeper>
      </QueryClientProvider>
    </LanguageProvider>
  );
}

export function App() {
  const [router] = useState(() => createBrowserRouter(ROUTES));
  return (
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  );
}
