// The tab id that names a tab's autosave slot: the same after a reload of the tab (its
// sessionStorage survives), another in another tab (a fresh sessionStorage), and still an id where
// sessionStorage throws (then for this page only); a stored value that is not an id is replaced.
import { describe, expect, it } from 'vitest';
import { TAB_ID_KEY, tabIdIn } from '../../../src/storage/tab-id.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('tabIdIn', () => {
  it('keeps one id per tab across reloads and gives another tab its own', () => {
    const tab = new MemoryStorage();
    const first = tabIdIn(tab);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(tab.items.get(TAB_ID_KEY)).toBe(first);
    expect(tabIdIn(tab)).toBe(first); // a reload reads it back
    expect(tabIdIn(new MemoryStorage())).not.toBe(first); // another tab
  });

  it('works without sessionStorage and replaces a stored value that is not an id', () => {
    const throwing = { getItem: () => { throw new DOMException('denied', 'SecurityError'); }, setItem: () => { throw new DOMException('denied', 'SecurityError'); } };
    expect(tabIdIn(throwing, () => 'page-only')).toBe('page-only');
    expect(tabIdIn(null, () => 'no-storage')).toBe('no-storage');
    const edited = new MemoryStorage();
    edited.setItem(TAB_ID_KEY, '<script>');
    expect(tabIdIn(edited, () => 'fresh')).toBe('fresh');
    expect(edited.items.get(TAB_ID_KEY)).toBe('fresh');
  });
});
