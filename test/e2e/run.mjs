// End-to-end tests in a real VS Code (code-server), driven through Chromium
// with playwright-core: commands from F1, the inspector webview's DOM, the
// hover widget, and diagnostics. Expected values are real PyTorch's
// (shared/golden). Screenshots go to test-results/. `npm run test:e2e`.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { e2eDir, examplesDir, freePort, installExtension, log, prepare, prepareUserData, repoRoot, startCodeServer } from './harness.mjs';

const resultsDir = path.join(repoRoot, 'test-results');
const runDir = path.join(e2eDir, `run-${process.pid}`);
const userDataDir = path.join(runDir, 'user-data');
const extensionsDir = path.join(runDir, 'extensions');
const goldenDir = process.env.MASKLENS_GOLDEN_DIR ?? path.resolve(repoRoot, '..', 'shared', 'golden');

/** Golden variables from real PyTorch where available, else the values written below. */
function golden(caseName) {
  try {
    return JSON.parse(readFileSync(path.join(goldenDir, `${caseName}.json`), 'utf8')).variables;
  } catch {
    return undefined;
  }
}

let server;
let browser;
let page;
const consoleErrors = [];

async function shot(name) {
  await page.waitForTimeout(300); // let hovers and panels finish fading in
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`) });
}

/** 1-based line of the first line of `file` that starts with `prefix`. */
function lineOf(file, prefix) {
  const lines = readFileSync(path.join(examplesDir, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith(prefix));
  assert.ok(i >= 0, `${file} has a line starting with ${prefix}`);
  return i + 1;
}

async function quickInput(prefixKey, text) {
  await page.keyboard.press(prefixKey);
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.type(text, { delay: 10 });
  return input;
}

async function openFile(file) {
  await quickInput('Control+P', file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: file }).waitFor({ timeout: 15000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 15000 });
}

async function runCommand(title, match = title) {
  await quickInput('F1', title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: match }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
}

async function focusFirstEditor() {
  await page.keyboard.press('Control+1');
  await page.waitForTimeout(200);
}

async function goToLine(line) {
  await focusFirstEditor();
  await quickInput('Control+G', String(line));
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/** The frame holding the inspector's page (webviews nest two iframes deep). */
async function inspectorFrame(timeoutMs = 20000) {
  const t0 = Date.now();
  for (;;) {
    for (const f of page.frames()) {
      try {
        if (await f.$('#mask-lens-root[data-ready="true"]')) return f;
      } catch {
        // frame navigated or detached while looking
      }
    }
    if (Date.now() - t0 > timeoutMs) throw new Error('the Tensor Inspector webview did not appear');
    await page.waitForTimeout(250);
  }
}

/** Wait until the inspector shows `fileName`, optionally with a given variable, and read it. */
async function readInspector(frame, { fileName, variable, mode, timeoutMs = 20000 }) {
  await frame.waitForFunction(
    ({ fileName, variable, mode }) => {
      const b = document.body;
      if (b.dataset.state !== 'shown') return false;
      if (document.getElementById('file-name')?.textContent !== fileName) return false;
      if (mode && !document.getElementById('mode')?.textContent?.includes(mode)) return false;
      return !variable || document.getElementById('heatmap')?.dataset.variable === variable;
    },
    { fileName, variable, mode },
    { timeout: timeoutMs },
  );
  return frame.evaluate(() => {
    const heatmap = document.getElementById('heatmap');
    const cells = Array.from(heatmap.querySelectorAll('.cell')).map((c) => ({
      r: Number(c.dataset.r),
      c: Number(c.dataset.c),
      v: c.dataset.v,
      on: c.classList.contains('on'),
      cls: c.className,
    }));
    const options = Array.from(document.querySelectorAll('#variable-select vscode-option')).map((o) => o.getAttribute('value'));
    return {
      variable: heatmap.dataset.variable,
      mask: heatmap.dataset.mask,
      slice: heatmap.dataset.slice,
      sliceLabel: document.getElementById('slice-label').textContent,
      badges: Array.from(document.querySelectorAll('#badges vscode-badge')).map((b) => b.textContent),
      cells,
      repr: document.getElementById('repr').textContent,
      stdout: document.getElementById('stdout').textContent,
      options,
      mode: document.getElementById('mode').textContent,
      banner: document.getElementById('error-banner').hidden ? '' : document.getElementById('error-banner').textContent,
      errorCount: document.getElementById('error-count').textContent,
    };
  });
}

/** Choose a variable through the toolkit dropdown, as a person would. */
async function pickVariable(frame, name) {
  await frame.locator('#variable-select').click();
  await frame.locator(`#variable-select vscode-option[value="${name}"]`).click();
}

