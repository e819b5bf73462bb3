// With no Secret Service, the app still opens, Settings says why keys cannot be stored, and a key
// typed anyway is stored nowhere.
import path from 'node:path';
import { dataHome, filesContaining, invokeInApp, openAddProviderForm, openScreen, screenshot } from '../helpers/app.js';

const wrapper = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../bin/switchyard-without-keychain');

describe('Without a keychain', () => {
  before(async () => {
    await browser.reloadSession({
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: wrapper },
    });
  });

  it('opens, explains why keys cannot be stored, and keeps keys out of every file', async () => {
    expect(await browser.getTitle()).toBe('Switchyard');
    await openScreen('settings');
    const warning = await $('[data-testid="keychain-warning"]');
    await warning.waitForDisplayed();
    await expect(warning).toHaveText(expect.stringContaining('Keys cannot be stored'));
    await openAddProviderForm();
    await expect($('#pf-key')).toBeDisabled();
    await screenshot('providers-no-keychain');

    // The UI will not take a key, and the backend refuses one sent directly.
    const key = 'sk-no-keychain-7777-abcd';
    const result = await invokeInApp('add_provider', {
      input: { name: 'Nokey', kind: 'openai', preset: 'openai', base_url: 'https://api.openai.com/v1', headers: [], enabled: true },
      key,
    });
    expect(result.ok).toBe(false);
    expect(result.code).toBe('keychain_unavailable');
    expect(filesContaining(dataHome(), key)).toEqual([]);
  });
});
