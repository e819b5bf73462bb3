import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Channel } from '@tauri-apps/api/core';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../lib/bindings/ChatMessage';
import type { CompareEvent } from '../../lib/bindings/CompareEvent';
import type { CompareRequest } from '../../lib/bindings/CompareRequest';
import type { Conversation } from '../../lib/bindings/Conversation';
import ChatScreen from './ChatScreen.svelte';
import Composer from './Composer.svelte';
import CompareRow from './CompareRow.svelte';
import MessageView from './MessageView.svelte';
import { defaultCompareModels, groupRows, verdictOf } from './compare';

const conversation: Conversation = { id: 'c1', title: 'Trains', model: 'auto', system_prompt: null, created_at: '', updated_at: '' };

function msg(id: number, role: 'user' | 'assistant', content: string, over: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    conversation_id: 'c1',
    role,
    content,
    status: 'complete',
    requested_model: 'auto',
    model: role === 'assistant' ? 'gpt-4o-mini' : null,
    provider: null,
    decision: null,
    details: null,
    created_at: '',
    compare_of: null,
    compare_column: null,
    alternative: false,
    verdict: null,
    thumb: null,
    ...over,
  };
}

const compared = (id: number, column: number, model: string, content: string, over: Partial<ChatMessage> = {}) =>
  msg(id, 'assistant', content, { model, compare_of: 1, compare_column: column, alternative: column !== 0, ...over });

