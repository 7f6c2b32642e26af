// `pebench ask` refuses, before the model runs, what used to end in an ONNX Runtime stack trace or
// a multi-gigabyte allocation: questions too long for the model's positions (the limit in tokens in
// the message) or with special tokens typed in them (the lab's own check), and PNG files that are
// too large by their header, inflate beyond it, or are pipes. In-process; the runtime may not open.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mainInProcess } from './in-process.ts';
import { readPngFile } from '../../../src/cli/png-file.ts';
import { exportModel } from '../../../src/model/index.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { questionTokenRoom } from '../../../src/model/question-check.ts';
import { cfg, randomParams, tokenizer } from '../model/fixture.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));
vi.mock('../../../src/runtime/node.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/node.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));

let root: string;
let modelDir: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-ask-limits-'));
  modelDir = join(root, 'model');
  await exportModel(new FolderFiles(modelDir), cfg, randomParams(3), tokenizer, { seed: 3 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ask = (args: string[]) => mainInProcess(['ask', '--model', modelDir, ...args]);

/** A PNG written chunk by chunk (CRCs are not checked by the decoder). */
function png(width: number, height: number, idat: Uint8Array): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    out.set(data, 8);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

describe('pebench ask: questions', () => {
  it('refuses a question longer than the model has room for, with the limit in tokens', async () => {
    const room = questionTokenRoom(cfg, true);
    const question = Array.from({ length: room + 5 }, () => 'who').join(' ');
    const result = await ask(['--person', '0', '--event', '0', '--question', question]);
    expect(result.code).toBe(2);
    expect(result.message).toBe(`pebench ask: --question: the question has ${room + 5} tokens; the model has room for ${room} (${cfg.maxPositions} positions with the image and answer): shorten it.`);
    const long = await ask(['--question', 'who '.repeat(80)]);
    expect(long.message).toMatch(`the question has 319 characters; at most 200 characters and ${questionTokenRoom(cfg, false)} tokens are allowed`);
  });

  it('refuses special tokens typed in the question, as the lab does', async () => {
    const result = await ask(['--question', 'who is <image> in <user> this?']);
    expect(result.code).toBe(2);
    expect(result.message).toBe("pebench ask: --question: the question contains the special tokens <image>, <user>, which mark the prompt's parts and cannot be asked: remove them.");
  });
});

describe('pebench ask: PNG files', () => {
  it('refuses a PNG whose header is over the pixel limit, before decoding it', async () => {
    const huge = join(root, 'huge.png');
    writeFileSync(huge, png(100_000, 100_000, deflateSync(Buffer.alloc(1000))));
    const result = await ask(['--image', huge, '--question', 'who is this?']);
    expect(result.code).toBe(2);
    expect(result.message).toMatch(`--image ${huge} is 100000x100000 pixels (10000.0 million); at most 16,777,216 pixels (4096 x 4096) are read`);
  });

  it('refuses image data that inflates beyond what its header allows', async () => {
    const bomb = join(root, 'bomb.png');
    writeFileSync(bomb, png(16, 16, deflateSync(Buffer.alloc(20_000_000), { level: 9 })));
    await expect(readPngFile('--image', bomb)).rejects.toThrow(`--image ${bomb}: its image data inflates to more than its 16x16 header allows`);
  });

  it('refuses a named pipe without blocking, and a folder', async () => {
    const fifo = join(root, 'photo.png');
    execFileSync('mkfifo', [fifo]);
    await expect(readPngFile('--image', fifo)).rejects.toThrow('is not a plain file (a pipe or a device)');
    await expect(readPngFile('--image', root)).rejects.toThrow('is a folder: give a PNG file');
  });

  it('still reads an ordinary PNG', async () => {
    const ok = join(root, 'ok.png');
    writeFileSync(ok, encode({ width: 3, height: 2, channels: 4, depth: 8, data: new Uint8Array(24).fill(200) }));
    expect(await readPngFile('--image', ok)).toMatchObject({ width: 3, height: 2, channels: 4, depth: 8 });
  });
});
