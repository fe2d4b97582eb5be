import { randomId } from '../util/encoding.js';

/** A validated /authorize or /adminconsent request waiting for the user (picker, consent). */
export interface Flow {
  kind: 'authorize' | 'adminconsent';
  tenant: string;
  clientId: string;
  redirectUri: string;
  responseMode: 'query' | 'fragment' | 'form_post';
  state: string | undefined;
  nonce: string | undefined;
  scopes: string[];
  codeChallenge: string | undefined;
  challengeMethod: string | undefined;
  loginHint: string | undefined;
  prompt: string | undefined;
  clientInfo: boolean;
  userId?: string;
  createdAt: number;
}

const FLOW_TTL_MS = 30 * 60_000;

export class FlowStore {
  private readonly flows = new Map<string, Flow>();

  add(flow: Flow): string {
    const id = randomId(18);
    this.flows.set(id, flow);
    if (this.flows.size > 5000) this.prune();
    return id;
  }

  get(id: string | null | undefined): Flow | undefined {
    const f = id ? this.flows.get(id) : undefined;
    return f && Date.now() - f.createdAt < FLOW_TTL_MS ? f : undefined;
  }

  delete(id: string): void {
    this.flows.delete(id);
  }

  private prune(): void {
    for (const [id, f] of this.flows) if (Date.now() - f.createdAt >= FLOW_TTL_MS) this.flows.delete(id);
  }
}
