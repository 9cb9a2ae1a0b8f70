/**
 * The one request wrapper of the web app: the typed client generated from the server's OpenAPI document
 * (schema.d.ts, never edited) plus what every call needs — the bearer token, the language, and the server's error
 * shape `{code, message, details}` turned into an ApiError. A 401 on a staff call sends the user back to login.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.js';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: string, status: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** The request could not reach the server (offline, DNS, server down). */
export const NETWORK_ERROR = 'NETWORK_ERROR';

export interface ApiSession {
  token(): string | undefined;
  lang(): string;
  /** A 401 on a call made with a token: the token expired or was revoked. */
  onUnauthorized?(): void;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.clone().json();
  } catch {
    body = undefined;
  }
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    const b = body as { code: string; message?: string; details?: Record<string, unknown> };
    return new ApiError(b.code, res.status, b.message ?? b.code, b.details ?? {});
  }
  return new ApiError(`HTTP_${res.status}`, res.status, res.statusText || `HTTP ${res.status}`);
}

export function createApi(session: ApiSession) {
  const headers = (h: Headers, auth: boolean) => {
    h.set('Accept-Language', session.lang());
    const token = session.token();
    if (auth && token && !h.has('Authorization')) h.set('Authorization', `Bearer ${token}`);
  };
  const noticeUnauthorized = (res: Response, sentToken: boolean) => {
    if (res.status === 401 && sentToken) session.onUnauthorized?.();
  };

  const middleware: Middleware = {
    onRequest({ request }) {
      headers(request.headers, true);
      return request;
    },
    onResponse({ response, request }) {
      noticeUnauthorized(response, request.headers.has('Authorization'));
      return response;
    },
  };
  const typed = createClient<paths>({ baseUrl: '' });
  typed.use(middleware);

  /** Unwraps an openapi-fetch result: the data, or an ApiError thrown. */
  async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let r: { data?: T; error?: unknown; response: Response };
    try {
      r = await p;
    } catch (e) {
      throw new ApiError(NETWORK_ERROR, 0, e instanceof Error ? e.message : String(e));
    }
    if (!r.response.ok) {
      // openapi-fetch has read the body already: its parsed error is the server's {code, message, details}.
      const b = r.error as
        { code?: unknown; message?: string; details?: Record<string, unknown> } | undefined;
      if (b && typeof b === 'object' && typeof b.code === 'string')
        throw new ApiError(b.code, r.response.status, b.message ?? b.code, b.details ?? {});
      throw await toApiError(r.response);
    }
    return r.data as T;
  }

  /**
   * For endpoints not in the generated schema yet (or called without the staff token, like the applicant's):
   * same headers and errors, hand-written types.
   */
  async function request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    opts: { auth?: boolean } = {},
  ): Promise<T> {
    const auth = opts.auth ?? true;
    const h = new Headers();
    headers(h, auth);
    if (body !== undefined) h.set('Content-Type', 'application/json');
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: h,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      throw new ApiError(NETWORK_ERROR, 0, e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) {
      noticeUnauthorized(res, h.has('Authorization'));
      throw await toApiError(res);
    }
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  return { typed, call, request };
}

export type Api = ReturnType<typeof createApi>;
