import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { Agent, fetch as undiciFetch, setGlobalDispatcher, getGlobalDispatcher, type Dispatcher } from 'undici';

/**
 * Client-side helpers for Node code talking to the emulator. Node's fetch does not read a CA
 * file at run time (NODE_EXTRA_CA_CERTS only works at process start), so we hand it an undici
 * Agent whose trust store is the system roots plus the emulator CA.
 */
export function trustingAgent(caPem: string): Agent {
  return new Agent({ connect: { ca: [...rootCertificates, caPem] } });
}

/**
 * Makes the process-wide fetch (Node's built-in one too) trust the emulator CA. Returns a
 * function restoring the previous dispatcher. graph-client uses the global fetch, so this is
 * what lets it talk to the emulator unchanged.
 */
export function trustEmulatorGlobally(caPem: string): () => void {
  const previous: Dispatcher = getGlobalDispatcher();
  const agent = trustingAgent(caPem);
  setGlobalDispatcher(agent);
  return () => {
    setGlobalDispatcher(previous);
    void agent.close();
  };
}

/** msal-node v3+ uses fetch and has no CA option: give it this `system.networkClient`. */
export function msalNetworkClient(caPem: string): INetworkModule {
  const agent = trustingAgent(caPem);
  const send = async <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await undiciFetch(url, { method, headers: options?.headers ?? {}, body: options?.body ?? null, dispatcher: agent });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { headers, body: (await res.json()) as T, status: res.status };
  };
  return {
    sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
      return send<T>(url, 'GET', options);
    },
    sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
      return send<T>(url, 'POST', options);
    },
  };
}
