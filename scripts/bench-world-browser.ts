// Browser half of `npm run bench:world`: median time of one 256x256 world render inside Debian's
// Chromium (the gallery's render path, minus the worker hop). Starts a Vite dev server on
// localhost, loads the renderer module in the page, and times repeated renders.
import os from 'node:os';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { chromiumArgs } from '../playwright.config.ts';

const RUNS = 60;

const server = await createServer({ server: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
await server.listen();
const address = server.httpServer!.address();
const port = typeof address === 'object' && address ? address.port : 0;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: chromiumArgs });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const result = await page.evaluate(async (runs) => {
    const worldModule = '/src/world/world.ts';
    const renderModule = '/src/world/raster/render.ts';
    const { createWorld } = await import(/* @vite-ignore */ worldModule);
    const { renderImage } = await import(/* @vite-ignore */ renderModule);
    const world = createWorld({});
    const times: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      const key = { personId: (i * 37) % world.persons.length, eventId: i % world.events.length, variant: 0 };
      const t0 = performance.now();
      renderImage(world, key, 256);
      if (i >= 5) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)], userAgent: navigator.userAgent };
  }, RUNS);
  console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, ${result.userAgent}`);
  console.log(`browser 256x256 render: median ${result.median.toFixed(2)} ms, p90 ${result.p90.toFixed(2)} ms over ${RUNS} renders (target <= 30 ms)`);
  console.log(JSON.stringify({ browserRender256Ms: Number(result.median.toFixed(2)) }));
} finally {
  await browser.close();
  await server.close();
}
