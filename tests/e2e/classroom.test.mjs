// End-to-end tests of the page as a lecture shows it (issue 12, layout, numbers, keys, phone and
// first load): at 1280x720 the plot, the inspector's table and the equation are on screen together
// after a Step, with projector mode on and off; nothing is clipped; numbers are short on screen and
// whole on hover and copy; Space is Play/Pause whatever was clicked; a click that focuses the plot
// does not move the start, and a move is undone by the browser's Back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, readApp, withCleanPage } from './harness.mjs';

const env = useServerAndBrowser();

const withPage = (options, fn, { projector = false } = {}) => withCleanPage(env, env.server.url, options, fn, {
  init: projector ? (page) => page.addInitScript(() => localStorage.setItem('optlab.projector', '1')) : undefined,
});

const box = (page, sel) => page.locator(sel).first().boundingBox();

// Visible elements whose content is wider than their box.
function clippedElements(page) {
  return page.evaluate(() => {
    const out = [];
    const sel = 'button, [role="tab"], th, td, label, output, h1, h2, figcaption, .run-name, .lesson-note, .eq-line, .legend-box, .inspector, .compare, .toolbar';
    for (const el of document.querySelectorAll(sel)) {
      if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.visually-hidden, [hidden]')) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName}#${el.id}.${el.className}: ${el.textContent.trim().slice(0, 30)} ${el.scrollWidth}>${el.clientWidth}`);
    }
    return out;
  });
}

const overlaps = (a, b) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

for (const projector of [false, true]) {
  test(`1280x720, projector ${projector ? 'on' : 'off'}: plot, table and equation side by side without scrolling, nothing clipped`, async () => {
    await withPage({ width: 1280, height: 720 }, async (page) => {
      await page.getByRole('button', { name: 'Inspect Adam' }).click();
      for (let i = 0; i < 3; i++) {
        await page.getByRole('button', { name: 'Step', exact: true }).click();
        await settle(page);
        const plot = await box(page, '#plot');
        const table = await box(page, '#internals-table');
        const eq = await box(page, '#equation');
        const lines = await page.locator('#equation .eq-line').count();
        assert.ok(lines >= 3, 'Adam: the first moment, the second moment and the update');
        for (const [name, b] of [['plot', plot], ['table', table], ['equation', eq]]) {
          assert.ok(b.y >= 0 && b.y + b.height <= 720 + 0.5, `${name} within the window: ${JSON.stringify(b)}`);
        }
        assert.ok(table.x >= plot.x + plot.width && eq.x >= plot.x + plot.width, 'beside the plot');
        const scroll = await page.evaluate(() => [document.scrollingElement.scrollHeight, innerHeight,
          document.getElementById('inspector').scrollHeight, document.getElementById('inspector').clientHeight]);
        assert.ok(scroll[0] <= scroll[1], `the page does not scroll: ${scroll}`);
        assert.ok(scroll[2] <= scroll[3] + 1, `the inspector does not scroll: ${scroll}`);
      }
      // Later steps carry longer numbers: still nothing cut off.
      await page.getByRole('button', { name: 'Step 10' }).click();
      await settle(page);
      const sizes = await page.evaluate(() => [...document.querySelectorAll('#equation .eq-line')].map((l) => ({
        font: parseFloat(getComputedStyle(l.querySelector('.katex')).fontSize),
        height: l.getBoundingClientRect().height, over: l.scrollWidth - l.clientWidth,
      })));
      for (const s of sizes) {
        assert.ok(s.over <= 1, `an equation line is cut off: ${JSON.stringify(sizes)}`);
        if (projector) {
          assert.ok(s.font >= 20 - 0.01, `projector: KaTeX text at least 20 px: ${JSON.stringify(sizes)}`);
          assert.ok(s.height >= 24, `projector: every line at least 24 px tall: ${JSON.stringify(sizes)}`);
        }
      }
      // No visible element's content is wider than its box (labels, tabs, legend cells, names, counter).
      assert.deepEqual(await clippedElements(page), []);
      // The toolbar is one row: the step counter sits beside Play, not under it.
      const play = await box(page, '#play');
      const counter = await box(page, '#step-counter');
      assert.ok(Math.abs(counter.y + counter.height / 2 - (play.y + play.height / 2)) < play.height / 2, 'counter on the Play row');
    }, { projector });
  });
}

