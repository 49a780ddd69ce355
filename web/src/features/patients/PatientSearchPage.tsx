import PersonAddIcon from "@mui/icons-material/PersonAdd";
import SearchIcon from "@mui/icons-material/Search";
import { Button, InputAdornment, Stack, TextField, Typography } from "@mui/material";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { ROLES } from "../../auth/roles";
import { hasRole, useSession } from "../../auth/store";
import { PatientResultsTable, PAGE_SIZES } from "./PatientResultsTable";
import { useMyFacilities, usePatientSearch, type PatientSearchParams } from "./queries";
import { chooseSearch } from "./searchQuery";
import { SearchOutcome } from "./SearchOutcome";
import { useDebouncedValue } from "./useDebouncedValue";

const DEBOUNCE_MS = 300;

function pageSize(value: string | null): number {
  const size = Number(value);
  return PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0]!;
}

/** Find a patient by name (either script), MRN, national id or phone; open the chart. */
export function PatientSearchPage() {
  const { t } = useTranslation("patients");
  const me = useSession((s) => s.me);
  // The criteria live in the address, so coming back from a chart shows the same results.
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(() => params.get("q") ?? "");
  const birthDate = params.get("birth_date") ?? "";
  const pageIndex = Math.max(0, Number(params.get("page")) || 0);
  const rowsPerPage = pageSize(params.get("size"));
  const settledText = useDebouncedValue(text, DEBOUNCE_MS);

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );

  useEffect(() => {
    if (settledText !== (params.get("q") ?? "")) update({ q: settledText || null, page: null });
    // Only a settled change of the text goes to the address.
  }, [settledText]);

  const choice = useMemo(() => chooseSearch(settledText), [settledText]);
  const query: PatientSearchParams = { limit: rowsPerPage, offset: pageIndex * rowsPerPage };
  if (choice.kind === "search") query[choice.criterion] = choice.value;
  if (birthDate) query.birth_date = birthDate;
  const ready = choice.kind === "search" || (choice.kind === "none" && birthDate !== "");

  const search = usePatientSearch(query, ready);
  const facilities = useMyFacilities();

  return (
    <Stack spacing={3}>
      <Stack
        direction="row"
        sx={{ alignItems: "center", justifyContent: "space-between", gap: 2, flexWrap: "wrap" }}
      >
        <Typography variant="h4" component="h1">
          {t("title")}
        </Typography>
        {hasRole(me, ROLES.patientRegister) && (
          <Button
            component={Link}
            to="/patients/new"
            variant="contained"
            startIcon={<PersonAddIcon />}
          >
            {t("search.register")}
          </Button>
        )}
      </Stack>

      <Stack direction={{ xs: "column", md: "row" }} spacing={2}>
        <TextField
          label={t("search.label")}
          placeholder={t("search.placeholder")}
          value={text}
          onChange={(event) => setText(event.target.value)}
          autoFocus
          fullWidth
          type="search"
          autoComplete="off"
          helperText={
            choice.kind === "search"
              ? t("search.searchingBy", { criterion: t(`search.criteria.${choice.criterion}`) })
              : " "
          }
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon />
                </InputAdornment>
              ),
            },
          }}
        />
        <TextField
          label={t("search.birthDate")}
          type="date"
          value={birthDate}
          onChange={(event) => update({ birth_date: event.target.value || null, page: null })}
          sx={{ minWidth: 200 }}
          slotProps={{ inputLabel: { shrink: true } }}
        />
      </Stack>

      <SearchOutcome
        kind={choice.kind}
        ready={ready}
        loading={search.isFetching}
        error={search.error}
        total={search.data?.total}
      />

      {ready && search.data && search.data.items.length > 0 && (
        <PatientResultsTable
          page={search.data}
          facilities={facilities.data ?? []}
          rowsPerPage={rowsPerPage}
          onPageChange={(next) => update({ page: next > 0 ? String(next) : null })}
          onRowsPerPageChange={(rows) => update({ size: String(rows), page: null })}
        />
      )}
    </Stack>
  );
}
