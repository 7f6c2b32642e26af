// A tiny made-up site for the service worker's unit tests: files, their precache manifest (hashed
// like the build does), and a fetch that serves them and counts what it was asked for.
import { createHash } from 'node:crypto';
import { manifestVersion, type PrecacheManifest } from '../../../src/sw/precache-manifest.ts';

export const SCOPE = 'https://lab.example/app/';

export const sha256 = (bytes: ArrayBuffer | Uint8Array | string): string =>
  createHash('sha256').update(typeof bytes === 'string' ? bytes : new Uint8Array(bytes)).digest('hex');

export type Site = Map<string, Uint8Array>;

export function site(files: Record<string, string>): Site {
  return new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
}

export async function manifestOf(files: Site, paths = [...files.keys()]): Promise<PrecacheManifest> {
  const entries = paths.map((path) => ({ path, sha256: sha256(files.get(path)!), bytes: files.get(path)!.byteLength }));
  return { version: await manifestVersion(entries, async (text) => sha256(text)), entries };
}

const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', wasm: 'application/wasm', json: 'application/json' };

/** A fetch over `files` below SCOPE; `requested` lists every path asked for; `offline` makes it throw like a dead network. */
export function serve(files: Site): { fetch: (input: string | { url: string }) => Promise<Response>; requested: string[]; offline: boolean } {
  const server = {
    requested: [] as string[],
    offline: false,
    fetch: async (input: string | { url: string }): Promise<Response> => {
      const url = new URL(typeof input === 'string' ? input : input.url);
      const path = url.pathname.slice(new URL(SCOPE).pathname.length) || 'index.html';
      server.requested.push(path);
      if (server.offline) throw new TypeError('Failed to fetch');
      const bytes = files.get(path);
      if (!bytes) return new Response('not found', { status: 404 });
      return new Response(bytes.slice(), { status: 200, headers: { 'Content-Type': TYPES[path.split('.').pop()!] ?? 'application/octet-stream' } });
    },
  };
  return server;
}
