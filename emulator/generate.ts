import type {
  FixtureAccountContent,
  FixtureGroup,
  FixtureRole,
  FixtureTemplate,
  FixtureUsageEvent,
  FixtureUser,
} from './fixture-types.js';
import { FixtureError } from './fixture.js';

/**
 * Expands an account's `generate` templates into ordinary declared principals (after the declared ones) and their
 * usage, so everything downstream sees no difference between a generated principal and a written-out one.
 */

/** IAM's name pattern; a template's `{i}` is only checked once replaced */
const NAME = /^[\w+=,.@-]{1,128}$/;

type Kind = 'roles' | 'users' | 'groups';
const SINGULAR: Record<Kind, string> = { roles: 'role', users: 'user', groups: 'group' };

interface Expanded<T> {
  name: string;
  value: T;
  usage: FixtureUsageEvent[] | undefined;
}

function expand<T extends { name: string }>(
  template: FixtureTemplate & { usage?: FixtureUsageEvent[] },
  where: string,
): Expanded<T>[] {
  const { count, name, pad = 0, usage, ...rest } = template;
  const out: Expanded<T>[] = [];
  for (let i = 0; i < count; i++) {
    const generated = name.replaceAll('{i}', String(i).padStart(pad, '0'));
    if (!NAME.test(generated)) throw new FixtureError(`fixture: ${where} makes the name "${generated}", which IAM does not allow`);
    out.push({ name: generated, value: { ...rest, name: generated } as unknown as T, usage });
  }
  return out;
}

/**
 * `origin` names the account in messages ("" for the home account, "memberAccounts[1]." for a member). A generated
 * name equal (case-insensitively, as IAM compares) to a declared one or to another template's is a FixtureError
 * naming both.
 */
export function expandGenerated(
  content: FixtureAccountContent,
  accountId: string,
  origin: string,
): FixtureAccountContent {
  const generate = content.generate;
  if (!generate) return content;
  const usage: Record<string, FixtureUsageEvent[]> = { ...content.usage };
  const expandKind = <T extends { name: string; path?: string }>(kind: Kind, declared: T[] = []): T[] => {
    const owner = new Map(declared.map((d) => [d.name.toLowerCase(), `declared ${SINGULAR[kind]} ${d.name} (${origin}${kind})`]));
    const added: T[] = [];
    (generate[kind] ?? []).forEach((template, n) => {
      const where = `${origin}generate.${kind}[${n}]`;
      for (const g of expand<T>(template, where)) {
        const other = owner.get(g.name.toLowerCase());
        if (other) throw new FixtureError(`fixture: ${where} makes ${SINGULAR[kind]} ${g.name}, which collides with ${other}`);
        owner.set(g.name.toLowerCase(), `${SINGULAR[kind]} ${g.name} of ${where}`);
        added.push(g.value);
        if (g.usage && kind !== 'groups') {
          const arn = `arn:aws:iam::${accountId}:${SINGULAR[kind]}${g.value.path ?? '/'}${g.name}`;
          usage[arn] = [...(usage[arn] ?? []), ...g.usage];
        }
      }
    });
    return [...declared, ...added];
  };
  return {
    ...content,
    roles: expandKind<FixtureRole>('roles', content.roles),
    users: expandKind<FixtureUser>('users', content.users),
    groups: expandKind<FixtureGroup>('groups', content.groups),
    usage,
  };
}