for (const projector of [false, true]) {
  test(`network mode at 1280x720, projector ${projector ? 'on' : 'off'}: legend, charts and inspector apart, nothing clipped`, async () => {
    await withPage({ width: 1280, height: 720 }, async (page) => {
      await page.getByRole('button', { name: 'Neural network' }).click();
      await page.getByRole('button', { name: 'Step 10' }).click();
      await settle(page);
      const parts = {};
      for (const sel of ['#legend', '#loss-chart', '#acc-chart', '#layer-inspector', '#boundaries']) parts[sel] = await box(page, sel);
      const names = Object.keys(parts);
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          assert.ok(!overlaps(parts[names[i]], parts[names[j]]), `${names[i]} overlaps ${names[j]}: ${JSON.stringify([parts[names[i]], parts[names[j]]])}`);
        }
      }
      assert.ok(parts['#loss-chart'].width >= 300, `the loss chart is readable: ${parts['#loss-chart'].width} px wide`);
      assert.deepEqual(await clippedElements(page), []);
    }, { projector });
  });
}

test('projector mode closes the settings drawer; the Settings button opens it', async () => {
  await withPage({ width: 1280, height: 720 }, async (page) => {
    assert.ok(await page.locator('#panel-runs').isHidden());
    await page.getByRole('button', { name: 'Settings' }).click();
    assert.ok(await page.locator('#panel-runs').isVisible());
    assert.equal(await page.locator('#drawer').getAttribute('aria-expanded'), 'true');
  }, { projector: true });
});

test('inspector numbers: six significant digits, the equation\'s symbol beside torch\'s name, every digit on hover and copy', async () => {
  await withPage({ width: 1280, height: 720 }, async (page) => {
    await page.getByRole('button', { name: 'Inspect Adam' }).click();
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    const adam = await page.evaluate(() => window.optlab.app.session().internals(3));
    const nums = await page.locator('#internals-table .num').evaluateAll((els) => els.map((e) => ({ text: e.textContent, exact: e.dataset.exact, title: e.title })));
    assert.ok(nums.length > 10);
    for (const n of nums) {
      const digits = n.text.replace(/×10.*$/, '').replace(/[^0-9]/g, '').replace(/^0+/, '');
      assert.ok(digits.length <= 6, `at most six significant digits: ${n.text}`);
      assert.equal(n.title, n.exact);
      // The rounded text is the full value to six digits.
      const full = Number(n.exact.replace('−', '-'));
      const shown = Number(n.text.replace('−', '-').replace(/×10(.*)$/, (m, e) => `e${e.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]/g, (c) => '0123456789-'['⁰¹²³⁴⁵⁶⁷⁸⁹⁻'.indexOf(c)])}`));
      assert.ok(Math.abs(shown - full) <= Math.abs(full) * 5e-6, `${n.text} rounds ${n.exact}`);
    }
    const g0 = String(adam.grad[0]).replace('-', '−');
    assert.ok(nums.some((n) => n.exact === g0), 'the gradient with every digit, on hover');
    // Table and equation agree: the m row shows the number the equation prints.
    const mRow = page.locator('#internals-table tr', { hasText: 'exp_avg' }).first();
    assert.match(await mRow.locator('th').textContent(), /^mₜ\s*exp_avg$/);
    assert.match(await page.locator('#internals-table th', { hasText: 'exp_avg_sq' }).textContent(), /^vₜ/);
    const tex = (await page.locator('#equation annotation').allTextContents()).join(' ');
    const m0 = await mRow.locator('.num').first().textContent();
    assert.ok(tex.includes('m_t') && tex.includes(m0.replace('−', '-')), `the equation prints m_t = ${m0}`);
    // Numbers never break inside.
    assert.equal(await page.locator('#internals-table .num').first().evaluate((e) => getComputedStyle(e).whiteSpace), 'nowrap');
    // Copy: the full values reach the clipboard.
    const copied = await page.evaluate(() => {
      const table = document.getElementById('internals-table');
      const range = document.createRange();
      range.selectNodeContents(table);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      const data = new DataTransfer();
      table.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
      return data.getData('text/plain');
    });
    assert.ok(copied.includes(g0), `the copy holds every digit: ${copied.slice(0, 200)}`);
    // The legend's loss: short on screen, whole on hover.
    const loss = page.locator('#legend-body tr').nth(3).locator('td.num');
    assert.equal(await loss.getAttribute('title'), String(adam.loss).replace('-', '−'));
    assert.ok((await loss.textContent()).length < String(adam.loss).length);
  });
});

test('Space is Play/Pause whatever was clicked last; arrows step unless a slider has focus', async () => {
  await withPage({ width: 1280, height: 720 }, async (page) => {
    const steps = async () => (await readApp(page)).state.steps;
    const playing = () => page.locator('#play').textContent();
    const toggles = async () => {
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Pause' }).waitFor();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Play' }).waitFor();
    };
    await page.getByRole('tab', { name: 'Lessons' }).click();
    const lesson = page.locator('.lesson').nth(1);
    await lesson.click();
    await settle(page);
    const spec = JSON.stringify((await readApp(page)).state.optimizers);
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await page.waitForFunction(() => window.optlab.app.getState().steps > 3);
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Play' }).waitFor();
    assert.ok((await steps()) > 3, 'Space played the lesson instead of reloading it');
    assert.equal(JSON.stringify((await readApp(page)).state.optimizers), spec);
    const before = await steps();
    await lesson.focus();
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.equal(await steps(), before + 1, 'ArrowRight steps from a lesson button');
    for (const name of ['Step', 'Back']) {
      await page.getByRole('button', { name, exact: true }).click();
      await toggles();
    }
    const slider = page.locator('#speed');
    await slider.focus();
    await toggles();
    const at = await steps();
    const speed = (await readApp(page)).state.speed;
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.equal(await steps(), at, 'ArrowRight on the slider moves the slider, not the run');
    assert.notEqual((await readApp(page)).state.speed, speed);
    assert.equal(await playing(), 'Play');
  });
});

