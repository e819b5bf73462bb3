import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it, vi } from 'vitest';
import type { SendRequest } from '../../lib/bindings/SendRequest';
import ChatScreen from './ChatScreen.svelte';
import Composer from './Composer.svelte';
import MessageView from './MessageView.svelte';
import RoutePreview from './RoutePreview.svelte';

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function pngFile(name = 'dot.png'): File {
  const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
  return new File([bytes], name, { type: 'image/png' });
}

function textFile(name = 'notes.txt', text = 'remember the milk\n'): File {
  return new File([text], name, { type: 'text/plain' });
}

describe('Attachments in the composer', () => {
  it('shows a picked image as a thumbnail and a text file as a chip, removable, and sends both', async () => {
    const user = userEvent.setup();
    const onsend = vi.fn();
    render(Composer, { streaming: false, onsend, onstop: vi.fn() });
    await user.upload(screen.getByTestId('attach-input'), [pngFile(), textFile()]);
    await waitFor(() => expect(screen.getAllByTestId('attachment')).toHaveLength(2));
    const thumb = screen.getByTestId('attachment-thumbnail') as HTMLImageElement;
    expect(thumb.src).toBe(`data:image/png;base64,${PNG}`);
    expect(thumb.alt).toBe('dot.png');
    expect(screen.getAllByTestId('attachment')[1]).toHaveTextContent('notes.txt');
    expect(screen.getAllByTestId('attachment')[1]).toHaveTextContent('1 KB');

    // An attachment alone can be sent; the remove button takes one off.
    await user.click(screen.getByRole('button', { name: 'Remove notes.txt' }));
    expect(screen.getAllByTestId('attachment')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onsend).toHaveBeenCalledOnce();
    const [text, files] = onsend.mock.calls[0];
    expect(text).toBe('');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ name: 'dot.png', data: PNG, size: 70 });
  });

  it('attaches pasted and dropped files', async () => {
    render(Composer, { streaming: false, onsend: vi.fn(), onstop: vi.fn() });
    await fireEvent.paste(screen.getByLabelText('Message'), { clipboardData: { files: [pngFile('screenshot.png')] } });
    await waitFor(() => expect(screen.getAllByTestId('attachment')).toHaveLength(1));
    await fireEvent.drop(screen.getByTestId('composer'), { dataTransfer: { files: [textFile('main.rs', 'fn main() {}')], types: ['Files'] } });
    await waitFor(() => expect(screen.getAllByTestId('attachment')).toHaveLength(2));
    expect(screen.getByTestId('attachments')).toHaveTextContent('screenshot.png');
    expect(screen.getByTestId('attachments')).toHaveTextContent('main.rs');
  });

  it('refuses a file too big for any provider, naming it and the limit, and keeps the others', async () => {
    const user = userEvent.setup();
    render(Composer, { streaming: false, onsend: vi.fn(), onstop: vi.fn() });
    const huge = new File([new Uint8Array(21 * 1024 * 1024)], 'huge.png', { type: 'image/png' });
    await user.upload(screen.getByTestId('attach-input'), [huge, textFile()]);
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('huge.png is 21.0 MB; files over 20.0 MB cannot be attached.'));
    expect(screen.getAllByTestId('attachment')).toHaveLength(1);
    expect(screen.getByTestId('attachments')).toHaveTextContent('notes.txt');
  });

  it('shows file names as text, never as markup', async () => {
    const user = userEvent.setup();
    render(Composer, { streaming: false, onsend: vi.fn(), onstop: vi.fn() });
    await user.upload(screen.getByTestId('attach-input'), [textFile('<img src=x onerror=alert(1)>.txt')]);
    await waitFor(() => expect(screen.getByTestId('attachments')).toHaveTextContent('<img src=x onerror=alert(1)>.txt'));
    expect(within(screen.getByTestId('attachments')).queryAllByRole('img')).toHaveLength(0);
  });

  it('says which limit a provider sets, from the preview, before sending', async () => {
    mockIPC((cmd) => {
      if (cmd === 'preview_send') {
        return Promise.reject({ code: 'invalid_input', message: 'huge.png is 6.0 MB; claude-sonnet-4 (Anthropic) takes images of at most 5.0 MB each.' });
      }
      return null;
    });
    const attachments = [{ key: 1, name: 'huge.png', data: PNG, size: 6 * 1024 * 1024, preview: null }];
    render(RoutePreview, { text: '', attachments, conversationId: null, model: 'claude-sonnet-4', models: [], override: null, delay: 0 });
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('huge.png is 6.0 MB; claude-sonnet-4 (Anthropic) takes images of at most 5.0 MB each.'));
  });

  it('keeps the text and the files in the composer when the send is refused', async () => {
    const user = userEvent.setup();
    const sent: SendRequest[] = [];
    mockIPC((cmd, args) => {
      const a = args as Record<string, unknown>;
      if (cmd === 'list_conversations') return [];
      if (cmd === 'chat_models') return [];
      if (cmd === 'preview_send') return Promise.reject({ code: 'invalid_input', message: 'x' });
      if (cmd === 'send_message') {
        sent.push(a.request as SendRequest);
        return Promise.reject({ code: 'invalid_input', field: 'model', message: 'claude-haiku cannot read images, and this conversation sends an image (dot.png). Choose Auto or a model that reads images, or remove the image. Nothing was sent.' });
      }
      return null;
    });
    render(ChatScreen, { onopensettings: () => {} });
    await user.upload(screen.getByTestId('attach-input'), [pngFile()]);
    await waitFor(() => expect(screen.getAllByTestId('attachment')).toHaveLength(1));
    await user.type(screen.getByLabelText('Message'), 'What is this?');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(screen.getByText(/claude-haiku cannot read images/)).toBeInTheDocument());
    expect(sent[0].attachments).toEqual([{ name: 'dot.png', data: PNG }]);
    expect(screen.getByLabelText('Message')).toHaveValue('What is this?');
    expect(screen.getAllByTestId('attachment')).toHaveLength(1);
  });
});

describe('Attachments of a sent message', () => {
  it('shows images as thumbnails read from the backend and files as chips', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'attachment_image') return `data:image/png;base64,${PNG}#${(args as { id: number }).id}`;
      return null;
    });
    const message = { id: 7, conversation_id: 'c', role: 'user', content: 'Look', status: 'complete', requested_model: 'auto', model: null, provider: null, decision: null, details: null, created_at: '' };
    const attachments = [
      { id: 1, message_id: 7, conversation_id: 'c', name: 'dot.png', mime_type: 'image/png', kind: 'image', size: 70, sha256: 'a' },
      { id: 2, message_id: 7, conversation_id: 'c', name: 'notes.txt', mime_type: 'text/plain', kind: 'text', size: 18, sha256: 'b' },
    ];
    render(MessageView, { message, attachments, editable: false, regenerable: false, onedit: vi.fn(), onregenerate: vi.fn(), onopensettings: vi.fn() } as never);
    await waitFor(() => expect((screen.getByTestId('attachment-thumbnail') as HTMLImageElement).src).toBe(`data:image/png;base64,${PNG}#1`));
    const sent = screen.getByTestId('sent-attachments');
    expect(sent).toHaveTextContent('notes.txt');
    expect(within(sent).queryByRole('button', { name: /Remove/ })).toBeNull();
  });
});
