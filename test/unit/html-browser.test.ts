// tree -o html in a real browser: Debian's Chromium (make tools installs it), headless, driven by playwright-core
// (nothing downloaded: the Debian binary), opening the page from a file as a user would. It checks what a person
// sees and does: every node drawn, blocked nodes red in the light scheme and dark in the dark one, details on hover,
// kept on click, the search box filtering, no request leaving the page; and saves a screenshot to look at.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { run } from '../../src/cli.ts';
import { goldenClock } from '../golden/cases.ts';
import { recordingIO } from '../support/io.ts';

// The flags that keep Chromium from reaching for the network this machine does not have (and from waiting on it).
const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const infra = 'Kustomization/flux-system/production-infrastructure';
const frontend = 'Kustomization/flux-system/production-frontend';

async function output(args: string[]): Promise<string> {
  const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' }, now: () => goldenClock });
  assert.equal(await run(args, io), 0, io.stderr);
  return io.stdout;
}

describe('tree -o html in Chromium', function () {
  // Starting a browser on a loaded 2-core machine takes seconds.
  this.timeout(60_000);
  const dir = process.env.FLUX_DEPS_TEST_OUTPUT ?? mkdtempSync(join(tmpdir(), 'flux-deps-html-'));
  const file = join(dir, 'production.html');
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  before(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, await output(['tree', '--from', 'examples/production.yaml', '-o', 'html', '--inventory']));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumFlags });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    // Every request the page makes passes here: the page itself is let through, anything else counted and refused.
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url() === pathToFileURL(file).href ? route.continue() : route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
  });

  after(async () => {
    await browser?.close();
  });

  it('draws every object of the graph', async () => {
    const json = JSON.parse(await output(['tree', '--from', 'examples/production.yaml', '-o', 'json'])) as { nodes: Array<{ id: string }> };
    const drawn = await page.locator('#graph g.node[id*="/"]').evaluateAll((gs) => gs.map((g) => g.id));
    assert.deepEqual(drawn.sort(), json.nodes.map((n) => n.id).sort());
    assert.equal(await page.locator('#graph g.edge[id*="->"] path').count(), 4);
  });

  it('colours blocked objects red, the root cause with a heavy border, and dark in the dark scheme', async () => {
    const look = (id: string) => page.locator(`[id="${id}"] > path`).evaluate((p) => {
      const s = getComputedStyle(p);
      return { fill: s.fill, stroke: s.stroke, width: s.strokeWidth };
    });
    assert.equal((await look(frontend)).fill, 'rgb(248, 215, 218)');
    assert.equal((await look('Kustomization/flux-system/production-namespace')).fill, 'rgb(212, 237, 218)');
    assert.equal((await look(infra)).stroke, 'rgb(142, 0, 0)');
    assert.equal((await look(infra)).width, '3px');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal((await look(frontend)).fill, 'rgb(71, 22, 27)');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(13, 17, 23)');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
  });

  it('shows an object\'s details on hover: state, reason, message, revision, age, why it is blocked, inventory', async () => {
    await page.hover(`[id="${infra}"]`);
    const details = await page.locator('#details').innerText();
    assert.match(details, /^✗ Kustomization\/flux-system\/production-infrastructure\n/);
    for (const part of ['failed', 'HealthCheckFailed', 'health check failed after 5m0.0123456s', 'main@sha1:7fba1163', 'Why blocked', 'is blocked by one root cause', 'Inventory (']) {
      assert.ok(details.includes(part), `details show ${part}: ${details}`);
    }
    assert.match(details, /Age\s+\d+[smhd]/);
  });

  it('keeps a clicked object\'s details while the pointer moves on, until Escape', async () => {
    await page.click(`[id="${frontend}"]`);
    await page.hover(`[id="${infra}"]`);
    assert.equal(await page.locator('#details').getAttribute('data-node'), frontend);
    assert.match(await page.locator('#details').innerText(), /via: Kustomization\/flux-system\/production-frontend → /);
    assert.equal(await page.locator(`[id="${frontend}"]`).getAttribute('class'), 'node failed selected');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#details').getAttribute('data-node'), null);
    await page.hover(`[id="${frontend}"]`);
    await page.hover(`[id="${infra}"]`);
    assert.equal(await page.locator('#details').getAttribute('data-node'), infra);
  });

  it('filters by the search box: what does not match fades, Enter selects the first match', async () => {
    // Names, kinds, reasons, messages and revisions are searched: only infra's message names postgres.
    await page.fill('#search', 'postgres');
    assert.equal(await page.locator('#matches').innerText(), '1 of 5');
    assert.equal(await page.locator('#graph g.node.dim').count(), 4);
    assert.equal(await page.locator(`[id="${infra}"]`).evaluate((g) => getComputedStyle(g).opacity), '1');
    assert.equal(await page.locator(`[id="${frontend}"]`).evaluate((g) => getComputedStyle(g).opacity), '0.15');
    // An edge fades with either of its ends.
    assert.equal(await page.locator('#graph g.edge.dim').count(), 4);
    await page.press('#search', 'Enter');
    assert.equal(await page.locator('#details').getAttribute('data-node'), infra);
    // production-backend by name, and production-frontend, whose message names what it waits for.
    await page.fill('#search', 'BACKEND');
    assert.equal(await page.locator('#matches').innerText(), '2 of 5');
    assert.deepEqual(await page.locator('#graph g.node.match').evaluateAll((gs) => gs.map((g) => g.id).sort()), ['Kustomization/flux-system/production-backend', frontend]);
    await page.fill('#search', '');
    assert.equal(await page.locator('#graph g.dim').count(), 0);
    assert.equal(await page.locator('#matches').innerText(), '');
  });

  it('parses tree -o svg as XML, as a browser opening the file does', async () => {
    const svg = await output(['tree', '--from', 'test/golden/tree/cycle.yaml', '-o', 'svg']);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { errors: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.nodeName, nodes: doc.querySelectorAll('g.node.cycle').length };
    }, svg);
    assert.deepEqual(parsed, { errors: 0, root: 'svg', nodes: 3 });
  });

  it('made no request but for the page itself, and no script error; the screenshot is saved', async () => {
    await page.click(`[id="${infra}"]`);
    const shot = join(dir, 'production.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`\n      screenshot: ${shot}`);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.deepEqual(errors, []);
  });
});