/**
 * Hover the first occurrence of `word` on the editor line that starts with `lineStart`
 * (`shift` characters into it), and wait for a hover that contains `expect`.
 */
async function hoverWord(lineStart, word, { shift = 0, expect = word, root = '.editor-group-container' } = {}) {
  const box = await page.evaluate(
    ({ lineStart, word, shift, root }) => {
      const lines = document.querySelectorAll(`${root} .monaco-editor .view-lines .view-line`);
      for (const line of lines) {
        const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        if (!text.startsWith(lineStart)) continue;
        const at = text.indexOf(word) + shift;
        // Walk text nodes to the character offset of `word`.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent.length;
          if (at < offset + len) {
            const range = document.createRange();
            range.setStart(n, at - offset);
            range.setEnd(n, Math.min(at - offset + Math.min(word.length, 4), len));
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          offset += len;
        }
      }
      return null;
    },
    { lineStart, word, shift, root },
  );
  assert.ok(box, `editor shows a line starting with ${JSON.stringify(lineStart)}`);
  await page.mouse.move(box.x, box.y - 40);
  await page.mouse.move(box.x, box.y, { steps: 4 });
  const hover = page.locator('.monaco-hover:visible', { hasText: expect });
  await hover.first().waitFor({ timeout: 15000 });
  return (await hover.first().innerText()).trim();
}

function maskRow(cells, r) {
  return cells.filter((c) => c.r === r).sort((a, b) => a.c - b.c).map((c) => (c.on ? 1 : 0));
}

