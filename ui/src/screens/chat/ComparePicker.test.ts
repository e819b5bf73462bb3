import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ComparePicker from './ComparePicker.svelte';

describe('ComparePicker', () => {
  it('is not shown when no model can be called (a first start)', () => {
    render(ComparePicker, { props: { available: [], picked: [] } });
    expect(screen.queryByRole('group', { name: 'Compare with' })).toBeNull();
    expect(screen.queryByText(/Compare needs/)).toBeNull();
  });

  it('asks for a model to compare with only when none is picked', () => {
    const { unmount } = render(ComparePicker, { props: { available: ['gpt-4o', 'claude-haiku'], picked: [] } });
    expect(screen.getByRole('group', { name: 'Compare with' })).toBeTruthy();
    expect(screen.getByText('Compare needs at least one other model: add one.')).toBeTruthy();
    unmount();
    render(ComparePicker, { props: { available: ['gpt-4o', 'claude-haiku'], picked: ['gpt-4o'] } });
    expect(screen.queryByText(/Compare needs/)).toBeNull();
    expect(screen.getByTestId('compare-model').textContent).toContain('gpt-4o');
  });
});
