// What the browser benchmarks (bench-lab, bench-relearn, bench-teach) share: the built app served by
// `vite preview` on a free port (dist/, or DIST=folder for a build elsewhere, as E2E_DIST is for the
// e2e tests), and Debian's Chromium (or $CHROMIUM_PATH) launched with the e2e tests' flags. A missing
// build ends the script with one line saying what to run.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { preview } from 'vite';
import { chromiumArgs } from '../playwright.config.ts';

export interface ServedDist {
  origin: string;
  close(): Promise<void>;
}

export async function serveDist(dist = process.env.DIST ?? 'dist'): Promise<ServedDist> {
  if (!existsSync(`${dist}/index.html`)) {
    console.error(`${dist}/ is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const server = await preview({ build: { outDir: dist }, preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  return {
    origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 4173}`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Chromium's flags for the lab on `backend` (WebGPU needs its flag). */
export const labChromiumArgs = (backend = 'wasm'): string[] => [...chromiumArgs, ...(backend === 'webgpu' ? ['--enable-unsafe-webgpu'] : [])];

export function launchChromium(backend = 'wasm'): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: labChromiumArgs(backend) });
}
