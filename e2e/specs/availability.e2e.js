// A provider without a key: its models are shown as unavailable, with the reason, in the chat's
// model picker and in the rule editor's model pickers, and neither lets the user choose them.
import { invokeInApp, openScreen, screenshot } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';

const key = `sk-avail-${Math.random().toString(36).slice(2, 10)}`;
let fake;

/** Every option of a select: value, label and whether it can be chosen. */
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
    await screenshot('chat-picker-unavailable');
  });

  it('are marked unavailable in the rule editor and cannot be added to a chain', async () => {
    await openScreen('rules');
    // The SmartRouter preset has a code rule whose chain starts at claude-opus-4.
    await (await $('#preset')).selectByVisibleText('SmartRouter with fallbacks');
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
    await screenshot('rules-picker-unavailable');
  });
});
