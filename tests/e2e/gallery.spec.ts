// The first room of the lab: the world gallery renders in Chromium, draws real pictures, keeps its
// state in the URL, and never sends a request outside its own origin.
import { expect, test } from '@playwright/test';
import { watchForeignRequests } from './helpers.ts';

test('gallery shows every person and event, draws images, and stays on its origin', async ({ page, baseURL }) => {
  const foreign = watchForeignRequests(page, new URL(baseURL!).origin);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto('/#page=world');
  await expect(page.getByTestId('person-card')).toHaveCount(200);

  const firstCanvas = page.getByTestId('person-card').first().locator('canvas');
  await expect(firstCanvas).toHaveAttribute('data-drawn', 'true', { timeout: 30_000 });
  const distinctColours = await firstCanvas.evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return colours.size;
  });
  expect(distinctColours).toBeGreaterThan(50);

  const firstName = (await page.getByTestId('person-card').first().locator('.title').textContent())!.trim();
  await page.getByTestId('person-card').first().click();
  await expect(page.getByTestId('person-detail')).toContainText(firstName);

  await page.getByTestId('tab-events').click();
  await expect(page.getByTestId('event-card')).toHaveCount(40);
  await page.getByTestId('event-card').nth(13).click();
  await expect(page.getByTestId('event-detail')).toContainText('beach');
  expect(page.url()).toContain('view=events');
  expect(page.url()).toContain('event=13');

  await page.reload();
  await expect(page.getByTestId('event-detail')).toContainText('beach');

  await page.getByTestId('gallery-filter').fill('train');
  await expect(page.getByTestId('event-card')).toHaveCount(2);

  expect(errors).toEqual([]);
  expect(foreign()).toEqual([]);
});

test('a different seed gives a different world', async ({ page }) => {
  await page.goto('/#page=world&seed=0');
  const nameSeed0 = await page.getByTestId('person-card').first().locator('.title').textContent();
  await page.goto('/#page=world&seed=7');
  await expect(page.getByTestId('person-card')).toHaveCount(200);
  const nameSeed7 = await page.getByTestId('person-card').first().locator('.title').textContent();
  expect(nameSeed7).not.toEqual(nameSeed0);
});
