import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/sw/content-security-policy.ts';
import { headersFile, ISOLATION_HEADERS, withIsolationHeaders } from '../../../src/sw/isolation-headers.ts';
import { isolationHeaders } from '../../../vite.config.ts';

const CSP = contentSecurityPolicy();

describe('withIsolationHeaders', () => {
  it('adds COOP, COEP, CORP and the CSP and keeps status, body and the other headers', async () => {
    const original = new Response('{"ok":true}', { status: 201, statusText: 'Created', headers: { 'Content-Type': 'application/json', ETag: '"7"' } });
    const wrapped = withIsolationHeaders(original, { 'X-Extra': 'yes' });
    expect(wrapped.status).toBe(201);
    expect(wrapped.statusText).toBe('Created');
    expect(await wrapped.text()).toBe('{"ok":true}');
    expect(Object.fromEntries(wrapped.headers)).toEqual({
      'content-type': 'application/json',
      etag: '"7"',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': CSP,
      'x-extra': 'yes',
    });
  });

  it('drops Content-Encoding and Content-Length, which describe the compressed body, not the decoded one', () => {
    const wrapped = withIsolationHeaders(new Response('abc', { headers: { 'Content-Encoding': 'gzip', 'Content-Length': '99' } }));
    expect(wrapped.headers.has('Content-Encoding')).toBe(false);
    expect(wrapped.headers.has('Content-Length')).toBe(false);
  });

  it('re-makes null-body statuses without a body and leaves error responses alone', () => {
    expect(withIsolationHeaders(new Response(null, { status: 304 })).status).toBe(304);
    const error = Response.error();
    expect(withIsolationHeaders(error)).toBe(error);
  });
});

describe('isolation header values', () => {
  it('are the ones the dev and preview servers send', () => {
    expect(ISOLATION_HEADERS).toEqual(isolationHeaders);
  });

  it('go into a Netlify / Cloudflare Pages _headers file for every path under the base', () => {
    expect(headersFile('/')).toBe([
      '/*',
      '  Cross-Origin-Opener-Policy: same-origin',
      '  Cross-Origin-Embedder-Policy: require-corp',
      '  Cross-Origin-Resource-Policy: same-origin',
      `  Content-Security-Policy: ${CSP}`,
      '/sw.js',
      '  Cache-Control: no-cache',
      '/ort/*.wasm',
      '  Cache-Control: no-store',
      '/models/*',
      '  Cache-Control: no-store',
      '',
    ].join('\n'));
    expect(headersFile('/lab').split('\n').filter((line) => line.startsWith('/'))).toEqual(['/lab/*', '/lab/sw.js', '/lab/ort/*.wasm', '/lab/models/*']);
  });
});
