// The colour theme: the user's choice in Settings (system, light or dark) resolved against the
// system's, written to <html data-theme> where app.css reads it. Reactive, for the charts.
export type ThemeChoice = 'system' | 'light' | 'dark';

export const theme = $state({ choice: 'system' as ThemeChoice, dark: false });

const media = typeof window !== 'undefined' ? window.matchMedia?.('(prefers-color-scheme: dark)') : undefined;

export function applyTheme(choice: ThemeChoice = theme.choice) {
  theme.choice = choice;
  theme.dark = choice === 'dark' || (choice === 'system' && (media?.matches ?? false));
  document.documentElement.dataset.theme = theme.dark ? 'dark' : 'light';
}

media?.addEventListener?.('change', () => applyTheme());