describe('compare rows', () => {
  it('gathers the answers of one compare into one row, by column, where the first one is', () => {
    const rows = groupRows([
      msg(1, 'user', 'Q'),
      compared(3, 1, 'big', 'B'),
      compared(2, 0, 'mini', 'A'),
      msg(4, 'user', 'Next'),
      msg(5, 'assistant', 'Plain'),
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['message', 'compare', 'message', 'message']);
    const row = rows[1];
    expect(row.kind === 'compare' && row.answers.map((a) => a.id)).toEqual([2, 3]);
  });

  it('reads the verdict: undecided, the chosen answer, or about the same', () => {
    const a = compared(2, 0, 'mini', 'A');
    const b = compared(3, 1, 'big', 'B');
    expect(verdictOf([a, b])).toEqual({ picked: null, tie: false, decided: false });
    expect(
      verdictOf([{ ...a, alternative: true, verdict: 'picked' }, { ...b, alternative: false, verdict: 'picked' }]),
    ).toEqual({ picked: 3, tie: false, decided: true });
    expect(verdictOf([{ ...a, verdict: 'tie' }, { ...b, verdict: 'tie' }])).toEqual({ picked: null, tie: true, decided: true });
  });

  it('starts with the baseline when it can be called', () => {
    expect(defaultCompareModels('big', ['mini', 'big'])).toEqual(['big']);
    expect(defaultCompareModels('gone', ['mini', 'big'])).toEqual(['mini']);
    expect(defaultCompareModels(null, [])).toEqual([]);
  });
});

describe('CompareRow', () => {
  it('shows the answers side by side with their badges, and a pick is sent and shown', async () => {
    const user = userEvent.setup();
    const picks: unknown[] = [];
    const a = compared(2, 0, 'mini', 'Answer A');
    const b = compared(3, 1, 'big', 'Answer B');
    mockIPC((cmd, args) => {
      if (cmd === 'pick_compared') {
        const pick = (args as { pick: { chosen: number | null } }).pick;
        picks.push(pick);
        return pick.chosen === 3
          ? [{ ...a, alternative: true, verdict: 'picked' }, { ...b, alternative: false, verdict: 'picked' }]
          : [{ ...a, alternative: false, verdict: 'tie' }, { ...b, alternative: true, verdict: 'tie' }];
      }
      return null;
    });
    let answers = [a, b];
    const { rerender } = render(CompareRow, {
      compareOf: 1,
      answers,
      onpicked: (saved: ChatMessage[]) => (answers = saved),
      onchange: vi.fn(),
    });
    const columns = screen.getAllByTestId('compare-column');
    expect(columns).toHaveLength(2);
    expect(within(columns[0]).getByTestId('badge-model')).toHaveTextContent('mini');
    expect(within(columns[1]).getByTestId('badge-model')).toHaveTextContent('big');
    expect(columns[0]).toHaveAccessibleName('Routed answer from mini');

    await user.click(within(columns[1]).getByRole('button', { name: 'Pick this answer' }));
    expect(picks).toEqual([{ compare_of: 1, chosen: 3 }]);
    await rerender({ compareOf: 1, answers, onpicked: (saved: ChatMessage[]) => (answers = saved), onchange: vi.fn() });
    const after = screen.getAllByTestId('compare-column');
    expect(after[1]).toHaveAttribute('data-chosen', 'true');
    expect(within(after[1]).getByTestId('compare-chosen')).toHaveTextContent('Chosen');
    expect(after[0]).toHaveTextContent('Not sent on');
    expect(within(after[0]).getByRole('button', { name: 'Pick this instead' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Call it about the same' }));
    expect(picks[1]).toEqual({ compare_of: 1, chosen: null });
  });

  it('does not offer a pick while answers arrive, nor on a failed answer', () => {
    mockIPC(() => null);
    render(CompareRow, {
      compareOf: 1,
      answers: [compared(2, 0, 'mini', 'Part', { status: 'streaming' }), compared(3, 1, 'big', '', { status: 'failed' })],
      onpicked: vi.fn(),
      onchange: vi.fn(),
    });
    expect(screen.queryByRole('button', { name: 'Pick this answer' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'About the same' })).toBeNull();
    expect(screen.getByText(/Answers are arriving/)).toBeInTheDocument();
  });

  it('toggles a thumb through the backend and shows the saved state', async () => {
    const user = userEvent.setup();
    const calls: unknown[] = [];
    const a = compared(2, 0, 'mini', 'Answer A');
    mockIPC((cmd, args) => {
      if (cmd === 'thumb_reply') {
        calls.push(args);
        return { ...a, thumb: 'up' };
      }
      return null;
    });
    const onchange = vi.fn();
    render(CompareRow, { compareOf: 1, answers: [a, compared(3, 1, 'big', 'B')], onpicked: vi.fn(), onchange });
    const column = screen.getAllByTestId('compare-column')[0];
    await user.click(within(column).getByRole('button', { name: 'Good answer' }));
    expect(calls).toEqual([{ messageId: 2, thumb: 'up' }]);
    expect(onchange).toHaveBeenCalledWith(expect.objectContaining({ id: 2, thumb: 'up' }));
  });
});

describe('Composer compare', () => {
  it('compares on Ctrl+Shift+Enter and says so in the button title', async () => {
    const user = userEvent.setup();
    const onsend = vi.fn();
    const oncompare = vi.fn();
    render(Composer, { streaming: false, onsend, onstop: vi.fn(), oncompare });
    const button = screen.getByRole('button', { name: 'Compare' });
    expect(button.title).toContain('Ctrl+Shift+Enter');
    await user.type(screen.getByLabelText('Message'), 'Which is better?');
    await user.keyboard('{Control>}{Shift>}{Enter}{/Shift}{/Control}');
    expect(oncompare).toHaveBeenCalledWith('Which is better?');
    expect(onsend).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Message')).toHaveValue('');
  });

  it('cannot compare with no model picked, and says why', async () => {
    const user = userEvent.setup();
    const oncompare = vi.fn();
    render(Composer, { streaming: false, onsend: vi.fn(), onstop: vi.fn(), oncompare, compareBlocked: 'Pick a model first.' });
    await user.type(screen.getByLabelText('Message'), 'Hi');
    const button = screen.getByRole('button', { name: 'Compare' });
    expect(button).toBeDisabled();
    expect(button.title).toBe('Pick a model first.');
    await user.keyboard('{Control>}{Shift>}{Enter}{/Shift}{/Control}');
    expect(oncompare).not.toHaveBeenCalled();
  });
});

describe('ChatScreen compare', () => {
  it('sends to the baseline by default and streams each column into its own place', async () => {
    const user = userEvent.setup();
    let channel: Channel<CompareEvent> | null = null;
    let request: CompareRequest | null = null;
    mockIPC((cmd, args) => {
      const a = args as Record<string, unknown>;
      if (cmd === 'list_conversations') return [];
      if (cmd === 'chat_models')
        return [
          { model: 'mini', provider: 'openai', available: true, reason: '' },
          { model: 'big', provider: 'anthropic', available: true, reason: '' },
        ];
      if (cmd === 'baseline') return { chosen: null, effective: 'big', models: ['big', 'mini'] };
      if (cmd === 'compare_message') {
        request = a.request as CompareRequest;
        channel = a.onEvent as Channel<CompareEvent>;
        return new Promise(() => {});
      }
      return null;
    });
    render(ChatScreen, { onopensettings: () => {} });
    await waitFor(() => expect(screen.getByTestId('compare-model')).toHaveTextContent('big'));
    await user.type(screen.getByLabelText('Message'), 'Tell me about trains');
    await user.click(screen.getByRole('button', { name: 'Compare' }));
    await waitFor(() => expect(channel).not.toBeNull());
    expect(request).toMatchObject({ models: ['big'], send: { text: 'Tell me about trains', model: 'auto', mode: 'new' } });

    const user1 = msg(1, 'user', 'Tell me about trains');
    const routed = compared(2, 0, 'mini', '', { status: 'streaming' });
    const other = compared(3, 1, 'big', '', { status: 'streaming' });
    channel!.onmessage({ column: 0, event: { type: 'accepted', conversation, user: user1, assistant: routed, attachments: [] } });
    channel!.onmessage({ column: 1, event: { type: 'accepted', conversation, user: user1, assistant: other, attachments: [] } });
    channel!.onmessage({ column: 1, event: { type: 'text', delta: 'Big says hi.' } });
    channel!.onmessage({ column: 0, event: { type: 'text', delta: 'Mini says hi.' } });
    const columns = await screen.findAllByTestId('compare-column');
    expect(columns).toHaveLength(2);
    await waitFor(() => expect(columns[0]).toHaveTextContent('Mini says hi.'));
    expect(columns[1]).toHaveTextContent('Big says hi.');
    expect(columns[0]).not.toHaveTextContent('Big says hi.');
  });
});

describe('Regenerate with…', () => {
  it('offers the other models and answers again with the one picked', async () => {
    const user = userEvent.setup();
    const onregenerate = vi.fn();
    render(MessageView, {
      message: msg(2, 'assistant', 'An answer', { model: 'mini' }),
      editable: false,
      regenerable: true,
      onedit: vi.fn(),
      onregenerate,
      onopensettings: vi.fn(),
      models: ['mini', 'big'],
    });
    const menu = screen.getByLabelText('Regenerate with another model') as HTMLSelectElement;
    expect([...menu.options].map((o) => o.value)).toEqual(['', 'big']);
    expect(menu.title).toContain('counts against mini');
    await user.selectOptions(menu, 'big');
    expect(onregenerate).toHaveBeenCalledWith('big');
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    expect(onregenerate).toHaveBeenLastCalledWith();
  });
});
