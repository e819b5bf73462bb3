import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { applyTheme } from './lib/theme.svelte';

// The system's theme at once; the saved choice once the backend answers (App.svelte).
applyTheme('system');

const app = mount(App, { target: document.getElementById('app')! });

export default app;
