import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CodeText from './CodeText.svelte';

describe('CodeText', () => {
  it('shows names in backticks as code', () => {
    const { container } = render(CodeText, { text: "the primary model of rule `writing`'s chain" });
    expect(container.querySelector('code')?.textContent).toBe('writing');
    expect(container.textContent).toBe("the primary model of rule writing's chain");
  });

  it('keeps an unmatched backtick and never reads markup', () => {
    const { container } = render(CodeText, { text: 'a `<img src=x onerror=alert(1)>` and a stray `tick' });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('code')?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(container.textContent).toContain('a stray `tick');
  });
});
