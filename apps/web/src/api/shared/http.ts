import type { Problem } from '@sports/contracts';
import { currentLocale, i18n } from '@/modules/i18n.ts';

export const API_BASE = '/api/v1';

/**
 * A refused request, from the API's problem+json: `code` is stable for code to switch on, `detail` is
 * a message for people in the request's language, `fields` maps each field at fault to its message.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: Record<string, string>;
  /** From `Retry-After` on 429s, in seconds. */
  readonly retryAfterSeconds: number | null;
  /** What the request collided with, when the API names it (the open ticket of an `ASSET_TICKET_OPEN`). */
  readonly existingId: string | null;

  constructor(init: {
    status: number;
    code: string;
    detail: string;
    fields?: Record<string, string>;
    retryAfterSeconds?: number | null;
    existingId?: string | null;
  }) {
    super(init.detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.fields = init.fields ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.existingId = init.existingId ?? null;
  }
}

/** How the client reaches the signed-in session; the auth store connects itself here. */
export interface SessionHooks {
  accessToken(): string | null;
  /** Exchanges the refresh cookie for a new access token; true when one is in place. One at a time. */
  refresh(): Promise<boolean>;
  /** The session could not be renewed: sign out and send the person to the login page. */
  expired(): void;
}

let session: SessionHooks = {
  accessToken: () => null,
  refresh: async () => false,
  expired: () => {},
};

export function connectSession(hooks: SessionHooks): void {
  session = hooks;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON, or as multipart/form-data when it is a FormData (uploads). */
  body?: unknown;
  /** Send the bearer token and renew it on a 401 (default). Off for sign-in, register and refresh. */
  auth?: boolean;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function urlFor(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

async function send(method: HttpMethod, path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale(), ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body instanceof FormData) {
    // The browser writes the multipart Content-Type with its boundary.
    init.body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  try {
    return await fetch(urlFor(path, options.query), init);
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR', detail: i18n.global.t('errors.network') });
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<Problem>;
  return typeof candidate.code === 'string' && typeof candidate.detail === 'string';
}

/** Reads a failed response: problem+json becomes a typed ApiError; anything else a generic one. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  if (!isProblem(body)) {
    return new ApiError({
      status: response.status,
      code: `HTTP_${response.status}`,
      detail: i18n.global.t('errors.unexpected', { status: response.status }),
      retryAfterSeconds,
    });
  }
  const fields: Record<string, string> = {};
  for (const { field, message } of body.errors ?? []) fields[field] ??= message;
  return new ApiError({ status: response.status, code: body.code, detail: body.detail, fields, retryAfterSeconds, existingId: body.existingId });
}

/**
 * The one way the web app talks to the API. Adds the bearer token and the UI language; on a 401 it
 * renews the session once and repeats the request; when renewal fails the session is over.
 */
export async function request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await respond(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Like `request`, for a file the API sends (a calendar, an export): the body as a Blob. */
export async function requestBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await respond('GET', path, options);
  return response.blob();
}

async function respond(method: HttpMethod, path: string, options: RequestOptions): Promise<Response> {
  const auth = options.auth ?? true;
  const sentToken = auth ? session.accessToken() : null;
  let response = await send(method, path, options, sentToken);

  if (response.status === 401 && auth) {
    // Another request may already have renewed the token while this one was in flight.
    const latest = session.accessToken();
    const renewed = latest !== null && latest !== sentToken ? true : await session.refresh();
    if (!renewed) {
      const error = await toApiError(response);
      session.expired();
      throw error;
    }
    response = await send(method, path, options, session.accessToken());
  }

  if (!response.ok) throw await toApiError(response);
  return response;
}
