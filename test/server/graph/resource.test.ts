import { describe, expect, it } from 'vitest';
import { graphResource } from '../../../server/graph/index.js';

describe('graphResource', () => {
  it.each([
    ['https://graph.microsoft.com', 'https://graph.microsoft.com'],
    ['https://graph.microsoft.us/', 'https://graph.microsoft.us'],
    ['https://dod-graph.microsoft.us', 'https://dod-graph.microsoft.us'],
    ['https://microsoftgraph.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
  ])('names the cloud of %s by its resource URI', (endpoint, resource) => {
    expect(graphResource(endpoint)).toBe(resource);
  });

  it("names Graph by its application id behind a proxy or an emulator, whose URL is not Graph's resource", () => {
    expect(graphResource('https://127.0.0.1:8443/graph')).toBe('00000003-0000-0000-c000-000000000000');
    expect(graphResource('https://graph-proxy.example.com')).toBe('00000003-0000-0000-c000-000000000000');
  });
});
