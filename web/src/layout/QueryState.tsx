import { Typography } from "@mui/material";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { Loading } from "./Loading";
import { ProblemAlert } from "./ProblemAlert";

/** A list as the API answers it: the rows themselves, or a page of them. */
type Rows = readonly unknown[] | { items: readonly unknown[] };

interface Props<T extends Rows> {
  query: Pick<UseQueryResult<T>, "data" | "error" | "isPending">;
  /** Said when there are no rows. */
  empty: string;
  /** False where the page shows the error itself, together with other failures. */
  showError?: boolean;
  children: (data: T) => ReactNode;
}

/** A list's query in each of its states: loading, failed, empty, or its rows. */
export function QueryState<T extends Rows>({ query, empty, showError = true, children }: Props<T>) {
  if (query.isPending) return <Loading />;
  if (query.error && showError) return <ProblemAlert error={query.error} />;
  if (query.data === undefined) return null;
  const data: Rows = query.data;
  const rows = "items" in data ? data.items : data;
  if (rows.length === 0) return <Typography color="text.secondary">{empty}</Typography>;
  return <>{children(query.data)}</>;
}
