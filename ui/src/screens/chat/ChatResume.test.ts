import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../lib/bindings/Conversation';
import ChatScreen from './ChatScreen.svelte';

const trains: Conversation = { id: 'c1', title: 'Trains', model: 'gpt-4o-mini', system_prompt: null, created_at: '', updated_at: '' };
const poems: Conversation = { id: 'c2', title: 'Poems', model: 'auto', system_prompt: null, created_at: '', updated_at: '' };

function backend(
  resume: { conversation_id: string | null; draft: string },
  defaultModel = 'auto',
  resumeAfter: Promise<void> = Promise.resolve(),
  messagesAfter: Record<string, Promise<void>> = {},
  newDraftAfter: Promise<void> = Promise.resolve(),
) {
  const saved: { conversationId: string | null; text: string }[] = [];
  const drafts = new Map<string | null, string>([['c2', 'a poem about rails']]);
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case 'list_conversations':
        return [trains, poems];
      case 'conversation_messages':
        return (messagesAfter[a.id as string] ?? Promise.resolve()).then(() => []);
      case 'conversation_attachments':
        return [];
      case 'chat_models':
        return [{ model: 'gpt-4o-mini', catalog_provider: 'openai', available: true, provider_id: 'o', provider: 'OpenAI', reason: '' }];
      case 'chat_resume':
        return resumeAfter.then(() => resume);
      case 'preferences':
        return { theme: 'system', default_model: defaultModel };
      case 'chat_draft':
        if (a.conversationId === null) return newDraftAfter.then(() => drafts.get(null) ?? '');
        return drafts.get(a.conversationId as string | null) ?? '';
      case 'save_draft':
        saved.push({ conversationId: a.conversationId as string | null, text: a.text as string });
        return null;
      default:
        return null;
    }
  });
  return saved;
}

describe('Picking up where you left off', () => {
  it('opens the last conversation with its draft, and keeps each conversation’s draft', async () => {
    const user = userEvent.setup();
    const saved = backend({ conversation_id: 'c1', draft: 'half a question about sleepers' });
    render(ChatScreen, { onopensettings: () => {} });
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Trains' })).toBeInTheDocument());
    expect(screen.getByLabelText('Message')).toHaveValue('half a question about sleepers');
    expect(screen.getByLabelText('Model')).toHaveValue('gpt-4o-mini');

    await user.type(screen.getByLabelText('Message'), ' and ballast');
    await waitFor(() => expect(saved[saved.length - 1]).toEqual({ conversationId: 'c1', text: 'half a question about sleepers and ballast' }), { timeout: 2000 });

    // Another conversation brings its own draft.
    await user.click(screen.getByRole('button', { name: 'Poems' }));
    await waitFor(() => expect(screen.getByLabelText('Message')).toHaveValue('a poem about rails'));
  });

  it('starts a new chat with the default model when nothing is open', async () => {
    backend({ conversation_id: null, draft: 'unsent' }, 'gpt-4o-mini');
    render(ChatScreen, { onopensettings: () => {} });
    await waitFor(() => expect(screen.getByLabelText('Message')).toHaveValue('unsent'));
    expect(screen.getByRole('heading', { name: 'New chat' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Model')).toHaveValue('gpt-4o-mini'));
  });

  it('keeps what was typed before the last conversation came back', async () => {
    const user = userEvent.setup();
    let arrive!: () => void;
    backend({ conversation_id: 'c1', draft: 'the saved draft' }, 'auto', new Promise<void>((r) => (arrive = r)));
    render(ChatScreen, { onopensettings: () => {} });
    await user.type(screen.getByLabelText('Message'), 'typed at once');
    arrive();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Trains' })).toBeInTheDocument());
    expect(screen.getByLabelText('Message')).toHaveValue('typed at once');
  });

  it('keeps the conversation clicked while the last one was still coming back', async () => {
    const user = userEvent.setup();
    let arrive!: () => void;
    let poems!: () => void;
    let trains!: () => void;
    const resumeAfter = new Promise<void>((r) => (arrive = r));
    backend({ conversation_id: 'c1', draft: '' }, 'auto', resumeAfter, {
      c1: new Promise<void>((r) => (trains = r)),
      c2: new Promise<void>((r) => (poems = r)),
    });
    render(ChatScreen, { onopensettings: () => {} });
    // Poems is still loading when the resume answers with Trains; Trains loads last.
    await user.click(await screen.findByRole('button', { name: 'Poems' }));
    arrive();
    await new Promise((r) => setTimeout(r, 20));
    poems();
    await new Promise((r) => setTimeout(r, 20));
    trains();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Poems' })).toBeInTheDocument());
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByRole('heading', { name: 'Poems' })).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toHaveValue('a poem about rails');
  });

  it('keeps what was typed in a new chat before its saved draft arrived', async () => {
    const user = userEvent.setup();
    let arrive!: () => void;
    const saved = backend({ conversation_id: 'c1', draft: 'about sleepers' }, 'auto', Promise.resolve(), {}, new Promise<void>((r) => (arrive = r)));
    render(ChatScreen, { onopensettings: () => {} });
    await waitFor(() => expect(screen.getByLabelText('Message')).toHaveValue('about sleepers'));
    await user.click(screen.getByRole('button', { name: 'New chat' }));
    // The last chat's text is not the new chat's, nor saved as its draft while that loads.
    expect(screen.getByLabelText('Message')).toHaveValue('');
    await user.type(screen.getByLabelText('Message'), 'typed at once');
    await new Promise((r) => setTimeout(r, 500));
    expect(saved.filter((d) => d.conversationId === null)).toEqual([]);
    arrive();
    await waitFor(() => expect(saved[saved.length - 1]).toEqual({ conversationId: null, text: 'typed at once' }), { timeout: 2000 });
    expect(screen.getByLabelText('Message')).toHaveValue('typed at once');
    expect(saved).toContainEqual({ conversationId: 'c1', text: 'about sleepers' });
  });
});
