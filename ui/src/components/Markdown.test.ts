import { fireEvent, render } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { externalLink } from '../lib/links';
import { renderMarkdown } from '../lib/markdown';
import Markdown from './Markdown.svelte';

const REPLY =
  '[site](https://example.com/a) [plain](http://example.org) [mail](mailto:me@example.com) ' +
  '[js](javascript:alert(1)) [file](file:///etc/passwd) [ftp](ftp://example.com) ' +
  '[data](data:text/html,hi) [app](vscode://open) [rel](docs/page) [top](#top)';

describe('links in replies', () => {
  it('keeps http, https and mailto as links and turns every other target into plain text', () => {
    const holder = document.createElement('div');
    holder.innerHTML = renderMarkdown(REPLY);
    const hrefs = [...holder.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://example.com/a', 'http://example.org', 'mailto:me@example.com']);
    for (const word of ['js', 'file', 'ftp', 'data', 'app', 'rel', 'top']) expect(holder.textContent).toContain(word);
  });

  it('accepts only absolute http, https and mailto targets', () => {
    expect(externalLink(' https://example.com ')).toBe('https://example.com');
    expect(externalLink('MAILTO:me@example.com')).toBe('MAILTO:me@example.com');
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', '//evil.example', '/local', '#x', '', null])
      expect(externalLink(bad), String(bad)).toBeNull();
  });

  it('opens a clicked link through the opener plugin, and nothing for text that was a link', async () => {
    const opened: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'plugin:opener|open_url') opened.push((args as { url: string }).url);
      return null;
    });
    const { container } = render(Markdown, { source: REPLY });
    const link = container.querySelector('a[href="https://example.com/a"]')!;
    await fireEvent.click(link);
    expect(opened).toEqual(['https://example.com/a']);
    // The javascript: "link" is plain text now: clicking it opens nothing.
    const text = [...container.querySelectorAll('p')][0];
    await fireEvent.click(text);
    expect(opened).toEqual(['https://example.com/a']);
  });
});

describe('code blocks', () => {
  it('get their language and Copy header as soon as streaming ends', async () => {
    const code = 'Here:\n\n```python\nprint(1)\n```\n';
    const { container, rerender } = render(Markdown, { source: 'Here:\n\n```py', streaming: true });
    await rerender({ source: code.slice(0, 20), streaming: true });
    await rerender({ source: code, streaming: true });
    await rerender({ source: code, streaming: false });
    await tick();
    const head = container.querySelector('.code-head');
    expect(head?.textContent).toContain('python');
    expect(head?.textContent).toContain('Copy');
  });
});
