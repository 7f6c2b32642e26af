import { describe, expect, it } from 'vitest';
import { MESSAGE_TAG, isWorkerMessage, type OfflineStatus, type StoreProgress } from '../../../src/sw/messages.ts';
import { OfflineStatusBoard, type OfflineDetail } from '../../../src/sw/offline-status.ts';

const progress = (filesDone: number): StoreProgress => ({ filesDone, filesTotal: 4, bytesDone: filesDone * 10, bytesTotal: 40 });
const installing = (version: string, done: number) => ({ tag: MESSAGE_TAG, kind: 'installing', version, progress: progress(done) }) as const;
const ready = (version: string) => ({ tag: MESSAGE_TAG, kind: 'ready', version, files: 4, bytes: 40, installSeconds: 1.5 }) as const;
const failed = (version: string, reason: string) => ({ tag: MESSAGE_TAG, kind: 'failed', version, reason }) as const;

function recorded(board: OfflineStatusBoard): [OfflineStatus, OfflineDetail][] {
  const seen: [OfflineStatus, OfflineDetail][] = [];
  board.subscribe((status, detail) => seen.push([status, detail]));
  return seen;
}

describe('OfflineStatusBoard', () => {
  it('tells a new subscriber the current status at once, and stops after unsubscribe', () => {
    const board = new OfflineStatusBoard('unsupported', { reason: 'dev server' });
    const seen: OfflineStatus[] = [];
    const stop = board.subscribe((status) => seen.push(status));
    board.receive(installing('a', 1));
    stop();
    board.receive(ready('a'));
    expect(seen).toEqual(['unsupported', 'installing']);
    expect(board.current.status).toBe('ready');
  });

  it('goes installing -> ready on a first visit, with progress and then size', () => {
    const board = new OfflineStatusBoard('installing');
    const seen = recorded(board);
    board.receive(installing('a', 2));
    board.receive(ready('a'));
    expect(seen.map(([status]) => status)).toEqual(['installing', 'installing', 'ready']);
    expect(seen[1][1].progress).toEqual(progress(2));
    expect(seen[2][1]).toEqual({ version: 'a', files: 4, bytes: 40, installSeconds: 1.5 });
  });

  it('reports a first install\'s failure as "failed: <reason>"', () => {
    const board = new OfflineStatusBoard('installing');
    board.receive(failed('a', 'not enough storage'));
    expect(board.current).toEqual({ status: 'failed: not enough storage', detail: { reason: 'not enough storage' } });
  });

  it('stays ready while a newer build is stored, or fails to be, and shows that as an update', () => {
    const board = new OfflineStatusBoard('installing');
    board.receive(ready('a'));
    board.receive(installing('b', 1));
    expect(board.current.status).toBe('ready');
    expect(board.current.detail.update).toEqual({ progress: progress(1) });
    board.receive(failed('b', 'network'));
    expect(board.current.status).toBe('ready');
    expect(board.current.detail.update).toEqual({ failed: 'network' });
    board.receive(ready('b'));
    expect(board.current.detail).toEqual({ version: 'b', files: 4, bytes: 40, installSeconds: 1.5 });
  });
});

describe('isWorkerMessage', () => {
  it('accepts only tagged messages', () => {
    expect(isWorkerMessage(ready('a'))).toBe(true);
    expect(isWorkerMessage({ kind: 'ready' })).toBe(false);
    expect(isWorkerMessage('ready')).toBe(false);
    expect(isWorkerMessage(null)).toBe(false);
  });
});
