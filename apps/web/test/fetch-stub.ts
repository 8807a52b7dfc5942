import { vi } from 'vitest';
import type { Me, Session, StaffRole } from '@sports/contracts';

/** One request the app made, as the stubbed `fetch` saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export type Responder = (request: SeenRequest) => Response | Promise<Response>;

/** Replaces the global fetch with `respond` and records every request it receives. */
export function stubFetch(respond: Responder): SeenRequest[] {
  const seen: SeenRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const request: SeenRequest = {
        method: init.method ?? 'GET',
        path: String(input),
        headers: { ...(init.headers as Record<string, string>) },
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        credentials: init.credentials,
      };
      seen.push(request);
      return respond(request);
    }),
  );
  return seen;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: { errors?: { field: string; message: string }[]; headers?: Record<string, string>; existingId?: string } = {},
): Response {
  const body = { type: `urn:sports-platform:problem:${code}`, title: code, status, code, detail, errors: extra.errors, existingId: extra.existingId };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...extra.headers },
  });
}

const organisation = {
  bureau_admin: { id: '00000000-0000-4000-8000-000000000001', name: '郑州市体育局', kind: 'bureau' },
  operator: { id: '00000000-0000-4000-8000-000000000002', name: '场馆运营公司', kind: 'operator' },
  school_admin: { id: '00000000-0000-4000-8000-000000000003', name: '实验小学', kind: 'school' },
  technician: { id: '00000000-0000-4000-8000-000000000002', name: '场馆运营公司', kind: 'operator' },
} as const;

export function user(displayName: string, roles: StaffRole[] = []): Me {
  return {
    id: '10000000-0000-4000-8000-000000000001',
    displayName,
    phoneMasked: '138****0001',
    locale: 'zh-CN',
    roles: roles.map((role) => ({
      role,
      organisation: { ...organisation[role], cityCode: '410100', districtCode: null },
    })),
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

export function session(accessToken: string, me: Me): Session {
  return { accessToken, expiresIn: 900, user: me };
}

export function pathOf(request: SeenRequest): string {
  return request.path.split('?')[0]!;
}
