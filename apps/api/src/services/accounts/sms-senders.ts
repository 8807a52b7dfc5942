/** Text messages. Each sender delivers one message or throws; the outbox retries and records. */
export interface SmsSender {
  /** `meta.id` is the outbox row's id: a provider may use it to drop a message it has already taken. */
  send(phone: string, text: string, meta?: { id: string; kind: string }): Promise<void>;
}

/** A phone number as logs may show it: 138****5678. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}

/** The default: writes each message to the log, the phone masked. */
export function loggingSmsSender(log: (entry: object, message: string) => void): SmsSender {
  return {
    async send(phone, text, meta) {
      log({ phone: maskPhone(phone), text, ...(meta ? { outboxId: meta.id, kind: meta.kind } : {}) }, 'sms (log sender)');
    },
  };
}

/** Longest wait for the provider's answer before the attempt counts as failed (and is retried). */
const HTTP_TIMEOUT_MS = 10_000;

/**
 * Posts each message as JSON `{ id, to, text, kind }` to a provider's (or a gateway's) URL, with the
 * outbox id also as `Idempotency-Key`; any answer but 2xx, or none within the timeout, is a failure.
 */
export function httpSmsSender(url: string, fetcher: typeof fetch = fetch): SmsSender {
  return {
    async send(phone, text, meta) {
      const res = await fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(meta ? { 'idempotency-key': meta.id } : {}) },
        body: JSON.stringify({ id: meta?.id ?? null, to: phone, text, kind: meta?.kind ?? null }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
      await res.body?.cancel();
    },
  };
}

export interface SmsSenderConfig {
  SMS_SENDER: 'log' | 'http';
  SMS_HTTP_URL?: string | undefined;
}

/** The sender the configuration names (`SMS_SENDER`, default `log`). */
export function smsSenderFor(config: SmsSenderConfig, log: (entry: object, message: string) => void): SmsSender {
  if (config.SMS_SENDER === 'http') {
    if (!config.SMS_HTTP_URL) throw new Error('SMS_SENDER=http needs SMS_HTTP_URL');
    return httpSmsSender(config.SMS_HTTP_URL);
  }
  return loggingSmsSender(log);
}
