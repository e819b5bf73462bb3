import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Channel } from '@tauri-apps/api/core';
import { describe, expect, it } from 'vitest';
import type { Assistant } from '../../lib/bindings/Assistant';
import type { ChatEvent } from '../../lib/bindings/ChatEvent';
import type { Conversation } from '../../lib/bindings/Conversation';
import type { SendRequest } from '../../lib/bindings/SendRequest';
import ChatScreen from './ChatScreen.svelte';

const conversation: Conversation = { id: 'c1', title: 'Trains', model: 'auto', system_prompt: null, created_at: '', updated_at: '' };

function backend() {
  const sent: SendRequest[] = [];
  const set: { id: string; text: string | null }[] = [];
  const assistants: Assistant[] = [{ id: 1, name: 'Translator', system_prompt: 'Translate into German.' }];
  let conversations: Conversation[] = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case 'list_conversations':
        return conversations;
      case 'conversation_messages':
        return [];
      case 'conversation_attachments':
        return [];
      case 'chat_models':
        return [];
      case 'list_assistants':
        return assistants;
      case 'save_assistant': {
        const x = a.assistant as Assistant;
        const saved = { ...x, id: x.id ?? assistants.length + 1 };
        assistants.push(saved);
        return saved;
      }
      case 'set_system_prompt': {
        set.push({ id: a.id as string, text: a.text as string | null });
        return { ...conversation, system_prompt: a.text };
      }
      case 'send_message': {
        sent.push(a.request as SendRequest);
        conversations = [{ ...conversation, system_prompt: (a.request as SendRequest).system_prompt ?? null }];
        const channel = a.onEvent as Channel<ChatEvent>;
        const done = { id: 2, conversation_id: 'c1', role: 'assistant', content: 'Hallo', status: 'complete', requested_model: 'auto', model: 'gpt-4o-mini', provider: null, decision: null, details: null, created_at: '', compare_of: null, compare_column: null, alternative: false, verdict: null, thumb: null };
        channel.onmessage({ type: 'accepted', conversation: conversations[0], user: { ...done, id: 1, role: 'user', content: 'Hello' }, assistant: { ...done, content: '', status: 'streaming' }, attachments: [] } as unknown as ChatEvent);
        channel.onmessage({ type: 'done', message: done } as unknown as ChatEvent);
        return done;
      }
      default:
        return null;
    }
  });
  return { sent, set, assistants };
}

describe('System prompt', () => {
  it('starts a new chat with a saved assistant, and the first message carries it', async () => {
    const user = userEvent.setup();
    const { sent } = backend();
    render(ChatScreen, { onopensettings: () => {} });
    await user.click(screen.getByRole('button', { name: /System prompt/ }));
    await waitFor(() => expect(screen.getByRole('option', { name: 'Translator' })).toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText('Assistant'), '1');
    expect(screen.getByLabelText('System prompt text')).toHaveValue('Translate into German.');
    await user.click(screen.getByRole('button', { name: 'Use for the new chat' }));
    expect(screen.getByTestId('system-prompt-set')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Message'), 'Hello{Enter}');
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ conversation_id: null, text: 'Hello', system_prompt: 'Translate into German.' });
  });

  it('saves a written prompt as a named assistant', async () => {
    const user = userEvent.setup();
    const { assistants } = backend();
    render(ChatScreen, { onopensettings: () => {} });
    await user.click(screen.getByRole('button', { name: /System prompt/ }));
    await user.type(screen.getByLabelText('System prompt text'), 'Answer like a train conductor.');
    await user.type(screen.getByLabelText('Assistant name'), 'Conductor');
    await user.click(screen.getByRole('button', { name: 'Save assistant' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Saved as “Conductor”.'));
    expect(assistants[assistants.length - 1]).toMatchObject({ name: 'Conductor', system_prompt: 'Answer like a train conductor.' });
  });
});
