// Model output is untrusted. It is parsed as Markdown, with any raw HTML in it kept as text,
// then sanitized with DOMPurify, which removes scripts, event handlers, `javascript:` URLs,
// iframes and forms. The CSP forbids inline script as a third wall.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import hljs from 'highlight.js/lib/common';
import { externalLink } from './links';

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Text as HTML that shows it literally. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

marked.use({
  renderer: {
    // HTML a model writes (in prose or on its own line) is shown as the text it is, never
    // parsed: a reply about `<img>` tags must still show them, and nothing in it is markup.
    html({ text }) {
      return escapeHtml(text);
    },
    code({ text, lang }) {
      const language = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
      const known = language !== '' && hljs.getLanguage(language) !== undefined;
      const highlighted = known
        ? hljs.highlight(text, { language, ignoreIllegals: true }).value
        : hljs.highlightAuto(text).value;
      const label = known ? ` data-lang="${language}"` : '';
      return `<pre${label}><code class="hljs">${highlighted}</code></pre>\n`;
    },
  },
});

const SANITIZE = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'img', 'svg', 'math'],
  FORBID_ATTR: ['style', 'srcset'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
};

/**
 * Markdown to HTML that is safe to insert. A link whose target is not http, https or mailto
 * becomes plain text (its words kept), so nothing else in a reply looks or acts like a link.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  const fragment = DOMPurify.sanitize(html, { ...SANITIZE, RETURN_DOM_FRAGMENT: true });
  for (const a of fragment.querySelectorAll('a')) {
    if (externalLink(a.getAttribute('href')) === null) a.replaceWith(...a.childNodes);
  }
  const holder = document.createElement('div');
  holder.append(fragment);
  return holder.innerHTML;
}
