// bench:lab's "setting changed -> ready to step": sets location.hash in the lab page (which re-prepares
// the run on hashchange) and times, in the page, from the change until the step button was disabled
// and is enabled again (MutationObserver on its `disabled` attribute). A change that never disables
// the button within 2 s is an error, not a 0. Not here: the lab's own debounce or worker (it times them).
import type { Page } from '@playwright/test';

export interface SettingChange {
  /** ms from setting location.hash to the step button enabled again. */
  ms: number;
  /** ms from setting location.hash to the step button disabled (the lab's debounce is in it). */
  disabledAfterMs: number;
}

/** The setting changes the bench makes from `base` (the default experiment's hash), in order; the last goes back to `base`. */
export function settingChanges(base: string): { label: string; hash: string }[] {
  const swap = (key: string, value: string) => base.replace(new RegExp(`([#&])${key}=[^&]*`), `$1${key}=${value}`);
  return [
    { label: 'lr=0.003', hash: `${base}&lr=0.003` },
    { label: 'steps=50', hash: `${base}&steps=50` },
    { label: 'seed=1', hash: swap('seed', '1') },
    { label: 'method=gd', hash: swap('method', 'gd') },
    { label: 'target=events', hash: swap('target', 'events') },
    { label: 'back to the default', hash: base },
  ];
}

/** Waits (at most `timeout` ms) until nothing is prepared in the background and the step button is enabled; false if it gave up. */
export async function waitIdle(page: Page, timeout = 60_000): Promise<boolean> {
  return page.waitForFunction(() => !document.querySelector('[data-testid="prepare-progress"]')
    && document.querySelector<HTMLButtonElement>('[data-testid="step-button"]')?.disabled === false, undefined, { timeout })
    .then(() => true, () => false);
}

/** True while the lab shows background preparation (e.g. measuring step 0). */
export const preparingNow = (page: Page): Promise<boolean> => page.evaluate(() => !!document.querySelector('[data-testid="prepare-progress"]'));

/** Sets location.hash to `hash` and times the step button's disable and re-enable in the page. */
export async function timeSettingChange(page: Page, hash: string): Promise<SettingChange> {
  // In-page code uses object methods only: tsx names arrow functions with a helper the page lacks.
  const result = await page.evaluate((next) => new Promise<{ ms?: number; disabledAfterMs?: number; error?: string }>((resolve) => {
    const watch = {
      started: 0,
      disabledAt: null as number | null,
      timers: [] as ReturnType<typeof setTimeout>[],
      observer: null as MutationObserver | null,
      button() {
        return document.querySelector<HTMLButtonElement>('[data-testid="step-button"]');
      },
      look(records: MutationRecord[]) {
        const now = performance.now();
        // An old value of "no attribute" means the button became disabled, even if it is enabled again by now.
        const disabledHere = records.some((r) => r.attributeName === 'disabled' && r.oldValue === null && (r.target as Element).matches('[data-testid="step-button"]'));
        const b = watch.button();
        if (watch.disabledAt === null && (disabledHere || !b || b.disabled)) watch.disabledAt = now;
        if (watch.disabledAt !== null && b && !b.disabled) watch.finish({ ms: now - watch.started, disabledAfterMs: watch.disabledAt - watch.started });
      },
      finish(r: { ms?: number; disabledAfterMs?: number; error?: string }) {
        watch.observer?.disconnect();
        watch.timers.forEach(clearTimeout);
        resolve(r);
      },
    };
    if (watch.button()?.disabled !== false) {
      resolve({ error: 'the step button was not enabled before the change' });
      return;
    }
    watch.observer = new MutationObserver((records) => watch.look(records));
    watch.observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'], attributeOldValue: true });
    watch.timers.push(setTimeout(() => watch.disabledAt === null && watch.finish({ error: 'the step button was not disabled within 2 s of the change: did the lab re-prepare at all?' }), 2000));
    watch.timers.push(setTimeout(() => watch.finish({ error: 'the step button was not enabled again within 120 s' }), 120_000));
    watch.started = performance.now();
    location.hash = next;
  }), hash);
  if (result.error !== undefined) throw new Error(`setting change to ${hash}: ${result.error}`);
  return { ms: result.ms!, disabledAfterMs: result.disabledAfterMs! };
}
