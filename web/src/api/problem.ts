/** RFC 9457 problem details as every NileCare service answers them. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly body: ProblemBody;

  constructor(status: number, body: ProblemBody) {
    super(body.detail ?? body.title ?? `HTTP ${status}`);
    this.name = "ApiProblem";
    this.status = status;
    this.body = body;
  }

  /** The last path segment of the stable `type` URI, e.g. `possible-duplicate`. */
  get slug(): string {
    return (this.body.type ?? "").split("/").pop() ?? "";
  }

  /** Messages by field name (`phone`, `address.state`), for showing beside form inputs. */
  get fieldErrors(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const error of this.body.errors ?? []) {
      if (error.field && !(error.field in fields)) fields[error.field] = error.message;
    }
    return fields;
  }
}

export function isProblem(error: unknown): error is ApiProblem {
  return error instanceof ApiProblem;
}

export async function problemFrom(response: Response): Promise<ApiProblem> {
  let body: ProblemBody = { status: response.status, title: response.statusText };
  try {
    const parsed: unknown = await response.clone().json();
    if (parsed && typeof parsed === "object") body = parsed as ProblemBody;
  } catch {
    // Not JSON (a proxy's HTML error page): keep the status line.
  }
  return new ApiProblem(response.status, body);
}
