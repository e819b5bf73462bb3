import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Issue } from '../../lib/bindings/Issue';
import type { Rule } from '../../lib/bindings/Rule';
import { chain, config } from './fixtures';
import RuleForm from './RuleForm.svelte';

const models = config().catalog.models;

/** Renders the form the way the screen does: every change becomes the next `rule` prop. */
function setup(rule: Rule, issues: Issue[] = [], isDefault = false) {
  const changes: Rule[] = [];
  const onchange = vi.fn((r: Rule) => {
    changes.push(r);
    view.rerender({ rule: r });
  });
  const view = render(RuleForm, { rule, isDefault, models, issues, onchange, onclose: vi.fn() });
  return { changes, last: () => changes[changes.length - 1] };
}

describe('RuleForm', () => {
  it('edits the chain: primary, order, removal, and prefer_cost', async () => {
    const user = userEvent.setup();
    const { last } = setup(chain('code', ['claude-opus-4', 'gpt-4o'], [{ task: ['code'] }]));
    await user.selectOptions(screen.getByLabelText('Primary model'), 'gpt-4o-mini');
    expect(last().then).toEqual({ type: 'chain', models: ['gpt-4o-mini', 'gpt-4o'], prefer_cost: false });
    await user.click(screen.getByRole('button', { name: 'Move gpt-4o up' }));
    expect(last().then).toMatchObject({ models: ['gpt-4o', 'gpt-4o-mini'] });
    await user.click(screen.getByRole('button', { name: 'Remove gpt-4o-mini from the chain' }));
    await user.selectOptions(screen.getByLabelText('Add a model to the chain'), 'claude-opus-4');
    await user.click(within(screen.getByLabelText('Add a model to the chain').parentElement!).getByRole('button', { name: 'Add' }));
    await user.click(screen.getByLabelText(/Prefer cost/));
    expect(last().then).toEqual({ type: 'chain', models: ['gpt-4o', 'claude-opus-4'], prefer_cost: true });
  });

  it('adds every kind of condition with a value the router reads', async () => {
    const user = userEvent.setup();
    const { last } = setup(chain('tagged', ['gpt-4o'], []));
    const add = async (label: string) => {
      await user.selectOptions(screen.getByLabelText('Add a condition'), label);
      await user.click(within(screen.getByLabelText('Add a condition').parentElement!).getByRole('button', { name: 'Add' }));
    };
    await add('Explicit #tag');
    await user.type(screen.getByLabelText('Tag'), '#sql');
    await add('Matches a regular expression');
    await user.type(screen.getByLabelText('Regular expression'), 'SELECT');
    await add('Mentions any keyword');
    await user.type(screen.getByLabelText('Keywords'), 'refund, invoice,');
    await add('Prompt tokens in range');
    await user.type(screen.getAllByLabelText('to')[0], '5000');
    await add('Complexity tier is one of');
    await user.click(screen.getByRole('checkbox', { name: 'moderate' }));
    expect(last().when).toEqual([
      { tag: 'sql' },
      { regex: 'SELECT' },
      { keywords: ['refund', 'invoice'] },
      { prompt_tokens: { min: 1000, max: 5000 } },
      { tier: ['complex', 'moderate'] },
    ]);
    await user.click(screen.getByRole('button', { name: 'Remove condition 2' }));
    expect(last().when.map((c) => Object.keys(c)[0])).toEqual(['tag', 'keywords', 'prompt_tokens', 'tier']);
    // Text typed into a later condition survives the removal of an earlier one.
    expect(screen.getByLabelText('Keywords')).toHaveValue('refund, invoice,');
  });

  it('switches to cheapest-meeting-quality with bounds and providers', async () => {
    const user = userEvent.setup();
    const { last } = setup(chain('cheap', ['gpt-4o'], [{ tier: ['simple'] }]));
    await user.click(screen.getByLabelText(/Cheapest model meeting a quality bound/));
    const complex = screen.getByRole('spinbutton', { name: 'complex' });
    await user.clear(complex);
    await user.type(complex, '0.9');
    await user.click(screen.getByRole('checkbox', { name: 'openai' }));
    expect(last().then).toEqual({
      type: 'cheapest',
      min_quality: { trivial: 0.8, simple: 0.8, moderate: 0.9, complex: 0.9 },
      providers: ['openai'],
    });
  });

  it('shows each validation message beside the field it is about', () => {
    const issues: Issue[] = [
      { kind: 'invalid_regex', rule: 'r', field: 'when[0].regex', message: 'invalid regex: unclosed group' },
      { kind: 'unknown_model', rule: 'r', field: 'then.models[1]', message: 'unknown model `gpt-9`: it is not in the catalog' },
      { kind: 'shadowed_rule', rule: 'r', field: 'when', message: 'can never match: rule `code` before it matches every request this one would' },
    ];
    setup(chain('r', ['gpt-4o', 'gpt-9'], [{ regex: '(oops' }]), issues);
    const regex = screen.getByLabelText('Regular expression');
    expect(regex).toHaveAttribute('aria-invalid', 'true');
    expect(within(regex.closest('fieldset')!).getByRole('alert')).toHaveTextContent('invalid regex: unclosed group');
    const fallback = screen.getByLabelText('Fallback 1');
    expect(fallback).toHaveAttribute('aria-invalid', 'true');
    expect(within(fallback.closest('li')!).getByRole('alert')).toHaveTextContent('unknown model gpt-9');
    expect(fallback).toHaveDisplayValue('gpt-9 (not in the catalog)');
    expect(screen.getByText(/can never match/)).toBeInTheDocument();
    expect(screen.getByLabelText('Primary model')).toHaveAttribute('aria-invalid', 'false');
  });

  it('keeps the default rule without conditions and always enabled', () => {
    setup(chain('default', ['gpt-4o-mini']), [], true);
    expect(screen.queryByLabelText('Add a condition')).toBeNull();
    expect(screen.getByLabelText('Enabled')).toBeDisabled();
  });
});
