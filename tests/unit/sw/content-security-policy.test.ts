// The Content-Security-Policy where it is built: the exact header value (connect-src 'self', WASM
// allowed but no 'unsafe-eval', no inline script or style), the dev variant (inline <style> only),
// the <meta> variant without frame-ancestors, and that every way the app is served carries it: the
// dev and preview servers' headers, the three HTML pages' <meta> tags, and the dev rewrite of them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, CSP_HEADER, metaPolicy, metaPolicyOf, withMetaPolicy } from '../../../src/sw/content-security-policy.ts';
import { devHeaders, previewHeaders } from '../../../vite.config.ts';

const PAGES = ['index.html', 'engine-check.html', 'model-check.html'];

describe('contentSecurityPolicy', () => {
  it('is this exact policy in production', () => {
    expect(contentSecurityPolicy()).toBe([
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval'",
      "style-src 'self'",
      "img-src 'self' blob: data:",
      "connect-src 'self'",
      "worker-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '));
  });

  it('never allows eval or inline script, anywhere', () => {
    for (const policy of [contentSecurityPolicy(), contentSecurityPolicy({ dev: true }), metaPolicy(), metaPolicy({ dev: true })]) {
      const script = policy.split('; ').find((d) => d.startsWith('script-src '))!;
      expect(script).toBe("script-src 'self' 'wasm-unsafe-eval'");
      expect(policy).not.toMatch(/'unsafe-eval'/);
      expect(policy).toContain("connect-src 'self';");
    }
  });

  it('dev adds only style-src \'unsafe-inline\'; the meta variant only drops frame-ancestors', () => {
    expect(contentSecurityPolicy({ dev: true })).toBe(contentSecurityPolicy().replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"));
    expect(metaPolicy()).toBe(contentSecurityPolicy().replace("; frame-ancestors 'none'", ''));
  });
});

describe('every way the app is served carries it', () => {
  it('the preview server sends the production policy, the dev server the dev one', () => {
    expect(previewHeaders[CSP_HEADER]).toBe(contentSecurityPolicy());
    expect(devHeaders[CSP_HEADER]).toBe(contentSecurityPolicy({ dev: true }));
  });

  it('each HTML page has the <meta> fallback with the production policy', () => {
    for (const page of PAGES) expect(metaPolicyOf(readFileSync(page, 'utf8')), page).toBe(metaPolicy());
  });

  it('the dev server rewrites the <meta> to the dev policy, and refuses a page without one', () => {
    const html = readFileSync('index.html', 'utf8');
    const dev = withMetaPolicy(html, metaPolicy({ dev: true }), 'index.html');
    expect(metaPolicyOf(dev)).toBe(metaPolicy({ dev: true }));
    expect(dev.replace(metaPolicy({ dev: true }), metaPolicy())).toBe(html);
    expect(() => withMetaPolicy('<html><head></head></html>', metaPolicy(), 'new.html')).toThrow(/new\.html has no <meta http-equiv="Content-Security-Policy"/);
  });
});
