import { readFile } from 'node:fs/promises';
import { inputError } from '../errors.js';
import type { CliIo } from './exit.js';

/** How error messages name standard input (`--snapshot -`). */
export const STDIN_LABEL = 'standard input';

/** Reads and parses a JSON file; one-line input errors naming the file (and line/column for bad JSON). */
export async function readJsonFile(path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? 'error'})`;
    throw inputError(`${path}: ${why}`);
  }
  return parseJsonBytes(bytes, path);
}

/** `-` reads standard input (named STDIN_LABEL in errors), anything else is a file name. */
export async function readJsonArg(arg: string, io: CliIo): Promise<{ json: unknown; label: string }> {
  if (arg !== '-') return { json: await readJsonFile(arg), label: arg };
  if (!io.stdin) throw inputError(`${STDIN_LABEL} cannot be read here`);
  return { json: parseJsonBytes(await io.stdin(), STDIN_LABEL), label: STDIN_LABEL };
}

/** JSON text as UTF-8 bytes, with or without a byte order mark; `label` names the source in errors. */
export function parseJsonBytes(bytes: Uint8Array, label: string): unknown {
  const text = decodeUtf8(bytes, label);
  if (text.trim() === '') throw inputError(`${label} is empty`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(msg);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      const column = Number(at[1]) - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column}`;
    }
    throw inputError(`${label}: invalid JSON${where}: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/\s+/g, ' ')}`);
  }
}

/**
 * Windows PowerShell's `>` writes UTF-16 with a byte order mark, and Notepad may add a UTF-8 one. The UTF-8 mark is
 * dropped (TextDecoder's default); UTF-16 is named rather than parsed into a baffling JSON error. Without a mark,
 * UTF-16 still shows: JSON text never holds a NUL byte, and UTF-16 puts one beside every ASCII character.
 */
function decodeUtf8(bytes: Uint8Array, label: string): string {
  const [b0, b1] = bytes;
  const utf16Bom = (b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff);
  if (utf16Bom || (bytes.length >= 2 && (b0 === 0) !== (b1 === 0))) {
    throw inputError(`${label} is UTF-16; save it as UTF-8 (in Windows PowerShell, pipe to Out-File -Encoding utf8 rather than >)`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw inputError(`${label} is not UTF-8 text; save it as UTF-8`);
  }
}