test('a click that only focuses the plot keeps the start; a move is undone by Back and by Undo', async () => {
  await withPage({ width: 1280, height: 720 }, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    const before = (await readApp(page)).state;
    const plot = page.locator('#plot');
    const b = await plot.boundingBox();
    await plot.click({ position: { x: b.width * 0.7, y: b.height * 0.3 } });
    await settle(page);
    let st = (await readApp(page)).state;
    assert.deepEqual([st.start, st.steps], [before.start, 10], 'the first click only focused the plot');
    assert.ok(await page.locator('#focus-hint').isVisible());
    await plot.click({ position: { x: b.width * 0.7, y: b.height * 0.3 } });
    await settle(page);
    st = (await readApp(page)).state;
    assert.notDeepEqual(st.start, before.start);
    assert.equal(st.steps, 0);
    await page.goBack();
    await page.waitForFunction((s) => JSON.stringify(window.optlab.app.getState().start) === s, JSON.stringify(before.start));
    await settle(page);
    st = (await readApp(page)).state;
    assert.deepEqual([st.start, st.steps], [before.start, 10], 'Back restores the start and the step');
    // The Undo button does the same.
    await plot.click({ position: { x: b.width * 0.3, y: b.height * 0.6 } });
    await settle(page);
    assert.notDeepEqual((await readApp(page)).state.start, before.start);
    await page.getByRole('button', { name: 'Undo move' }).click();
    await page.waitForFunction((s) => JSON.stringify(window.optlab.app.getState().start) === s, JSON.stringify(before.start));
    assert.equal((await readApp(page)).state.steps, 10);
  });
});

test('phone: a lesson brings the plot into view; one finger scrolls the page unless zoomed in', async () => {
  await withPage({ width: 390, height: 844, hasTouch: true, isMobile: true }, async (page) => {
    assert.equal(await page.locator('#plot').evaluate((e) => getComputedStyle(e).touchAction), 'pan-x pan-y');
    await page.getByRole('tab', { name: 'Lessons' }).click();
    const lesson = page.locator('.lesson').nth(2);
    await lesson.scrollIntoViewIfNeeded();
    await lesson.tap();
    await page.waitForFunction(() => {
      const r = document.getElementById('plot').getBoundingClientRect();
      return r.top >= -1 && r.top < innerHeight / 2;
    });
    await page.getByRole('button', { name: 'Zoom in' }).tap();
    await settle(page);
    assert.equal(await page.locator('#plot').evaluate((e) => getComputedStyle(e).touchAction), 'none');
  });
});

test('first load: the toolbar shows Loading until the landscape is drawn, and the landscape does not wait for KaTeX', async () => {
  const page = await openPage(env.browser, null, { width: 1280, height: 720 });
  try {
    let releaseWasm;
    const wasmHeld = new Promise((r) => { releaseWasm = r; });
    await page.route('**/wasm/optlab.wasm', async (route) => { await wasmHeld; await route.continue(); });
    const encodings = {};
    page.on('response', (r) => { encodings[new URL(r.url()).pathname] = r.headers()['content-encoding']; });
    let katexAsked = false;
    await page.route('**/katex.mjs', (route) => { katexAsked = true; }); // never answered
    await page.goto(env.server.url);
    await page.locator('#play').waitFor();
    assert.equal(await page.locator('#play').textContent(), 'Loading…');
    assert.equal(await page.locator('#app').getAttribute('aria-busy'), 'true');
    releaseWasm();
    await page.waitForFunction(() => window.optlab?.frames > 0 && window.optlab.firstLandscapeMs > 0);
    assert.equal(await page.locator('#play').textContent(), 'Play');
    assert.equal(await page.locator('#app').getAttribute('aria-busy'), 'false');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    assert.equal((await page.evaluate(() => window.optlab.app.getState().steps)), 1, 'the page works while KaTeX is still on its way');
    assert.ok(katexAsked, 'KaTeX is asked for once the inspector needs it');
    // scripts/serve.mjs compresses what compresses.
    assert.equal(encodings['/wasm/optlab.wasm'], 'gzip');
    assert.equal(encodings['/main.js'], 'gzip');
  } finally {
    await page.context().close();
  }
});
