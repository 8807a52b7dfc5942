import type { LoginBody, Me, RegisterBody, Session } from '@sports/contracts';
import { request } from '@/api/shared/http.ts';

export function signIn(body: LoginBody): Promise<Session> {
  return request<Session>('POST', '/auth/login', { body, auth: false });
}

export function registerAccount(body: RegisterBody): Promise<Session> {
  return request<Session>('POST', '/auth/register', { body, auth: false });
}

/** Uses the httpOnly refresh cookie; each cookie value works once (the server rotates it). */
export function refreshSession(): Promise<Session> {
  return request<Session>('POST', '/auth/refresh', { auth: false });
}

export function signOut(): Promise<void> {
  return request<void>('POST', '/auth/logout', { auth: false });
}

export function fetchMe(): Promise<Me> {
  return request<Me>('GET', '/me');
}