describe('Mask Lens in VS Code (code-server)', { timeout: 300000 }, () => {
  before(async () => {
    const t0 = Date.now();
    rmSync(resultsDir, { recursive: true, force: true });
    mkdirSync(resultsDir, { recursive: true });
    const paths = await prepare();
    prepareUserData(userDataDir);
    installExtension(paths, { userDataDir, extensionsDir });
    const port = await freePort();
    server = await startCodeServer(paths, { port, userDataDir, extensionsDir, folder: examplesDir, logFile: path.join(resultsDir, 'code-server.log') });
    browser = await chromium.launch({
      executablePath: paths.chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${m.location().url}: ${m.text()}`);
    });
    await page.goto(server.workbenchUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
    // The workbench keeps wiring itself up for a moment after it paints.
    await page.waitForTimeout(3000);
    log(`workbench ready ${Date.now() - t0} ms after start of setup`);
  });

  after(async () => {
    if (page) await shot('zz-final').catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    rmSync(runDir, { recursive: true, force: true });
  });

  test('Preview Masks shows a mask grid and its repr in the inspector', async () => {
    await openFile('seed_three_masks.py');
    await runCommand('Mask Lens: Preview Masks');
    const frame = await inspectorFrame();
    const view = await readInspector(frame, { fileName: 'seed_three_masks.py', variable: 'padding_mask' });
    await shot('01-preview-masks');
    const g = golden('seed_three_masks')?.padding_mask ?? { shape: [2, 1, 1, 4], data: [false, false, true, true, false, false, false, true] };
    assert.deepEqual(view.options, ['seq', 'padding_mask', 'sequence_mask', 'look_ahead_mask']);
    assert.ok(view.badges.includes('torch.bool'), `badges ${view.badges}`);
    assert.ok(view.badges.includes(`[${g.shape.join(', ')}]`), `badges ${view.badges}`);
    assert.equal(view.mask, 'true');
    assert.equal(view.sliceLabel, 'padding_mask[0, 0, :, :]');
    assert.deepEqual(maskRow(view.cells, 0), g.data.slice(0, 4).map(Number));
    assert.match(view.repr, /^tensor\(\[\[\[\[False, False, {2}True, {2}True\]\]\],/);
    assert.match(view.stdout, /tensor\(\[\[0\., 1\., 1\., 1\.\],/);
    assert.equal(view.errorCount, '0');

    // The second batch row, through the slice picker.
    await frame.locator('#slice-0').click();
    await frame.locator('#slice-0 vscode-option[value="1"]').click();
    await frame.waitForFunction(() => document.getElementById('heatmap')?.dataset.slice === '1,0');
    const second = await readInspector(frame, { fileName: 'seed_three_masks.py', variable: 'padding_mask' });
    assert.deepEqual(maskRow(second.cells, 0), g.data.slice(4, 8).map(Number));

    // A float 0/1 mask via the variable dropdown: the upper triangle is highlighted.
    await pickVariable(frame, 'look_ahead_mask');
    const la = await readInspector(frame, { fileName: 'seed_three_masks.py', variable: 'look_ahead_mask' });
    await shot('02-look-ahead-mask');
    for (let r = 0; r < 4; r++) assert.deepEqual(maskRow(la.cells, r), [0, 1, 2, 3].map((c) => (c > r ? 1 : 0)), `row ${r}`);
    assert.ok(la.badges.includes('torch.float32'));
    assert.match(la.repr, /tensor\(\[\[0\., 1\., 1\., 1\.\],/);
  });

  test('Preview Mask at Cursor shows the variable at or above the cursor line', async () => {
    const printLine = lineOf('seed_three_masks.py', 'print(sequence_mask)');
    await goToLine(printLine);
    await runCommand('Mask Lens: Preview Mask at Cursor');
    const frame = await inspectorFrame();
    const view = await readInspector(frame, { fileName: 'seed_three_masks.py', variable: 'sequence_mask', mode: `up to line ${printLine}` });
    await shot('03-preview-at-cursor');
    // Evaluation stopped at the cursor: the later look_ahead_mask is not bound yet.
    assert.deepEqual(view.options, ['seq', 'padding_mask', 'sequence_mask']);
    for (let r = 0; r < 4; r++) assert.deepEqual(maskRow(view.cells, r), [0, 1, 2, 3].map((c) => (c > r ? 1 : 0)), `row ${r}`);
  });

  test('hovering a mask variable shows its shape and grid', async () => {
    await focusFirstEditor();
    const text = await hoverWord('padding_mask = create_padding_mask', 'padding_mask');
    await shot('04-hover');
    assert.match(text, /padding_mask/);
    assert.ok(text.includes('[2, 1, 1, 4]'), `hover shows the shape:\n${text}`);
    assert.ok(text.includes('torch.bool'), `hover shows the dtype:\n${text}`);
    assert.ok(text.includes('⬚⬚■■'), `hover shows row [0, 0]:\n${text}`);
    assert.ok(text.includes('⬚⬚⬚■'), `hover shows row [1, 0]:\n${text}`);
    assert.ok(text.includes('tensor([[[[False, False,  True,  True]]],'), `hover shows the repr:\n${text}`);
    // The mask kind and fraction masked (issue #6), and the ■/⬚ legend.
    assert.ok(text.includes('padding (right, lengths 2, 3) · 37.5% masked'), `hover shows the mask summary:\n${text}`);
    assert.match(text, /■ .+ · ⬚ /, `hover shows the legend:\n${text}`);
    await page.keyboard.press('Escape');
  });

  test('an error line becomes a diagnostic while the rest of the file still previews', async () => {
    const file = 'error_and_fully_masked_row.py';
    const errorLine = lineOf(file, 'broken = ');
    await openFile(file);
    await runCommand('Mask Lens: Preview Masks');
    const frame = await inspectorFrame();
    const view = await readInspector(frame, { fileName: file });
    await shot('05-error-file-inspector');
    assert.match(view.banner, new RegExp(`AttributeError: 'Tensor' object has no attribute 'unsequeeze' \\(line ${errorLine}\\)`));
    // key_padding is bound after the failing line and still previews.
    assert.ok(view.options.includes('key_padding'), `variables ${view.options}`);
    assert.ok(!view.options.includes('broken'), `variables ${view.options}`);
    await pickVariable(frame, 'key_padding');
    const kp = await readInspector(frame, { fileName: file, variable: 'key_padding' });
    assert.deepEqual(maskRow(kp.cells, 0), [0, 0, 1]);
    assert.deepEqual(maskRow(kp.cells, 1), [1, 1, 1]);

    // The fully-masked softmax row is nan, drawn as such.
    await pickVariable(frame, 'attn');
    const attn = await readInspector(frame, { fileName: file, variable: 'attn' });
    await shot('06-fully-masked-row');
    const row1 = attn.cells.filter((c) => c.r === 1);
    assert.deepEqual(row1.map((c) => c.v), ['nan', 'nan', 'nan']);
    assert.ok(row1.every((c) => c.cls.includes('nan')));
    assert.deepEqual(attn.cells.filter((c) => c.r === 0).map((c) => c.v), ['0.3775', '0.6225', '0.']);

    // The Errors tab lists it; clicking the row moves the editor's cursor to the line.
    await frame.locator('#tab-errors').click();
    const errorRow = frame.locator('#problems vscode-data-grid-row', { hasText: 'unsequeeze' });
    await errorRow.waitFor({ timeout: 10000 });
    assert.equal(view.errorCount, String(Number(view.errorCount)), 'error count badge is a number');
    assert.ok(Number(view.errorCount) >= 1);
    await shot('07-errors-tab');
    await errorRow.click();
    await page.locator('.statusbar-item', { hasText: `Ln ${errorLine},` }).first().waitFor({ timeout: 10000 });

    // The error is a Diagnostic on its line: a squiggle in the editor, an entry in Problems.
    await focusFirstEditor();
    await page.locator('.editor-group-container .monaco-editor .squiggly-error').first().waitFor({ timeout: 15000 });
    await runCommand('Focus on Problems View');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ timeout: 15000 });
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'unsequeeze' }).first().waitFor({ timeout: 15000 });
    const problemsText = await problems.innerText();
    await shot('08-problems');
    assert.match(problemsText, /AttributeError: 'Tensor' object has no attribute 'unsequeeze'/);
    assert.match(problemsText, new RegExp(`\\[Ln ${errorLine}, Col \\d+\\]`));
    // The evaluator's mask warning (RunResult.diagnostics) for the all-masked softmax row.
    const attnLine = lineOf(file, 'attn = ');
    const warning = page.locator('.markers-panel .monaco-list-row', { hasText: 'fully-masked-row' });
    await warning.first().waitFor({ timeout: 10000 });
    const warningText = await warning.first().innerText();
    assert.match(warningText, /NaN/);
    assert.match(warningText, new RegExp(`\\[Ln ${attnLine}, Col \\d+\\]`));

    // The same warning in the hover of the variable it concerns.
    await focusFirstEditor();
    const hoverText = await hoverWord('attn = ', 'attn');
    await shot('09-warning-hover');
    // "code: message" is the Mask Lens hover's own line (VS Code's problem hover writes "Mask Lens(code)").
    assert.match(hoverText, /fully-masked-row: attn: 1 row is entirely NaN/, `hover shows the warning:\n${hoverText}`);
    await page.keyboard.press('Escape');
  });

  test('a hover inside a function shows the value of its call (issue #10)', async () => {
    await openFile('seed_three_masks.py');
    await focusFirstEditor();
    const text = await hoverWord('    mask = (seq == pad_token)', 'mask');
    await shot('10-hover-in-function');
    const callLine = lineOf('seed_three_masks.py', 'padding_mask = create_padding_mask');
    assert.ok(text.includes(`create_padding_mask · call 1 of 1 · from line ${callLine}`), `hover names the call:\n${text}`);
    assert.ok(text.includes('[2, 1, 1, 4]') && text.includes('torch.bool'), `hover shows the mask's shape and dtype:\n${text}`);
    assert.ok(text.includes('⬚⬚■■') && text.includes('⬚⬚⬚■'), `hover shows the grid:\n${text}`);
    await page.keyboard.press('Escape');
    // a callee shows what the call returned
    const returned = await hoverWord('look_ahead_mask = create_look_ahead_mask(4)', 'create_look_ahead_mask');
    assert.ok(returned.includes('create_look_ahead_mask` returned') || returned.includes('create_look_ahead_mask returned'), `callee hover:\n${returned}`);
    assert.ok(returned.includes('[4, 4]'), `callee hover shows the returned shape:\n${returned}`);
    await page.keyboard.press('Escape');
  });

  test('a hover in a module\'s forward steps to call 2; labels after labels[...] = -100', async () => {
    const file = 'calls_attention_module.py';
    await openFile(file);
    await focusFirstEditor();
    const first = await hoverWord('        weights = torch.softmax', 'weights');
    assert.ok(first.includes(`call 1 of 2 · from line ${lineOf(file, 'out_a = ')}`), `call 1:\n${first}`);
    assert.ok(first.includes('[2, 4, 4]'), `weights shape:\n${first}`);
    await page.locator('.monaco-hover:visible a', { hasText: 'next ›' }).first().click();
    await page.waitForTimeout(500);
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
    const second = await hoverWord('        weights = torch.softmax', 'weights');
    await shot('11-hover-call-2');
    assert.ok(second.includes(`call 2 of 2 · from line ${lineOf(file, 'out_b = ')}`), `call 2:\n${second}`);
    assert.ok(second.includes('‹ previous'), `a link back to call 1:\n${second}`);
    await page.keyboard.press('Escape');
    // self.mask inside forward: the buffer __init__ registered
    const selfMask = await hoverWord('        scores = scores.masked_fill(~self.mask', 'self.mask', { shift: 5 });
    assert.ok(selfMask.includes('self.mask') && selfMask.includes('[4, 4]'), `self.mask hover:\n${selfMask}`);
    await page.keyboard.press('Escape');
    // a write through a subscript rebinds nothing, yet the hover shows the new values
    await goToLine(lineOf(file, 'labels[pad_b] = -100'));
    const labels = await hoverWord('labels[pad_b] = -100', 'labels');
    await shot('12-labels-after-write');
    assert.ok(labels.includes('-100'), `labels after the write:\n${labels}`);
    assert.ok(labels.includes(`as of line ${lineOf(file, 'labels[pad_b] = -100')}`), `labels as of the write's line:\n${labels}`);
    await page.keyboard.press('Escape');
  });

  test('Preview with Arguments… on a function the file never calls', async () => {
    const file = 'calls_attention_module.py';
    await focusFirstEditor();
    const never = await hoverWord('    mask = torch.triu(torch.ones(size, size)', 'mask');
    assert.ok(never.includes('never called'), `an uncalled function says so:\n${never}`);
    await page.keyboard.press('Escape');
    const lens = page.locator('.contentWidgets .codelens-decoration a, .codelens-decoration a', { hasText: 'Preview with Arguments…' });
    await lens.first().waitFor({ timeout: 15000 });
    await lens.first().click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    assert.equal(await input.inputValue(), 'torch.tensor([[7, 6, 0, 0]])');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
    await focusFirstEditor();
    const text = await hoverWord('    mask = torch.triu(torch.ones(size, size)', 'mask');
    await shot('13-preview-with-arguments');
    assert.ok(text.includes('call 1 of 1 · Preview with Arguments'), `the preview call:\n${text}`);
    assert.ok(text.includes('[4, 4]') && text.includes('⬚■■■'), `the mask it built:\n${text}`);
    await page.keyboard.press('Escape');
    void file;
  });

  test('the inspector picks a function call as its scope', async () => {
    const file = 'calls_attention_module.py';
    await openFile(file);
    await runCommand('Mask Lens: Preview Masks');
    const frame = await inspectorFrame();
    await readInspector(frame, { fileName: file });
    const scopes = await frame.evaluate(() => Array.from(document.querySelectorAll('#scope-select vscode-option')).map((o) => [o.getAttribute('value'), o.textContent]));
    const fwd2 = `MaskedAttention.forward · call 2 of 2 · from line ${lineOf(file, 'out_b = ')}`;
    assert.deepEqual(scopes[0], ['module', 'module']);
    assert.ok(scopes.some(([, label]) => label === fwd2), `scopes ${JSON.stringify(scopes)}`);
    await frame.locator('#tab-values').click(); // an earlier test left the Errors tab open
    await frame.locator('#scope-select').click();
    await frame.locator('#scope-select vscode-option[value="MaskedAttention.forward#2"]').click();
    await pickVariable(frame, 'key_padding');
    const view = await readInspector(frame, { fileName: file, variable: 'key_padding' });
    await shot('15-inspector-call-scope');
    assert.deepEqual(view.options, ['scores', 'key_padding', 'self.mask', 'weights', 'return']);
    // pad_b = lengths_to_mask([3, 1], 4): True where padded
    assert.deepEqual(maskRow(view.cells, 0), [0, 0, 0, 1]);
    assert.deepEqual(maskRow(view.cells, 1), [0, 1, 1, 1]);
  });

  test('a two-cell notebook: cell 2 sees cell 1\'s import and hovers its mask', async () => {
    await quickInput('Control+P', 'two_cells.ipynb');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'two_cells.ipynb' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    // notebook editors live in an overlay outside the editor group's DOM
    await page.locator('.notebookOverlay .monaco-editor .view-lines').nth(1).waitFor({ timeout: 30000 });
    await page.waitForTimeout(1500);
    const text = await hoverWord('cell_mask = torch.arange(4)', 'cell_mask', { root: '.notebookOverlay' });
    await shot('14-notebook-hover');
    assert.ok(text.includes('[2, 4]') && text.includes('torch.bool'), `cell 2's mask:\n${text}`);
    assert.ok(text.includes('■■■⬚') && text.includes('■⬚⬚⬚'), `cell 2's grid:\n${text}`);
    await page.keyboard.press('Escape');

    // Preview Masks from cell 2: the whole notebook, on cell 2's scope
    await page.locator('.notebookOverlay .monaco-editor .view-line', { hasText: 'print(cell_mask)' }).first().click();
    await runCommand('Mask Lens: Preview Masks');
    const frame = await inspectorFrame();
    const view = await readInspector(frame, { fileName: 'two_cells.ipynb', variable: 'cell_mask' });
    await shot('16-notebook-inspector');
    assert.deepEqual(view.options, ['cell_mask']);
    assert.deepEqual(maskRow(view.cells, 0), [1, 1, 1, 0]);
    assert.deepEqual(maskRow(view.cells, 1), [1, 0, 0, 0]);
    const scopes = await frame.evaluate(() => Array.from(document.querySelectorAll('#scope-select vscode-option')).map((o) => o.textContent));
    assert.deepEqual(scopes, ['module', 'cell 1', 'cell 2']);
  });

  test('the inspector runs under its strict CSP (no unsafe-inline)', async () => {
    const frame = await inspectorFrame();
    const violations = JSON.parse((await frame.evaluate(() => document.body.dataset.cspViolations)) ?? '[]');
    const csp = consoleErrors.filter((e) => /Content Security Policy/i.test(e) && /masklens/i.test(e));
    assert.deepEqual(violations, [], csp.join('\n'));
    assert.deepEqual(csp, []);
  });
});
