// A provider without a key: its models are shown as unavailable, with the reason, in the chat's
// model picker and in the rule editor's model pickers, and neither lets the user choose them.
import path from 'node:path';
import { invokeInApp, openScreen, screenshot, screenshotBothThemes } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = `sk-avail-${Math.random().toString(36).slice(2, 10)}`;
let fake;

/** Every option of a select: value, label and whether it can be chosen. */
/** Picks the preset whose entry starts with `label` (it may say how many models are unavailable). */
async function choosePreset(label) {
  const select = await $('#preset');
  // The presets arrive from the backend after the screen opens.
  let value = null;
  await browser.waitUntil(
    async () => {
      value = await browser.execute((el, l) => [...el.options].find((o) => o.textContent.trim().startsWith(l))?.value ?? null, select, label);
      return value !== null;
    },
    { timeoutMsg: `no preset starting with “${label}”` },
  );
  await select.selectByAttribute('value', value);
}

async function options(select) {
  return browser.execute(
    (el) => [...el.options].map((o) => ({ value: o.value, label: o.textContent, disabled: o.disabled })),
    await select,
  );
}

describe('Models of a provider without a key', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    // OpenAI with its key; Anthropic set up but with no key stored.
    for (const [preset, base, withKey] of [
      ['openai', `${fake.url}/openai/v1`, key],
      ['anthropic', `${fake.url}/anthropic`, null],
    ]) {
      const res = await invokeInApp('add_provider', {
        input: { name: `Fake ${preset}`, kind: preset, preset, base_url: base, headers: [], enabled: true },
        key: withKey,
      });
      if (!res.ok) throw new Error(res.error);
    }
    await browser.reloadSession();
  });

  after(() => fake?.stop());

  it('are listed as unavailable in the chat picker and cannot be picked', async () => {
    const picker = await $('select[aria-label="Model"]');
    await picker.waitForDisplayed();
    await browser.waitUntil(async () => (await options(picker)).length > 3, { timeoutMsg: 'no models in the picker' });
    const all = await options(picker);
    const haiku = all.find((o) => o.value === 'claude-haiku');
    expect(haiku.disabled).toBe(true);
    expect(haiku.label).toContain('Fake anthropic has no API key');
    const mini = all.find((o) => o.value === 'gpt-4o-mini');
    expect(mini.disabled).toBe(false);
    // Choosing it anyway leaves the picker where it was.
    await picker.selectByAttribute('value', 'claude-haiku').catch(() => {});
    expect(await picker.getValue()).not.toBe('claude-haiku');
    await screenshotBothThemes('chat-picker-unavailable');
  });

  it('are marked unavailable in the rule editor and cannot be added to a chain', async () => {
    await openScreen('rules');
    // The SmartRouter preset has a code rule whose chain starts at claude-opus-4.
    // Its claude models have no key: once availability is in, the picker says how many cannot be called.
    const entry = async () =>
      browser.execute((el) => [...el.options].find((o) => o.textContent.startsWith('SmartRouter'))?.textContent, await $('#preset'));
    await browser.waitUntil(async () => / unavailable\)$/.test((await entry()) ?? ''), { timeoutMsg: 'the preset was never marked' });
    expect(await entry()).toMatch(/^SmartRouter with fallbacks \(\d+ models? unavailable\)$/);
    await choosePreset('SmartRouter with fallbacks');
    await (await $('button=Load')).click();
    await (await (await $('tr[data-rule="code"]')).$('button=Edit')).click();
    const add = await $('#chain-add');
    await add.waitForDisplayed();
    const all = await options(add);
    const opus = all.find((o) => o.value === 'claude-opus-4');
    if (opus) {
      expect(opus.disabled).toBe(true);
      expect(opus.label).toContain('(unavailable: Fake anthropic has no API key)');
    }
    const haiku = all.find((o) => o.value === 'claude-haiku');
    expect(haiku.disabled).toBe(true);
    expect(all.find((o) => o.value === 'gpt-4o-mini')?.disabled ?? false).toBe(false);
    // The catalog says so too.
    const availability = await invokeInApp('model_availability', {
      catalog: (await invokeInApp('bundled_catalog')).value,
    });
    const claude = availability.value.find((a) => a.model === 'claude-haiku');
    expect(claude.available).toBe(false);
    expect(claude.reason).toBe('Fake anthropic has no API key');
    // The chain already names claude-opus-4: its picker says why it cannot answer.
    const primary = await $('select[aria-label="Primary model"]');
    await primary.scrollIntoView({ block: 'nearest' });
    expect(await primary.getValue()).toBe('claude-opus-4');
    await expect($('[data-testid="chain-unavailable"]')).toHaveText(
      'Cannot answer now: Fake anthropic has no API key.',
    );
    await (await $('[data-testid="chain-unavailable"]')).scrollIntoView({ block: 'center' });
    await screenshotBothThemes('rules-picker-unavailable');
  });

  it('offers the nearest model that can be called in place of one that cannot', async () => {
    // The SmartRouter preset is loaded and its claude models cannot be called.
    await (await $('button=Close')).click();
    const banner = await $('[data-testid="unavailable-models"]');
    await expect(banner).toHaveText(expect.stringContaining('cannot be called now'));
    const opus = await banner.$('li[data-model="claude-opus-4"]');
    await expect(opus).toHaveText(expect.stringContaining('claude-opus-4: Fake anthropic has no API key. Nearest you can call:'));
    await banner.scrollIntoView({ block: 'start' });
    await screenshot('rules-unavailable-models');
    const use = await opus.$('button*=Use ');
    const substitute = (await use.getText()).replace(/^Use /, '');
    await use.click();
    await expect($('li[data-model="claude-opus-4"]')).not.toBeExisting();
    const code = await $('tr[data-rule="code"] [data-testid="rule-summary"]');
    await expect(code).toHaveText(expect.stringContaining(substitute));
    await expect(code).not.toHaveText(expect.stringContaining('claude-opus-4'));
  });

  it("knows from the provider's model list, fetched at start, which models it does not serve", async () => {
    const catalog = (await invokeInApp('bundled_catalog')).value;
    catalog.models.push({ ...catalog.models.find((m) => m.id === 'gpt-4o'), id: 'gpt-9-preview' });
    let found = [];
    // Nobody pressed Test connection: the list was fetched in the background when the app started.
    await browser.waitUntil(
      async () => {
        found = (await invokeInApp('model_availability', { catalog })).value;
        return found.find((a) => a.model === 'gpt-9-preview')?.available === false;
      },
      { timeout: 15000, timeoutMsg: 'the model list was not fetched at start' },
    );
    expect(found.find((a) => a.model === 'gpt-9-preview').reason).toBe(
      'not served by Fake openai (its model list has no gpt-9-preview)',
    );
    expect(found.find((a) => a.model === 'gpt-4o').available).toBe(true);
  });

  it('draws the rules with unavailable models in the dark theme too', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openScreen('rules');
    await choosePreset('SmartRouter with fallbacks');
    await (await $('button=Load')).click();
    await expect($('[data-testid="unavailable-models"]')).toBeDisplayed();
    await screenshot('rules-unavailable-models-dark');
    await (await (await $('tr[data-rule="code"]')).$('button=Edit')).click();
    // The form opens right under the row it edits.
    const form = await $('tr[data-editing="code"]');
    await expect(form).toBeDisplayed();
    await (await $('tr[data-rule="code"]')).scrollIntoView({ block: 'start' });
    await screenshot('rules-form-dark');
  });
});
