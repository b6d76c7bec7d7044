/**
 * Node module hooks that run the TypeScript sources as they are (no build), so a test can start the real CLI entry
 * point (src/cli/main.ts) as a child process: `node --import ./test/support/ts-register.mjs src/cli/main.ts …`.
 * Each .ts file is transpiled alone (TypeScript's transpileModule: types are erased, never checked).
 */
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

/** the sources import './x.js' for './x.ts' (NodeNext): try the .ts beside a .js that does not exist */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!specifier.endsWith('.js') || !(specifier.startsWith('.') || specifier.startsWith('file:'))) throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
