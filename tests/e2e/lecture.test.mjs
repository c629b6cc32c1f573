// The lecture in Chromium: opened from its link, walked with the keyboard (PageDown through every
// chapter, PageUp back), each chapter loading its own experiment, the address bar carrying the
// chapter, and nothing to scroll at 1280x720 in projector mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, currentHash } from './harness.mjs';

const env = useServerAndBrowser();

// What is on screen: the chapter heading, the experiment's runs and problem, and the scroll extent.
const read = (page) => page.evaluate(() => {
  const st = window.optlab.app.getState();
  return {
    lecture: st.lecture,
    title: document.getElementById('lecture-title').textContent,
    problem: st.problem,
    labels: st.optimizers.map((o) => o.label),
    runs: window.optlab.app.session().runCount(),
    scroll: [document.documentElement.scrollHeight - innerHeight, document.documentElement.scrollWidth - innerWidth],
    // The chapter's own column: scrolls by this much (0: text, rule, try-this and answer all in view).
    chapterOverflow: (() => { const l = document.getElementById('lecture'); return l.scrollHeight - l.clientHeight; })(),
    rule: Boolean(document.querySelector('#lecture .lecture-rule .katex')),
  };
});
const waitRule = (page) => page.waitForFunction(() => !document.querySelector('#lecture .lecture-rule[data-pending]'));

test('the whole lecture with the keyboard: PageDown through every chapter, PageUp back, each with its experiment and its link', async () => {
  const page = await openPage(env.browser, env.server.url, { width: 1280, height: 720 });
  try {
    const chapters = await page.evaluate(async () => (await import('./lecture.js')).CHAPTERS.map((c) => ({
      title: c.title, problem: c.spec.problem, labels: c.spec.optimizers.map((o) => o.label),
    })));
    assert.ok(chapters.length >= 8 && chapters.length <= 10);
    await page.keyboard.press('p'); // projector mode
    await page.getByRole('button', { name: 'Lecture' }).click();
    await page.locator('#plot').focus().catch(() => {});
    const check = async (n) => {
      await settle(page);
      await waitRule(page);
      const r = await read(page);
      const c = chapters[n - 1];
      assert.equal(r.lecture, n);
      assert.equal(r.title, `${n}. ${c.title}`);
      assert.deepEqual(r.problem, c.problem, `chapter ${n}'s problem`);
      assert.deepEqual(r.labels, c.labels, `chapter ${n}'s runs`);
      assert.equal(r.runs, c.labels.length, `chapter ${n}: the session holds its runs`);
      assert.ok(r.rule, `chapter ${n}: the rule is typeset`);
      assert.deepEqual(r.scroll, [0, 0], `chapter ${n}: no page scroll at 1280x720`);
      // With the answer open too, nothing in the chapter needs a scroll in projector mode.
      await page.locator('#lecture .lecture-question summary').click();
      assert.equal((await read(page)).chapterOverflow, 0, `chapter ${n}: the chapter fits its column with the answer open`);
      await page.locator('#lecture .lecture-question summary').click();
      await page.locator('#plot').focus(); // PageDown is the page's, not the summary's
      assert.match(await currentHash(page), new RegExp(`^#lecture=${n}&exp=`));
    };
    await check(1);
    for (let n = 2; n <= chapters.length; n++) {
      await page.keyboard.press('PageDown');
      await check(n);
    }
    await page.keyboard.press('PageDown'); // past the last chapter: stays
    await check(chapters.length);
    for (let n = chapters.length - 1; n >= 1; n--) {
      await page.keyboard.press('PageUp');
      await check(n);
    }
    // Space and the arrows still drive playback inside the lecture.
    await page.keyboard.press('PageDown');
    await check(2);
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().steps), 1);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a chapter link opens that chapter; a bad chapter number is refused naming the field; closing keeps the experiment', async () => {
  const page = await openPage(env.browser, `${env.server.url}#lecture=5`, { width: 1280, height: 720 });
  try {
    await waitRule(page);
    let r = await read(page);
    assert.equal(r.lecture, 5);
    assert.match(r.title, /^5\. Momentum/);
    assert.deepEqual(r.labels, ['SGD', 'Momentum']);
    // A shared link from inside a chapter (a step taken) opens the same chapter at that step.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await settle(page);
    const link = await currentHash(page);
    assert.match(link, /^#lecture=5&exp=/);
    const other = await openPage(env.browser, `${env.server.url}${link}`, { width: 1280, height: 720 });
    try {
      const o = await other.evaluate(() => ({ lecture: window.optlab.app.getState().lecture, steps: window.optlab.app.getState().steps }));
      assert.deepEqual(o, { lecture: 5, steps: 1 });
      assert.deepEqual(other.problems, []);
    } finally {
      await other.context().close();
    }
    await page.getByRole('button', { name: 'Close the lecture' }).click();
    await settle(page);
    r = await page.evaluate(() => ({ lecture: window.optlab.app.getState().lecture, hidden: document.getElementById('lecture').hidden }));
    assert.deepEqual(r, { lecture: 0, hidden: true });
    assert.match(await currentHash(page), /^#exp=/);
    await page.goto(`${env.server.url}#lecture=42`);
    await page.waitForFunction(() => window.optlab?.app);
    assert.match(await page.locator('#notice-text').textContent(), /lecture: expected a chapter from 1 to 10/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('chapter 8: the Inspector button swaps in the inspector, whose equation shows the uncorrected rule the core ran', async () => {
  const page = await openPage(env.browser, `${env.server.url}#lecture=8`, { width: 1280, height: 720 });
  try {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.evaluate(() => window.optlab.app.setState({ selected: 1 }));
    await settle(page);
    assert.ok(await page.locator('#inspector').isHidden(), 'the chapter has the column');
    await page.getByRole('button', { name: 'Inspector', exact: true }).click();
    await settle(page);
    assert.ok(await page.locator('#inspector').isVisible());
    assert.ok(await page.locator('#lecture').isHidden());
    const eq = await page.locator('#equation').textContent();
    assert.match(eq, /no bias correction; not torch/);
    const opts = await page.evaluate(() => window.optlab.app.session().internals(1).options);
    assert.equal(opts.bias_correction, false);
    await page.getByRole('button', { name: 'Lecture' }).click(); // closes the lecture
    await settle(page);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().lecture), 0);
    await page.getByRole('button', { name: 'Lecture' }).click(); // reopens at chapter 1, chapter shown
    await settle(page);
    assert.ok(await page.locator('#lecture').isVisible());
    assert.ok(await page.locator('#inspector').isHidden());
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
