import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Channel } from '@tauri-apps/api/core';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../lib/bindings/ChatEvent';
import type { ChatMessage } from '../../lib/bindings/ChatMessage';
import type { Conversation } from '../../lib/bindings/Conversation';
import type { SendRequest } from '../../lib/bindings/SendRequest';
import ChatScreen from './ChatScreen.svelte';

const conversation: Conversation = { id: 'c1', title: 'Trains', model: 'auto', system_prompt: null, created_at: '', updated_at: '' };

function msg(id: number, role: 'user' | 'assistant', content: string, status: ChatMessage['status'] = 'complete'): ChatMessage {
  return { id, conversation_id: 'c1', role, content, status, requested_model: 'auto', model: role === 'assistant' ? 'gpt-4o-mini' : null, provider: null, decision: null, details: null, created_at: '', compare_of: null, compare_column: null, alternative: false, verdict: null, thumb: null };
}

describe('ChatScreen', () => {
  it('streams a reply into the list as its events arrive, and Stop asks the backend to stop', async () => {
    const user = userEvent.setup();
    let channel: Channel<ChatEvent> | null = null;
    let finish: ((m: ChatMessage) => void) | null = null;
    const stops: string[] = [];
    let sent: SendRequest | null = null;
    mockIPC((cmd, args) => {
      const a = args as Record<string, unknown>;
      if (cmd === 'list_conversations') return [];
      if (cmd === 'chat_models') return [{ id: 'gpt-4o-mini', provider: 'openai', available: true }];
      if (cmd === 'stop_message') {
        stops.push(a.conversationId as string);
        return true;
      }
      if (cmd === 'send_message') {
        sent = a.request as SendRequest;
        channel = a.onEvent as Channel<ChatEvent>;
        return new Promise((resolve) => (finish = resolve));
      }
      return null;
    });
    render(ChatScreen, { onopensettings: () => {} });
    await user.type(screen.getByLabelText('Message'), 'Tell me about trains{Enter}');
    await waitFor(() => expect(channel).not.toBeNull());
    expect(sent).toMatchObject({ conversation_id: null, text: 'Tell me about trains', model: 'auto', mode: 'new' });

    const user1 = msg(1, 'user', 'Tell me about trains');
    const streaming = msg(2, 'assistant', '', 'streaming');
    channel!.onmessage({ type: 'accepted', conversation, user: user1, assistant: streaming, attachments: [] });
    channel!.onmessage({ type: 'started', model: 'gpt-4o-mini', provider: 'OpenAI' });
    channel!.onmessage({ type: 'text', delta: 'Trains ' });
    channel!.onmessage({ type: 'text', delta: 'are long.' });
    const reply = await screen.findByTestId('message-assistant');
    await waitFor(() => expect(reply).toHaveTextContent('Trains are long.'));
    expect(reply).toHaveAttribute('data-status', 'streaming');
    expect(screen.getByRole('heading', { name: 'Trains' })).toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(stops).toEqual(['c1']);

    const done = { ...msg(2, 'assistant', 'Trains are long.', 'stopped') };
    channel!.onmessage({ type: 'done', message: done });
    finish!(done);
    await waitFor(() => expect(screen.getByTestId('message-assistant')).toHaveAttribute('data-status', 'stopped'));
    expect(await screen.findByRole('button', { name: 'Send' })).toBeInTheDocument();
  });

  it('opens a long conversation at its latest messages and shows earlier ones on request', async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 120 }, (_, i) => msg(i + 1, i % 2 ? 'assistant' : 'user', `message number ${i + 1}`));
    mockIPC((cmd) => {
      if (cmd === 'list_conversations') return [conversation];
      if (cmd === 'conversation_messages') return many;
      if (cmd === 'conversation_attachments') return [];
      if (cmd === 'chat_models') return [];
      return null;
    });
    render(ChatScreen, { onopensettings: () => {} });
    await user.click(await screen.findByText('Trains'));
    await screen.findByText('message number 120');
    expect(screen.queryByText('message number 70')).toBeNull();
    expect(screen.getByText('message number 71')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Show 50 earlier messages/ }));
    expect(screen.getByText('message number 21')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Show 20 earlier messages/ }));
    expect(screen.getByText('message number 1')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /earlier messages/ })).toBeNull();
  });

  it('points to Settings when no provider is set up', async () => {
    mockIPC((cmd) => {
      if (cmd === 'list_conversations') return [];
      if (cmd === 'chat_models') return [{ id: 'gpt-4o', provider: 'openai', available: false }];
      return null;
    });
    render(ChatScreen, { onopensettings: () => {} });
    const banner = await screen.findByText(/No provider is set up yet/);
    expect(within(banner).getByRole('button', { name: 'Add one in Settings → Providers' })).toBeInTheDocument();
  });

  it('offers a local server on a first start, and reads the models again once it is added', async () => {
    const user = userEvent.setup();
    let modelReads = 0;
    const providers: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_conversations') return [];
      if (cmd === 'list_providers') return providers;
      if (cmd === 'local_servers') return [{ preset: 'ollama', label: 'Ollama', base_url: 'http://127.0.0.1:11434/v1', model_count: 2 }];
      if (cmd === 'add_provider') {
        const p = { id: 'p1', ...(args as { input: object }).input, headers: [], key: { state: 'missing' } };
        providers.push(p);
        return p;
      }
      if (cmd === 'chat_models') {
        modelReads++;
        return [{ id: 'gpt-4o', provider: 'openai', available: false }];
      }
      return null;
    });
    render(ChatScreen, { onopensettings: () => {} });
    await screen.findByRole('button', { name: 'Add Ollama at http://127.0.0.1:11434/v1' });
    expect(await screen.findByText(/No provider is set up yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add Ollama at http://127.0.0.1:11434/v1' }));
    await screen.findByText(/Ollama added/);
    expect(providers).toHaveLength(1);
    await waitFor(() => expect(modelReads).toBe(2));
    // Its own message says what comes next; "no provider" would no longer be true.
    expect(screen.queryByText(/No provider is set up yet/)).toBeNull();
  });
});
