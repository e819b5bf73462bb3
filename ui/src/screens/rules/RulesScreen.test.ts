import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RoutingConfig } from '../../lib/bindings/RoutingConfig';
import { fakeRulesBackend } from './fixtures';
import RulesScreen from './RulesScreen.svelte';

const row = (rule: string) => document.querySelector(`tr[data-rule="${rule}"]`) as HTMLElement;
/** Waits for the table, then gives the code rule's row. */
async function loaded() {
  await screen.findAllByTestId('rule-summary');
  return row('code');
}
const summaries = () => screen.getAllByTestId('rule-summary').map((s) => s.textContent);

describe('Rules screen', () => {
  it('re-routes the live prompt as a rule is edited, then saves the draft as a new version', async () => {
    const user = userEvent.setup();
    const { calls } = fakeRulesBackend();
    render(RulesScreen);
    await waitFor(() => expect(screen.getByTestId('rules-status')).toHaveTextContent('Bundled defaults'));
    await user.type(screen.getByLabelText('Prompt'), 'Fix my python function');
    await waitFor(() => expect(screen.getByTestId('live-decision')).toHaveAttribute('data-model', 'claude-opus-4'));
    expect(screen.getByTestId('trace')).toHaveTextContent('claude-opus-4 is the first usable model of rule code.');

    await user.click(within(row('code')).getByRole('button', { name: 'Edit' }));
    await user.selectOptions(screen.getByLabelText('Primary model'), 'gpt-4o-mini');
    await waitFor(() => expect(screen.getByTestId('live-decision')).toHaveAttribute('data-model', 'gpt-4o-mini'));
    expect(calls.some((c) => c.cmd === 'save_routing')).toBe(false);
    expect(screen.getByTestId('rules-status')).toHaveTextContent('Unsaved changes');

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('rules-status')).toHaveTextContent('Version 1'));
    const saved = calls.find((c) => c.cmd === 'save_routing')!.args.config as RoutingConfig;
    expect(saved.rules.rules[0].then).toMatchObject({ models: ['gpt-4o-mini', 'gpt-4o'] });
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('lists validation problems by rule and field and refuses to save until they are fixed', async () => {
    const user = userEvent.setup();
    const { calls } = fakeRulesBackend();
    render(RulesScreen);
    await user.click(within(await loaded()).getByRole('button', { name: 'Edit' }));
    await user.selectOptions(screen.getByLabelText('Primary model'), 'gpt-4o');
    await user.selectOptions(screen.getByLabelText('Add a condition'), 'regex');
    await user.click(within(screen.getByLabelText('Add a condition').parentElement!).getByRole('button', { name: 'Add' }));
    await user.type(screen.getByLabelText('Regular expression'), '(unclosed');
    const issues = await screen.findByTestId('issues');
    expect(issues).toHaveTextContent('Rule “code”, when[1].regex: invalid regex: unclosed group');
    expect(within(screen.getByLabelText('Regular expression').closest('fieldset')!).getByRole('alert')).toHaveTextContent('unclosed group');
    expect(within(row('code')).getByText('1 problem')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(screen.getByText(/do not compile yet/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove condition 2' }));
    await waitFor(() => expect(screen.queryByTestId('issues')).toBeNull());
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
    expect(calls.some((c) => c.cmd === 'save_routing')).toBe(false);
  });

  it('loads a preset in one step, and Revert brings the saved rules back', async () => {
    const user = userEvent.setup();
    fakeRulesBackend();
    render(RulesScreen);
    await loaded();
    await user.selectOptions(screen.getByLabelText('Preset'), 'complexity_based');
    await user.click(screen.getByRole('button', { name: 'Load' }));
    expect(summaries()).toEqual(['When complexity is complex → claude-opus-4', 'Everything else → gpt-4o-mini']);
    await user.click(screen.getByRole('button', { name: 'Revert' }));
    expect(summaries()).toEqual(['When task is code → claude-opus-4, then gpt-4o', 'Everything else → gpt-4o-mini']);
    expect(screen.getByRole('button', { name: 'Revert' })).toBeDisabled();
  });

  it('refuses a broken rule file naming the rule and field, and leaves the rules unchanged', async () => {
    const user = userEvent.setup();
    const { calls } = fakeRulesBackend();
    render(RulesScreen);
    await loaded();
    const before = summaries();
    await user.click(screen.getByRole('tab', { name: 'Import / export' }));
    await user.type(screen.getByLabelText('Rule file to import'), 'broken');
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const error = await screen.findByTestId('import-error');
    expect(error).toHaveTextContent('the rules on screen are unchanged');
    expect(error).toHaveTextContent('rule `code`, field `then.models[0]`: unknown model `gpt-9`');
    await user.click(screen.getByRole('tab', { name: 'Rules' }));
    expect(summaries()).toEqual(before);
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(calls.some((c) => c.cmd === 'save_routing')).toBe(false);
  });

  it('restores an earlier version from the history', async () => {
    const user = userEvent.setup();
    const { calls } = fakeRulesBackend();
    render(RulesScreen);
    await user.click(within(await loaded()).getByRole('switch'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('rules-status')).toHaveTextContent('Version 1'));
    await user.click(within(row('code')).getByRole('switch'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('rules-status')).toHaveTextContent('Version 2'));

    // A preset chosen but not loaded: the restore must not leave it offered.
    await user.selectOptions(screen.getByLabelText('Preset'), 'complexity_based');
    await user.click(screen.getByRole('tab', { name: 'History' }));
    const v1 = screen.getByText('Version 1').closest('li')!;
    await user.click(within(v1).getByRole('button', { name: 'Restore…' }));
    // Nothing is restored before the user has seen what changes and confirmed.
    const preview = await screen.findByTestId('restore-preview');
    expect(preview).toHaveTextContent('Restore version 1?');
    expect(preview).toHaveTextContent('Compared with the rules in use (version 2):');
    expect(preview).toHaveTextContent('Rules changed: “code”');
    expect(calls.some((c) => c.cmd === 'restore_rule_version')).toBe(false);
    await user.click(within(preview).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('restore-preview')).toBeNull();
    await user.click(within(v1).getByRole('button', { name: 'Restore…' }));
    await user.click(within(await screen.findByTestId('restore-preview')).getByRole('button', { name: 'Restore version 1' }));
    await waitFor(() => expect(screen.getByTestId('rules-status')).toHaveTextContent('Version 3'));
    expect(screen.getByLabelText('Preset')).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Load' })).toBeDisabled();
    expect(calls.find((c) => c.cmd === 'restore_rule_version')!.args.id).toBe(1);
    expect(screen.getByText('Version 3').closest('li')).toHaveTextContent('Restored version 1');
    await user.click(screen.getByRole('tab', { name: 'Rules' }));
    expect(screen.getByRole('switch', { name: 'Enable code' })).not.toBeChecked();
  });

  it('shows models of providers without a key as unavailable in the catalog', async () => {
    const user = userEvent.setup();
    fakeRulesBackend();
    render(RulesScreen);
    await loaded();
    await user.click(screen.getByRole('tab', { name: 'Model catalog' }));
    const row = (id: string) => document.querySelector(`tr[data-model="${id}"]`) as HTMLElement;
    await waitFor(() => expect(within(row('claude-opus-4')).getByText('Unavailable')).toBeInTheDocument());
    expect(screen.getByText(/no anthropic provider is configured/)).toBeInTheDocument();
    expect(within(row('gpt-4o-mini')).getByText('Ready')).toBeInTheDocument();
  });

  it('offers the nearest model that can be called for one that cannot, and marks such presets', async () => {
    const user = userEvent.setup();
    fakeRulesBackend();
    render(RulesScreen);
    await loaded();
    // claude-opus-4 has no provider in this setup; gpt-4o is the closest in quality and price.
    const banner = await screen.findByTestId('unavailable-models');
    expect(banner).toHaveTextContent('1 model in these rules cannot be called now.');
    expect(banner).toHaveTextContent('claude-opus-4: no anthropic provider is configured. Nearest you can call: gpt-4o');
    const option = screen.getByRole('option', { name: /Complexity-based/ });
    expect(option).toHaveTextContent('Complexity-based (1 model unavailable)');
    await user.click(within(banner).getByRole('button', { name: 'Use gpt-4o' }));
    // gpt-4o was already the fallback: the chain keeps it once.
    expect(summaries()[0]).toBe('When task is code → gpt-4o');
    expect(screen.queryByTestId('unavailable-models')).toBeNull();
    expect(screen.getByTestId('rules-status')).toHaveTextContent('Unsaved changes');
  });

  it('offers the substitute in the rule form too', async () => {
    const user = userEvent.setup();
    fakeRulesBackend();
    render(RulesScreen);
    await user.click(within(await loaded()).getByRole('button', { name: 'Edit' }));
    const offer = await screen.findByTestId('chain-substitute');
    expect(offer).toHaveTextContent('Nearest you can call: gpt-4o');
    await user.click(within(offer).getByRole('button', { name: 'Use gpt-4o' }));
    expect(screen.getByLabelText('Primary model')).toHaveValue('gpt-4o');
    expect(screen.queryByTestId('chain-substitute')).toBeNull();
  });

  it('opens the rule form right under the row being edited', async () => {
    const user = userEvent.setup();
    fakeRulesBackend();
    render(RulesScreen);
    const code = await loaded();
    await user.click(within(code).getByRole('button', { name: 'Edit' }));
    const next = code.nextElementSibling as HTMLElement;
    expect(next).toHaveAttribute('data-editing', 'code');
    expect(within(next).getByLabelText('Primary model')).toBeInTheDocument();
    await user.click(within(code).getByRole('button', { name: 'Close' }));
    expect(code.nextElementSibling).toBe(row('default'));
  });

  it('keeps a model name on one line in the rules table', async () => {
    fakeRulesBackend();
    render(RulesScreen);
    const code = await loaded();
    const names = [...code.querySelectorAll('.name-nowrap')].map((n) => n.textContent);
    expect(names).toEqual(['claude-opus-4', 'gpt-4o']);
  });
});
