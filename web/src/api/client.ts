import createClient from "openapi-fetch";

import { sessionFetch } from "../auth/session";
import { ApiProblem, type ProblemBody } from "./problem";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

/** The typed client for every NileCare API, generated from the gateway's OpenAPI document. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  fetch: sessionFetch,
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an `ApiProblem` thrown for any 4xx/5xx (problem+json). */
export async function call<T>(request: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) {
    const body = (error && typeof error === "object" ? error : {}) as ProblemBody;
    throw new ApiProblem(response.status, { status: response.status, ...body });
  }
  return data as T;
}
