import { readFile } from 'node:fs/promises';
import { inputError } from '../errors.js';

/** Reads and parses a JSON file; one-line input errors naming the file (and line/column for bad JSON). */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? 'error'})`;
    throw inputError(`${path}: ${why}`);
  }
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
    throw inputError(`${path}: invalid JSON${where}: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/\s+/g, ' ')}`);
  }
}
