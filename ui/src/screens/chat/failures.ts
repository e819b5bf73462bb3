// What went wrong with a reply, in plain words, and whether Settings can fix it.
import type { ChatMessage } from '../../lib/bindings/ChatMessage';

export type Failure = { text: string; settings: boolean };

export function failureText(message: ChatMessage): Failure | null {
  const reply = message.details;
  const error = reply?.error ?? null;
  const tried = [...new Set((reply?.hops ?? []).filter((h) => h.outcome !== 'answered').map((h) => h.model))];
  const fallbackNote = tried.length > 0 ? ` Tried: ${tried.join(', ')}.` : '';
  switch (message.status) {
    case 'stopped':
      return { text: 'Stopped. The reply so far is kept.', settings: false };
    case 'interrupted':
      return { text: 'Switchyard closed before this reply finished. The text so far is kept.', settings: false };
    case 'partial':
      return {
        text: `The provider failed partway through; the text above is what arrived.${error ? ` ${error.message}` : ''}`,
        settings: false,
      };
    case 'failed': {
      if (!error) return { text: `No model could answer.${fallbackNote}`, settings: false };
      switch (error.code) {
        case 'no_usable_provider':
          return { text: error.message, settings: true };
        case 'auth_failed':
        case 'key_rejected':
          return { text: `A provider rejected its API key.${fallbackNote} ${error.message}`, settings: true };
        case 'budget_exceeded':
          return { text: error.message, settings: false };
        default:
          return { text: `Every model in the chain failed.${fallbackNote} Last error: ${error.message}`, settings: false };
      }
    }
    default:
      return null;
  }
}
