// Rendering speed in jsdom (a proxy for the webview): a 1,000-message conversation drawn at once,
// and one streamed token arriving in a long reply. `npm --prefix ui run bench` prints the figures.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import { bench, describe } from 'vitest';
import type { ChatMessage } from '../../lib/bindings/ChatMessage';
import { renderMarkdown } from '../../lib/markdown';
import MessageView from './MessageView.svelte';
import ChatScreen from './ChatScreen.svelte';

function message(i: number): ChatMessage {
  const user = i % 2 === 0;
  return {
    id: i,
    conversation_id: 'c',
    role: user ? 'user' : 'assistant',
    content: user
      ? `Question ${i}: how would you write step ${i}?`
      : `Here is step ${i}.\n\n\`\`\`rust\nfn step_${i}(x: u32) -> u32 {\n    x * ${i} + 1\n}\n\`\`\`\n\n${'The function multiplies and adds one. '.repeat(5)}`,
    status: 'complete',
    requested_model: 'auto',
    model: user ? null : 'gpt-4o-mini',
    provider: user ? null : 'OpenAI',
    decision: null,
    details: null,
    created_at: '',
    compare_of: null,
    compare_column: null,
    alternative: false,
    verdict: null,
    thumb: null,
  };
}

const conversation = Array.from({ length: 1000 }, (_, i) => message(i));
const longReply = 'word '.repeat(1500) + '\n\n```python\nprint("hi")\n```\n';

describe('chat rendering', () => {
  bench(
    'open a 1,000-message conversation (click to drawn)',
    async () => {
      mockIPC((cmd) => {
        if (cmd === 'list_conversations')
          return [{ id: 'c', title: 'A long one', model: 'auto', created_at: '', updated_at: '' }];
        if (cmd === 'conversation_messages') return conversation;
        if (cmd === 'chat_models') return [];
        return null;
      });
      const { unmount } = render(ChatScreen, { onopensettings: () => {} });
      await fireEvent.click(await screen.findByText('A long one'));
      await screen.findByText('Question 998: how would you write step 998?');
      unmount();
    },
    { iterations: 10, warmupIterations: 2 },
  );

  bench('render one more streamed token of a 1,500-word reply', () => {
    renderMarkdown(longReply + 'next');
  });

  bench('draw one assistant message', () => {
    const { unmount } = render(MessageView, {
      message: message(1),
      editable: false,
      regenerable: false,
      onedit: () => {},
      onregenerate: () => {},
      onopensettings: () => {},
    });
    unmount();
  });
});
