// Links in a reply, in the real window: http, https and mailto links open outside the app (the
// desktop's `xdg-open`, stood in for by wdio.conf.js, records what it was asked to open); any
// other scheme is shown as text and opens nothing.
import fs from 'node:fs';
import { addFakeProviders, screenshot, sendChat } from '../helpers/app.js';
import { setFaults, startFakeProvider } from '../helpers/fake-provider.js';

const key = `sk-links-${Math.random().toString(36).slice(2, 10)}`;
let fake;

const REPLY = [
  'Read [the guide](https://example.com/guide?a=1), the [old page](http://example.org/old),',
  'write to [support](mailto:help@example.com), but not [this](javascript:alert(1))',
  'nor [that](file:///etc/passwd).',
].join(' ');

const opened = () => {
  const file = process.env.SWITCHYARD_E2E_OPENED;
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
};

describe('Links in a reply', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
    await setFaults(fake.url, [{ model: '*', reply: REPLY }]);
  });

  after(() => fake?.stop());

  it('opens http, https and mailto links outside the app, and nothing else', async () => {
    const reply = await sendChat('Where can I read more?');
    await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', {
      timeout: 20000,
      timeoutMsg: 'the reply never completed',
    });
    for (const text of ['the guide', 'old page', 'support']) {
      await (await reply.$(`a=${text}`)).click();
    }
    await browser.waitUntil(async () => opened().length >= 3, {
      timeout: 10000,
      timeoutMsg: `the desktop was asked to open ${JSON.stringify(opened())}`,
    });
    expect(opened()).toEqual(['https://example.com/guide?a=1', 'http://example.org/old', 'mailto:help@example.com']);

    // The other two are not links at all, only their words are shown.
    const hrefs = await browser.execute((el) => [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')), reply);
    expect(hrefs).toEqual(['https://example.com/guide?a=1', 'http://example.org/old', 'mailto:help@example.com']);
    await expect(reply).toHaveText(expect.stringContaining('but not this'));
    await expect(reply).toHaveText(expect.stringContaining('nor that'));
    await browser.pause(500);
    expect(opened().length).toBe(3);
    // The window is still the app's: nothing navigated it away.
    expect(await browser.execute(() => document.querySelector('textarea[aria-label="Message"]') !== null)).toBe(true);
    await screenshot('chat-links');
  });
});
