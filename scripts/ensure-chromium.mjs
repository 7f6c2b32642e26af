#!/usr/bin/env node
// Makes sure a Chromium for the browser tests exists: $CHROMIUM_PATH if set, else Debian's
// /usr/bin/chromium, installing it with apt-get when we are root on Debian. Playwright cannot
// download its own browser on these offline machines, so this is the only supported route.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import process from 'node:process';

const wanted = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

if (existsSync(wanted)) process.exit(0);
if (process.env.CHROMIUM_PATH) {
  fail(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist. Point it at a Chromium or Chrome binary.`);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  fail(
    'the browser tests need Chromium and /usr/bin/chromium is missing. ' +
      (hasApt ? 'Run `sudo apt-get install -y chromium`, ' : 'Install Chromium or Chrome, ') +
      'or set CHROMIUM_PATH=/path/to/chromium and run `npm test` again.',
  );
}
console.log('ensure-chromium: installing Debian chromium (apt-get install -y chromium) ...');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
} catch (error) {
  fail(`apt-get could not install chromium (${error.message}). Install it by hand or set CHROMIUM_PATH.`);
}
if (!existsSync(wanted)) fail('apt-get finished but /usr/bin/chromium is still missing; set CHROMIUM_PATH.');
