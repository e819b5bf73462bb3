import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it, vi } from 'vitest';
import type { RoutingConfig } from '../../lib/bindings/RoutingConfig';
import { navigation } from '../../lib/navigation.svelte';
import { config, fakeRulesBackend } from './fixtures';
import ReplayPanel from './ReplayPanel.svelte';
import RulesScreen from './RulesScreen.svelte';

describe('Replay history', () => {
  it('replays the unsaved draft, shows its moves and costs, and opens a moved request in Chat', async () => {
    const user = userEvent.setup();
    const { calls } = fakeRulesBackend();
    const opened = vi.fn();
    render(RulesScreen, { props: { onopenconversation: opened } });
    await screen.findAllByTestId('rule-summary');

    await user.click(screen.getByRole('tab', { name: 'Replay history' }));
    await user.click(screen.getByRole('button', { name: '7 days' }));
    await user.click(screen.getByTestId('replay-run'));
    expect(await screen.findByTestId('replay-no-moves')).toHaveTextContent('No request would go to another model.');
    expect(screen.getByTestId('replay-summary')).toHaveTextContent('Replayed 3 of 4 requests');
    expect(screen.getByTestId('replay-not-replayed')).toHaveTextContent('1 endpoint request ($0.005 paid), because their prompt was never saved');

    // Change the code rule in the editor, without saving.
    await user.click(screen.getByRole('tab', { name: 'Rules' }));
    const codeRow = document.querySelector('tr[data-rule="code"]') as HTMLElement;
    await user.click(within(codeRow).getByRole('button', { name: 'Edit' }));
    await user.selectOptions(screen.getByLabelText('Primary model'), 'gpt-4o-mini');
    await user.click(screen.getByRole('tab', { name: 'Replay history' }));
    expect(screen.getByText(/unsaved changes included/)).toBeInTheDocument();
    await user.click(screen.getByTestId('replay-run'));

    const moves = await screen.findByTestId('replay-moves');
    const row = within(moves).getAllByRole('row')[1];
    expect(row).toHaveTextContent('claude-opus-4 → gpt-4o-mini');
    expect(row).toHaveTextContent('code');
    expect(row).toHaveTextContent('$0.06');
    expect(row).toHaveTextContent('$0.004');
    expect(row).toHaveTextContent('-$0.056');
    const sent = calls.filter((c) => c.cmd === 'replay_rules');
    expect(sent).toHaveLength(2);
    const draft = sent[1].args.draft as RoutingConfig;
    expect(draft.rules.rules[0].then).toMatchObject({ models: ['gpt-4o-mini', 'gpt-4o'] });
    expect(calls.some((c) => c.cmd === 'save_routing')).toBe(false);
    // The period chosen is the one replayed: seven days, ending tomorrow.
    const range = sent[1].args.range as { from: string; to: string };
    const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
    expect(Math.round(days)).toBe(7);

    const tasks = screen.getByTestId('replay-tasks');
    expect(within(tasks).getAllByRole('row')[1]).toHaveTextContent(/code\s*2\s*2\s*\$0\.06\s*\$0\.004\s*-\$0\.056/);
    expect(within(screen.getByTestId('replay-rules')).getAllByRole('row')[1]).toHaveTextContent(/code\s*2\s*2/);

    await user.click(within(row).getByRole('button', { name: 'claude-opus-4 → gpt-4o-mini' }));
    const requests = screen.getByTestId('replay-requests');
    const first = within(requests).getAllByRole('row')[1];
    expect(first).toHaveTextContent('Title of c-7');
    expect(first).toHaveTextContent('claude-opus-4 · code');
    expect(first).toHaveTextContent('gpt-4o-mini · code');
    await user.click(within(first).getByRole('button', { name: 'Open in Chat' }));
    expect(navigation.conversation).toBe('c-7');
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('says when the rules changed since the replay, and shows a refusal as it came', async () => {
    const user = userEvent.setup();
    mockIPC((cmd) => {
      if (cmd === 'replay_rules') throw { code: 'invalid_rules', message: 'These rules cannot be replayed until they are fixed: rule x' };
      throw { code: 'unknown', message: cmd };
    });
    const draft = config();
    const { rerender } = render(ReplayPanel, { props: { draft, dirty: true, onopenconversation: () => {} } });
    await user.click(screen.getByTestId('replay-run'));
    expect(await screen.findByTestId('replay-error')).toHaveTextContent('cannot be replayed until they are fixed');

    fakeRulesBackend();
    await user.click(screen.getByTestId('replay-run'));
    await screen.findByTestId('replay-summary');
    expect(screen.queryByTestId('replay-error')).toBeNull();
    expect(screen.queryByTestId('replay-stale')).toBeNull();
    const changed = config();
    changed.rules.rules[0].name = 'code2';
    await rerender({ draft: changed, dirty: true, onopenconversation: () => {} });
    await waitFor(() => expect(screen.getByTestId('replay-stale')).toHaveTextContent('The rules changed since this replay.'));
  });
});
