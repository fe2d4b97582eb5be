import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * How ucbridge reaches Microsoft (or the emulator). Real tenants need nothing special; the
 * emulator (and corporate TLS-inspecting proxies) use a private CA given by GRAPH_CA_FILE, which
 * must be trusted by both fetch (Graph, JWKS) and msal-node (its own https agent).
 */
export interface Transport {
  fetch: typeof globalThis.fetch;
  /** PEM of the extra CA, when configured: msal-node takes it as `customAgentOptions.ca`. */
  ca: string | undefined;
  close(): Promise<void>;
}

export function createTransport(caFile?: string): Transport {
  if (!caFile) {
    return { fetch: globalThis.fetch.bind(globalThis), ca: undefined, close: () => Promise.resolve() };
  }
  const ca = readFileSync(caFile, 'utf8');
  // The extra CA is added to the public roots, not swapped for them.
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, ca] }, keepAliveTimeout: 10_000 });
  const fetchWithCa = ((input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof globalThis.fetch;
  return { fetch: fetchWithCa, ca, close: () => dispatcher.close() };
}
