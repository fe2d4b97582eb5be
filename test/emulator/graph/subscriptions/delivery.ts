import { setTimeout as sleep } from 'node:timers/promises';
import { fetch, type Dispatcher } from 'undici';

export interface Delivery {
  subscriptionId: string;
  url: string;
  kind: 'validation' | 'notification' | 'lifecycle';
  attempt: number;
  status: number | null;
  error: string | null;
  at: string;
  body: unknown;
}

/**
 * Graph's outbound calls: the validation handshake and notification POSTs. Validation needs
 * 200 + the URL-decoded token as text/plain within the timeout.
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation
 */
export class Deliverer {
  readonly log: Delivery[] = [];

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly validationTimeoutMs: number,
  ) {}

  private record(d: Omit<Delivery, 'at'>): void {
    this.log.push({ ...d, at: new Date().toISOString() });
    if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);
  }

  /** Returns null when the endpoint echoed the token, else Graph's reason. */
  async validate(subscriptionId: string, url: string, token: string): Promise<string | null> {
    const target = `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams({ validationToken: token }).toString()}`;
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: '',
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.validationTimeoutMs),
      });
      const body = await res.text();
      this.record({ subscriptionId, url, kind: 'validation', attempt: 1, status: res.status, error: null, body: token });
      if (res.status !== 200) return 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.';
      if (body !== token) return 'Subscription validation request failed. Response must exactly match validationToken query parameter.';
      return null;
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      this.record({ subscriptionId, url, kind: 'validation', attempt: 1, status: null, error: String(err), body: token });
      return timeout ? 'Subscription validation request timeout.' : 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.';
    }
  }

  /** POSTs a payload; retries a few times with backoff (real Graph keeps trying for 4 hours). */
  async post(subscriptionId: string, url: string, kind: 'notification' | 'lifecycle', payload: unknown, retries = 3): Promise<boolean> {
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(payload),
          dispatcher: this.dispatcher,
          signal: AbortSignal.timeout(3000),
        });
        await res.arrayBuffer();
        this.record({ subscriptionId, url, kind, attempt, status: res.status, error: null, body: payload });
        if (res.status >= 200 && res.status < 300) return true;
      } catch (err) {
        this.record({ subscriptionId, url, kind, attempt, status: null, error: String(err), body: payload });
      }
      if (attempt <= retries) await sleep(250 * 2 ** attempt);
    }
    return false;
  }
}
