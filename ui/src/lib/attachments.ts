// Files the user attaches in the composer, read into what the backend takes (name + base64).
// The backend checks each one (image or text, provider limits) before anything is sent; here a
// file is only refused when it is too big for any provider to take.
import type { NewAttachment } from './bindings/NewAttachment';

/** The largest file any provider takes (OpenAI's 20 MB per image; text files are far smaller). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A file picked, pasted or dropped, before it is sent. */
export type PendingAttachment = NewAttachment & {
  /** Distinguishes two files of the same name. */
  key: number;
  size: number;
  /** Shown as a thumbnail when set (images). */
  preview: string | null;
};

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** A size as people read it: `812 KB`, `5.2 MB`. */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

let next = 0;

/** Reads `file`; throws an Error whose message names the file and the limit when it is too big. */
export async function readAttachment(file: File): Promise<PendingAttachment> {
  if (file.size > MAX_FILE_BYTES) {
    throw new Error(`${file.name} is ${fileSize(file.size)}; files over ${fileSize(MAX_FILE_BYTES)} cannot be attached.`);
  }
  const data = base64(new Uint8Array(await file.arrayBuffer()));
  const preview = IMAGE_TYPES.includes(file.type) ? `data:${file.type};base64,${data}` : null;
  return { key: ++next, name: file.name || 'pasted file', data, size: file.size, preview };
}
