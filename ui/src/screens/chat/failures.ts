// What went wrong with a reply, in plain words, and whether Settings can fix it.
import type { ChatMessage } from '../../lib/bindings/ChatMessage';
import type { ErrorCode } from '../../lib/bindings/ErrorCode';
import type { ErrorInfo } from '../../lib/bindings/ErrorInfo';

/** What went wrong, and which screen can put it right. */
export type Failure = { text: string; fix: 'settings' | 'spend' | null };

/**
 * The words for a reply that ended with `error`. The switch is exhaustive over `ErrorCode`: a
 * code added in Rust fails the type check here until it has a message.
 */
export function explain(error: ErrorInfo): Failure {
  const code: ErrorCode = error.code;
  switch (code) {
    case 'no_usable_provider':
    case 'key_missing':
    case 'unavailable':
    case 'keychain_unavailable':
      return { text: error.message, fix: 'settings' };
    case 'auth_failed':
    case 'key_failing':
      return { text: `A provider rejected its API key. ${error.message}`, fix: 'settings' };
    case 'budget_exceeded':
      // The banner above the composer says which budget, how much and when it resets.
      return { text: 'Not sent: a budget is used up.', fix: 'spend' };
    case 'budget_downgraded':
      return { text: `Over budget: sent to a cheaper model instead. ${error.message}`, fix: 'spend' };
    case 'budget_unavailable':
      return { text: `The budgets could not be checked, so nothing was sent. ${error.message}`, fix: null };
    case 'stopped':
      return { text: 'Stopped. The reply so far is kept.', fix: null };
    case 'interrupted':
      return { text: 'Switchyard closed before this reply finished. The text so far is kept.', fix: null };
    case 'bad_url':
    case 'invalid_config':
    case 'unreachable':
    case 'connect_failed':
      return { text: `A provider could not be reached. ${error.message}`, fix: 'settings' };
    case 'cross_origin_redirect':
      return {
        text: `A provider redirected to another host; Switchyard did not follow, so your key stayed put. ${error.message}`,
        fix: 'settings',
      };
    case 'line_too_long':
    case 'reply_too_large':
      return { text: `A provider sent more than Switchyard accepts. ${error.message}`, fix: null };
    case 'invalid_rules':
    case 'route_failed':
      return { text: `The router could not decide. ${error.message}`, fix: null };
    case 'rate_limited':
    case 'overloaded':
    case 'server_error':
    case 'timeout':
    case 'connection_lost':
    case 'malformed':
    case 'truncated':
    case 'context_length':
    case 'context_too_small':
    case 'circuit_open':
    case 'bad_request':
    case 'provider_error':
    case 'not_found':
      return { text: 'No model could answer; each try is listed below.', fix: null };
    case 'invalid_input':
    case 'conflict':
    case 'database':
    case 'io':
      return { text: error.message, fix: null };
    default: {
      const unhandled: never = code;
      return { text: String(unhandled), fix: null };
    }
  }
}

export function failureText(message: ChatMessage): Failure | null {
  const error = message.details?.error ?? null;
  switch (message.status) {
    case 'stopped':
      return { text: 'Stopped. The reply so far is kept.', fix: null };
    case 'interrupted':
      return { text: 'Switchyard closed before this reply finished. The text so far is kept.', fix: null };
    case 'partial':
      return {
        text: `The provider failed partway through; the text above is what arrived.${error ? ` ${error.message}` : ''}`,
        fix: null,
      };
    case 'failed':
      return error ? explain(error) : { text: 'No model could answer; each try is listed below.', fix: null };
    default:
      return null;
  }
}
