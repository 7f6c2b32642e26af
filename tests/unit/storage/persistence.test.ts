// Persistent storage asked once: persisted() is read without asking; the first ask() calls
// persist() once and later calls reuse its answer; nothing is asked when storage is already
// persistent; a missing API or a rejected call is reported, not thrown.
import { describe, expect, it, vi } from 'vitest';
import { PersistentStorage } from '../../../src/storage/persistence.ts';

function manager(granted: boolean, alreadyPersistent = false) {
  return { persisted: vi.fn(async () => alreadyPersistent), persist: vi.fn(async () => granted) };
}

describe('PersistentStorage', () => {
  it('asks once, at the first ask(), and reports the answer', async () => {
    const storage = manager(true);
    const persistence = new PersistentStorage(storage);
    expect(await persistence.current()).toBe('best-effort');
    expect(storage.persist).not.toHaveBeenCalled();
    expect(await persistence.ask()).toBe('persistent');
    expect(await persistence.ask()).toBe('persistent');
    expect(storage.persist).toHaveBeenCalledTimes(1);
  });

  it('a refusal is "best-effort" and is not asked again', async () => {
    const storage = manager(false);
    const persistence = new PersistentStorage(storage);
    await Promise.all([persistence.ask(), persistence.ask()]);
    expect(await persistence.ask()).toBe('best-effort');
    expect(storage.persist).toHaveBeenCalledTimes(1);
  });

  it('does not ask when already persistent; no API or a rejection is reported', async () => {
    const persistent = manager(true, true);
    expect(await new PersistentStorage(persistent).ask()).toBe('persistent');
    expect(persistent.persist).not.toHaveBeenCalled();
    expect(await new PersistentStorage(undefined).ask()).toBe('unsupported');
    const rejecting = { persisted: async () => false, persist: async () => { throw new DOMException('no', 'NotAllowedError'); } };
    expect(await new PersistentStorage(rejecting).ask()).toBe('best-effort');
  });
});
