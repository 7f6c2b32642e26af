import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { precacheManifest } from '../../../src/sw/vite-plugin.ts';
import { sha256 } from './site.ts';

const dir = mkdtempSync(join(tmpdir(), 'pebench-precache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('precacheManifest', () => {
  it('lists each file with its sha256 and size, and changes its version when any file changes', async () => {
    write('index.html', '<html>');
    write('models/m/config.json', '{"a":1}');
    const first = await precacheManifest(dir, ['index.html', 'models/m/config.json']);
    expect(first.entries).toEqual([
      { path: 'index.html', sha256: sha256('<html>'), bytes: 6 },
      { path: 'models/m/config.json', sha256: sha256('{"a":1}'), bytes: 7 },
    ]);
    expect(first.version).toMatch(/^[0-9a-f]{16}$/);
    expect((await precacheManifest(dir, ['index.html', 'models/m/config.json'])).version).toBe(first.version);

    write('models/m/config.json', '{"a":2}');
    expect((await precacheManifest(dir, ['index.html', 'models/m/config.json'])).version).not.toBe(first.version);
  });
});
