// Lesson links (web/controls/teacher.js): the Teach dialog writes a link with a title and a text
// (shown as text, never HTML), hidden panels and a locked problem; a student opening it sees the
// tailored page and can reveal the rest; the link round-trips; bad lesson-link fields are refused
// with a message naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, currentHash, encodeSpec } from './harness.mjs';
import * as S from '../../web/state.js';
import { loadOptLab } from '../wasm/load.mjs';

// The page takes its limits from the core's catalog at start; so does this test.
S.setLimits(JSON.parse((await loadOptLab()).catalog()).limits);

const env = useServerAndBrowser();

const TITLE = 'Momentum in a ravine';
const TEXT = 'Press Step a few times. <b>Why</b> does the orange run overshoot the valley floor? & why "not" SGD?';

test('the teacher field is checked like every other: names the field, normalises empty parts away', () => {
  const st = S.defaultState();
  const check = (teacher) => S.validatePatch(st, { teacher }).teacher;
  assert.deepEqual(check({ title: 'T', hide: ['inspector', 'runs'], lock: true }), { title: 'T', hide: ['runs', 'inspector'], lock: true });
  assert.equal(check({ title: '  ', text: '', hide: [], lock: false }), null);
  assert.throws(() => check({ text: 'x'.repeat(601) }), /^Error: teacher\.text: at most 600 characters, got 601$/);
  assert.throws(() => check({ title: 'x'.repeat(101) }), /teacher\.title: at most 100 characters/);
  assert.throws(() => check({ hide: ['runs', 'charts'] }), /teacher\.hide\[1\]: expected one of runs, problem, lessons, inspector, exports/);
  assert.throws(() => check({ hide: ['runs', 'runs'] }), /teacher\.hide\[1\]: "runs" is listed twice/);
  assert.throws(() => check({ lock: 'yes' }), /teacher\.lock: expected true or false/);
  assert.throws(() => check({ html: '<b>' }), /teacher\.html: unknown field/);
  assert.throws(() => check({ text: 5 }), /teacher\.text: expected text/);
  // 600 characters, not UTF-16 units: an emoji counts once.
  assert.equal(check({ text: '😀'.repeat(600) }).text.length, 1200);
  // In the link before the experiment, which is the same "exp=" either way.
  const hash = S.toHash({ ...st, teacher: { title: 'T' } });
  assert.match(hash, /^#teacher=[A-Za-z0-9_-]+&exp=/);
  assert.equal(hash.slice(hash.indexOf('&exp=') + 1), S.toHash(st).slice(1));
  assert.deepEqual(S.teacherOf(hash), { teacher: { title: 'T' }, rest: S.toHash(st).slice(1) });
  assert.throws(() => S.teacherOf('#teacher=%%%&exp=abc'), /teacher: the lesson link's text is not readable/);
});

test('a lesson link with hidden panels and a locked problem round-trips, and Show everything reveals the rest', async () => {
  const teacherPage = await openPage(env.browser, env.server.url);
  let link;
  try {
    await teacherPage.evaluate(() => window.optlab.app.setState({ steps: 3 }));
    await settle(teacherPage);
    await teacherPage.getByRole('button', { name: 'Teach' }).click();
    await teacherPage.getByLabel('Title').fill(TITLE);
    await teacherPage.getByLabel('Text for the students (plain text)').fill(TEXT);
    assert.equal(await teacherPage.locator('.teach-count').textContent(), `${TEXT.length} / 600`);
    for (const name of ['Runs', 'Problem', 'Inspector', 'Exports and import']) {
      await teacherPage.getByRole('checkbox', { name, exact: true }).check();
    }
    await teacherPage.getByLabel(/Lock the problem/).check();
    await teacherPage.getByRole('button', { name: 'Copy lesson link' }).click();
    link = await teacherPage.locator('.teach-out').inputValue();
    assert.equal(await teacherPage.getByRole('link', { name: 'Open as a student' }).getAttribute('href'), link);
    await teacherPage.getByRole('button', { name: 'Close' }).click();
    // The teacher's own page is not tailored by making a link.
    assert.equal(await teacherPage.evaluate(() => window.optlab.app.getState().teacher), null);
    assert.equal(await teacherPage.locator('#tab-runs').isVisible(), true);
    const spec = await teacherPage.evaluate(() => location.hash.slice(location.hash.indexOf('exp=')));
    assert.ok(link.endsWith(spec), 'the lesson link holds the experiment on screen');
    assert.deepEqual(teacherPage.problems, []);
  } finally {
    await teacherPage.context().close();
  }

  const page = await openPage(env.browser, link);
  try {
    const st = await page.evaluate(() => window.optlab.app.getState());
    assert.deepEqual(st.teacher, { title: TITLE, text: TEXT, hide: ['runs', 'problem', 'inspector', 'exports'], lock: true });
    assert.equal(st.steps, 3);
    // The link written back is the link opened (the round trip).
    assert.equal(await currentHash(page), new URL(link).hash);
    // The title and text are text: the tags show as typed and make no element.
    const note = page.locator('#lesson-note');
    assert.equal(await note.textContent(), `${TITLE}${TEXT}`);
    assert.equal(await note.locator('b').count(), 0);
    assert.equal(await note.locator('strong').textContent(), TITLE);
    for (const sel of ['#tab-runs', '#panel-runs', '#tab-problem', '#inspector', '#export-png', '#export-csv', '#export-json', '#import-label']) {
      assert.equal(await page.locator(sel).isVisible(), false, `${sel} hidden`);
    }
    assert.equal(await page.locator('#tab-lessons').isVisible(), true);
    assert.equal(await page.locator('#panel-lessons').isVisible(), true, 'the tab left is the one open');
    assert.equal(await page.locator('#share-link').isVisible(), true);
    // Locked: the mode and the lessons cannot change the problem.
    assert.equal(await page.locator('#mode-network').isDisabled(), true);
    assert.equal(await page.evaluate(() => document.getElementById('panel-lessons').inert), true);
    // Stepping still works, and the plot takes the inspector's column.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await settle(page);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().steps), 4);
    const plotWidth = (await page.locator('#plot').boundingBox()).width;
    // Show everything: the rest comes back for this visit; the link keeps the lesson's view.
    await page.getByRole('button', { name: 'Show everything' }).click();
    await settle(page);
    for (const sel of ['#tab-runs', '#tab-problem', '#inspector', '#export-png']) {
      assert.equal(await page.locator(sel).isVisible(), true, `${sel} shown`);
    }
    assert.equal(await page.locator('#mode-network').isDisabled(), false);
    assert.equal(await page.locator('#teach-reveal').isVisible(), false);
    assert.ok((await page.locator('#plot').boundingBox()).width < plotWidth, 'the inspector takes its column back');
    assert.match(await currentHash(page), /^#teacher=/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a lesson link with a bad field opens the default lesson with a notice naming the field', async () => {
  const exp = encodeSpec(S.toSpec(S.defaultState())).slice(1);
  const teacher = (v) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
  const cases = [
    [`#teacher=${teacher({ text: 'x'.repeat(700) })}&${exp}`, /teacher\.text: at most 600 characters, got 700/],
    [`#teacher=${teacher({ hide: ['everything'] })}&${exp}`, /teacher\.hide\[0\]: expected one of/],
    [`#teacher=not-json&${exp}`, /teacher: the lesson link's text is not readable/],
  ];
  for (const [hash, message] of cases) {
    const page = await openPage(env.browser, `${env.server.url}${hash}`);
    try {
      assert.match(await page.locator('#notice-text').textContent(), message);
      assert.equal(await page.evaluate(() => window.optlab.app.getState().teacher), null);
      assert.equal(await page.locator('#tab-runs').isVisible(), true);
    } finally {
      await page.context().close();
    }
  }
});
