// RFC 9457 problem details: the one shape of every error the API answers.
// Handlers throw an ApiError; app.onError and app.notFound turn it into a response with
// problemResponse, so no handler ever builds an error body itself.

export interface ParamError {
  param: string;
  message: string;
}

/** Kinds of problem; the slug becomes the `type` URI. */
export const PROBLEMS = {
  'invalid-query': { status: 400, title: 'Invalid query' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'over-budget': { status: 422, title: 'Over the compute budget' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemKind = keyof typeof PROBLEMS;

/** URN per problem kind: stable and unique without promising a web page at some host. */
export function problemType(kind: ProblemKind): string {
  return `urn:gradflow:problem:${kind}`;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ParamError[];
  cost?: number;
  budget?: number;
  budget_var?: string;
}

export interface ApiErrorOptions {
  errors?: ParamError[];
  cost?: number;
  budget?: number;
  budgetVar?: string;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly kind: ProblemKind;
  readonly status: number;
  readonly errors: ParamError[] | undefined;
  readonly cost: number | undefined;
  readonly budget: number | undefined;
  readonly budgetVar: string | undefined;
  readonly headers: Record<string, string>;

  constructor(kind: ProblemKind, detail: string, options: ApiErrorOptions = {}) {
    super(detail);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = PROBLEMS[kind].status;
    this.errors = options.errors;
    this.cost = options.cost;
    this.budget = options.budget;
    this.budgetVar = options.budgetVar;
    this.headers = options.headers ?? {};
  }

  toBody(): ProblemBody {
    const body: ProblemBody = {
      type: problemType(this.kind),
      title: PROBLEMS[this.kind].title,
      status: this.status,
      detail: this.message,
    };
    if (this.errors) body.errors = this.errors;
    if (this.cost !== undefined) body.cost = this.cost;
    if (this.budget !== undefined) body.budget = this.budget;
    if (this.budgetVar !== undefined) body.budget_var = this.budgetVar;
    return body;
  }
}

/** A 400 naming every offending parameter. */
export function invalidQuery(errors: ParamError[]): ApiError {
  const names = [...new Set(errors.map((e) => e.param))];
  const detail =
    names.length === 1
      ? `The query parameter ${names[0]} is invalid: ${errors[0].message}.`
      : `${names.length} query parameters are invalid: ${names.join(', ')}.`;
  return new ApiError('invalid-query', detail, { errors });
}

export function problemResponse(error: ApiError, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(error.toBody()), {
    status: error.status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      ...error.headers,
      ...extraHeaders,
    },
  });
}
