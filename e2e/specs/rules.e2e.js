// Rules in the real window: load a preset, send code prompts to another model, save, refuse a
// broken rule file, and restore an earlier version. Screenshots of the table, the form and the
// live test go to e2e/artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import { dataHome, invokeInApp, openScreen, screenshot } from '../helpers/app.js';
import { root } from '../wdio.conf.js';
import { startFakeProvider } from '../helpers/fake-provider.js';

const CODE_PROMPT = 'Fix this Python function, it crashes on an empty list:\n```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```';

// Valid TOML, but its code rule names a model that is not in the catalog.
const BROKEN_FILE = `[[rules]]
name = "code"
when = [{ task = ["code"] }]
then = { type = "chain", models = ["gpt-9-turbo"] }

[[rules]]
name = "default"
then = { type = "chain", models = ["gpt-4o-mini"] }
`;

/** Pastes text as a whole: typed key by key, WebDriver drops the newlines a TOML file needs. */
async function paste(selector, text) {
  await browser.execute(
    (sel, value) => {
      const el = document.querySelector(sel);
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    selector,
    text,
  );
}

async function summaries() {
  const texts = [];
  for (const cell of await $$('[data-testid="rule-summary"]')) texts.push(await cell.getText());
  return texts;
}

async function status() {
  return (await $('[data-testid="rules-status"]')).getText();
}

async function loadPreset(label) {
  // An entry reads "Label (2 models unavailable)" when some of its models cannot be called.
  const select = await $('#preset');
  const value = await browser.execute((el, l) => [...el.options].find((o) => o.textContent.trim().startsWith(l))?.value, select, label);
  await select.selectByAttribute('value', value);
  await (await $('button=Load')).click();
}

async function save() {
  const button = await $('button.primary=Save');
  await button.waitForEnabled();
  await button.click();
  await browser.waitUntil(async () => !(await status()).includes('Unsaved'), { timeoutMsg: 'save did not finish' });
}

async function liveModel() {
  const decision = await $('[data-testid="live-decision"]');
  await decision.waitForDisplayed();
  return decision.getAttribute('data-model');
}

describe('Rules', () => {
  it('opens with the bundled rules and the default last', async () => {
    await openScreen('rules');
    await expect($('[data-testid="rules-status"]')).toHaveText(expect.stringContaining('Bundled defaults'));
    const rows = await summaries();
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.at(-1)).toMatch(/^Everything else →/);
  });

  it('loads a preset in one step and saves it as version 1', async () => {
    await loadPreset('Complexity-based');
    expect(await summaries()).toEqual([
      'When complexity is complex → claude-opus-4',
      'When complexity is moderate → gpt-4o',
      'When complexity is simple → claude-sonnet-4',
      'Everything else → gpt-4o-mini',
    ]);
    await save();
    expect(await status()).toContain('Version 1');
  });

  it('sends code prompts to another model, shown live before saving', async () => {
    await loadPreset('SmartRouter with fallbacks');
    await paste('#live-prompt', CODE_PROMPT);
    await browser.waitUntil(async () => (await liveModel()) === 'claude-opus-4', { timeoutMsg: 'live test did not route to claude-opus-4' });

    await (await (await $('tr[data-rule="code"]')).$('button=Edit')).click();
    const primary = await $('select[aria-label="Primary model"]');
    await primary.selectByAttribute('value', 'gpt-4o-mini');
    await browser.waitUntil(async () => (await liveModel()) === 'gpt-4o-mini', { timeoutMsg: 'live test did not follow the edit' });
    await expect($('[data-testid="trace"]')).toHaveText(expect.stringContaining('code'));
    await screenshot('rules-form');
    await (await $('#live-prompt')).scrollIntoView();
    await screenshot('rules-live-test');

    await save();
    expect(await status()).toContain('Version 2');
    const saved = await invokeInApp('saved_routing');
    const code = saved.value.config.rules.rules.find((r) => r.name === 'code');
    expect(code.then.models[0]).toBe('gpt-4o-mini');
    await (await $('h1=Rules')).scrollIntoView();
    await screenshot('rules-table');
  });

  it('answers a code prompt in Chat with the model the saved rule names', async () => {
    const key = 'sk-rules-e2e-0001';
    const fake = await startFakeProvider([key]);
    try {
      const added = await invokeInApp('add_provider', {
        input: { name: 'Fake OpenAI', kind: 'openai', preset: 'openai', base_url: `${fake.url}/openai/v1`, headers: [], enabled: true },
        key,
      });
      expect(added.ok).toBe(true);
      await openScreen('chat');
      await paste('textarea[aria-label="Message"]', CODE_PROMPT);
      await (await $('button=Send')).click();
      const reply = await $('[data-testid="message-assistant"]');
      await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', {
        timeoutMsg: 'the code prompt got no complete reply',
      });
      await expect(reply.$('[data-testid="badge-model"]')).toHaveText('gpt-4o-mini');
      await openScreen('rules');
    } finally {
      fake.stop();
    }
  });

  it('saves the rules as a TOML file that the import takes back', async () => {
    const saved = await invokeInApp('saved_routing');
    // The command opens the save dialog itself (answered by SWITCHYARD_E2E_SAVE_DIR in this
    // debug build) and writes only there; a path from the page is not even an argument.
    const elsewhere = path.join(dataHome(), 'elsewhere.toml');
    const written = await invokeInApp('save_rules_toml', { config: saved.value.config, path: elsewhere });
    expect(written.ok).toBe(true);
    const file = written.value;
    expect(file).toBe(path.join(process.env.SWITCHYARD_E2E_SAVE_DIR, 'switchyard-rules.toml'));
    expect(fs.existsSync(elsewhere)).toBe(false);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('[[rules]]');
    const back = await invokeInApp('import_rules_toml', { text });
    expect(back.ok).toBe(true);
    expect(back.value.rules.rules.map((r) => r.name)).toEqual(saved.value.config.rules.rules.map((r) => r.name));
  });

  it('refuses a broken rule file with its rule and field, and the rules stay as they were', async () => {
    const before = await summaries();
    await (await $('button[role="tab"]=Import / export')).click();
    await paste('#import-toml', BROKEN_FILE);
    await (await $('button.primary=Import')).click();
    const error = await $('[data-testid="import-error"]');
    await expect(error).toHaveText(expect.stringContaining('rule `code`, field `then.models[0]`'));
    await expect(error).toHaveText(expect.stringContaining('gpt-9-turbo'));
    await screenshot('rules-import-refused');
    await (await $('button[role="tab"]=Rules')).click();
    expect(await summaries()).toEqual(before);
    expect(await status()).toContain('Version 2');
    expect(await status()).not.toContain('Unsaved');
    const versions = await invokeInApp('rule_versions');
    expect(versions.value.length).toBe(2);
  });

  it('restores the previous version, and the restored rules survive a restart', async () => {
    await (await $('button[role="tab"]=History')).click();
    await (await (await $('li[data-version="1"]')).$('button=Restore…')).click();
    // Nothing changes until the user has seen what would and confirmed.
    const preview = await $('[data-testid="restore-preview"]');
    await expect(preview).toHaveText(expect.stringContaining('Restore version 1?'));
    await expect(preview).toHaveText(expect.stringContaining('Compared with the rules in use (version 2)'));
    expect((await invokeInApp('rule_versions')).value.length).toBe(2);
    await screenshot('rules-restore-preview');
    await (await preview.$('button=Restore version 1')).click();
    await browser.waitUntil(async () => (await status()).includes('Version 3'));
    await expect($('#preset')).toHaveValue('');
    await expect($('button=Load')).toBeDisabled();
    await screenshot('rules-history');
    await (await $('button[role="tab"]=Rules')).click();
    expect((await summaries())[0]).toBe('When complexity is complex → claude-opus-4');

    await browser.reloadSession();
    await openScreen('rules');
    await browser.waitUntil(async () => (await status()).includes('Version 3'));
    expect((await summaries())[0]).toBe('When complexity is complex → claude-opus-4');
    const routed = await invokeInApp('preview_routing', {
      draft: (await invokeInApp('saved_routing')).value.config,
      requests: [{ messages: [{ role: 'user', content: CODE_PROMPT }], prefer_cost: false, cached_prompt_tokens: 0 }],
    });
    expect(routed.value.outcomes[0].decision.rule).not.toBe('code');
  });

  it('previews a restore in the dark theme too', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openScreen('rules');
    await (await $('button[role="tab"]=History')).click();
    await (await (await $('li[data-version="2"]')).$('button=Restore…')).click();
    const preview = await $('[data-testid="restore-preview"]');
    await expect(preview).toHaveText(expect.stringContaining('Restore version 2?'));
    await screenshot('rules-restore-preview-dark');
    await (await preview.$('button=Cancel')).click();
    await expect(preview).not.toBeExisting();
    expect((await invokeInApp('rule_versions')).value.length).toBe(3);
  });
});
