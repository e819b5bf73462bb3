import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import Composer from './Composer.svelte';

describe('Composer', () => {
  it('sends on Enter, adds a line on Shift+Enter, and clears after sending', async () => {
    const user = userEvent.setup();
    const onsend = vi.fn();
    render(Composer, { streaming: false, onsend, onstop: vi.fn() });
    const box = screen.getByLabelText('Message');
    await user.type(box, 'first line{Shift>}{Enter}{/Shift}second line');
    expect(box).toHaveValue('first line\nsecond line');
    expect(onsend).not.toHaveBeenCalled();
    await user.keyboard('{Enter}');
    expect(onsend).toHaveBeenCalledWith('first line\nsecond line', []);
    expect(box).toHaveValue('');
  });

  it('does not send blank text', async () => {
    const user = userEvent.setup();
    const onsend = vi.fn();
    render(Composer, { streaming: false, onsend, onstop: vi.fn() });
    await user.type(screen.getByLabelText('Message'), '   {Enter}');
    expect(onsend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  it('offers Stop instead of Send while a reply streams, and keeps what is typed', async () => {
    const user = userEvent.setup();
    const onsend = vi.fn();
    const onstop = vi.fn();
    render(Composer, { streaming: true, onsend, onstop });
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    await user.type(screen.getByLabelText('Message'), 'next question{Enter}');
    expect(onsend).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Message')).toHaveValue('next question');
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(onstop).toHaveBeenCalledOnce();
  });
});
