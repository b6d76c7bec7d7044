#!/usr/bin/env node
/**
 * A stand-in for the `aws` CLI, for the tests that run the explanation's commands: it keeps IAM's state (inline
 * policies, attachments, managed-policy versions) in the JSON file $FAKE_AWS_STATE and refuses what IAM refuses
 * (attaching a policy that does not exist, detaching one that is not attached, deleting an attached policy or a
 * default version, a sixth version), exiting non-zero with IAM's error code on stderr. After each change it appends the
 * owner's effective documents to $FAKE_AWS_STATE.log, one JSON line per step, so a test can check every step.
 * `file://` documents are read relative to the working directory, as the aws CLI does.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const statePath = process.env.FAKE_AWS_STATE;
const [service, command, ...rest] = process.argv.slice(2);
const flags = {};
for (let i = 0; i < rest.length; i++) {
  const flag = rest[i].replace(/^--/, '');
  if (rest[i + 1] === undefined || rest[i + 1].startsWith('--')) flags[flag] = true;
  else flags[flag] = rest[++i];
}

/** state: { inline: { 'role/app': { name: doc } }, attached: { 'role/app': [arn] }, policies: { arn: { default, versions: { id: doc } } } } */
const state = JSON.parse(readFileSync(statePath, 'utf8'));

function fail(code, message) {
  process.stderr.write(`An error occurred (${code}) when calling the ${command} operation: ${message}\n`);
  process.exit(254);
}
const need = (flag) => (typeof flags[flag] === 'string' ? flags[flag] : fail('ValidationError', `--${flag} is required`));
const documentOf = (flag) => JSON.parse(readFileSync(need(flag).replace(/^file:\/\//, ''), 'utf8'));
const policy = (arn) => state.policies[arn] ?? fail('NoSuchEntity', `Policy ${arn} does not exist`);
const versionNumber = (id) => Number(id.replace(/^v/, ''));

function ownerKey(entity) {
  return `${entity}/${need(`${entity}-name`)}`;
}

const handlers = {
  'put-(role|user|group)-policy': (entity) => {
    const key = ownerKey(entity);
    state.inline[key] = { ...state.inline[key], [need('policy-name')]: documentOf('policy-document') };
  },
  'delete-(role|user|group)-policy': (entity) => {
    const key = ownerKey(entity);
    const name = need('policy-name');
    if (!state.inline[key]?.[name]) fail('NoSuchEntity', `The ${entity} policy ${name} cannot be found`);
    delete state.inline[key][name];
  },
  'attach-(role|user|group)-policy': (entity) => {
    const key = ownerKey(entity);
    const arn = need('policy-arn');
    policy(arn);
    const list = state.attached[key] ?? [];
    if (!list.includes(arn)) state.attached[key] = [...list, arn];
  },
  'detach-(role|user|group)-policy': (entity) => {
    const key = ownerKey(entity);
    const arn = need('policy-arn');
    if (!(state.attached[key] ?? []).includes(arn)) fail('NoSuchEntity', `Policy ${arn} was not found`);
    state.attached[key] = state.attached[key].filter((a) => a !== arn);
  },
  'create-policy': () => {
    const arn = `arn:aws:iam::${state.account}:policy/${need('policy-name')}`;
    if (state.policies[arn]) fail('EntityAlreadyExists', `A policy called ${need('policy-name')} already exists`);
    state.policies[arn] = { default: 'v1', versions: { v1: documentOf('policy-document') } };
    process.stdout.write(`${JSON.stringify({ Policy: { Arn: arn, DefaultVersionId: 'v1' } })}\n`);
  },
  'delete-policy': () => {
    const arn = need('policy-arn');
    const p = policy(arn);
    if (Object.values(state.attached).some((list) => list.includes(arn))) fail('DeleteConflict', 'Cannot delete a policy attached to entities');
    if (Object.keys(p.versions).length > 1) fail('DeleteConflict', 'This policy has more than one version');
    delete state.policies[arn];
  },
  'create-policy-version': () => {
    const p = policy(need('policy-arn'));
    if (Object.keys(p.versions).length >= 5) fail('LimitExceeded', 'A managed policy can have up to 5 versions');
    const id = `v${Math.max(...Object.keys(p.versions).map(versionNumber)) + 1}`;
    p.versions[id] = documentOf('policy-document');
    if (flags['set-as-default'] === true) p.default = id;
    process.stdout.write(`${JSON.stringify({ PolicyVersion: { VersionId: id, IsDefaultVersion: p.default === id } })}\n`);
  },
  'set-default-policy-version': () => {
    const p = policy(need('policy-arn'));
    const id = need('version-id');
    if (!p.versions[id]) fail('NoSuchEntity', `Policy version ${id} does not exist`);
    p.default = id;
  },
  'delete-policy-version': () => {
    const p = policy(need('policy-arn'));
    const id = need('version-id');
    if (!p.versions[id]) fail('NoSuchEntity', `Policy version ${id} does not exist`);
    if (p.default === id) fail('DeleteConflict', 'Cannot delete the default version of a policy');
    delete p.versions[id];
  },
};

const match = Object.entries(handlers)
  .map(([pattern, handler]) => ({ found: new RegExp(`^${pattern}$`).exec(command ?? ''), handler }))
  .find((m) => m.found);
if (service !== 'iam' || !match) fail('UnknownCommand', `aws ${service} ${command} is not faked`);
match.handler(match.found[1]);
writeFileSync(statePath, JSON.stringify(state, null, 2));

/** what the owner of the run holds after this step: its inline documents and the default version of each attached policy */
const owner = state.owner;
const effective = [
  ...Object.values(state.inline[owner] ?? {}),
  ...(state.attached[owner] ?? []).map((arn) => state.policies[arn].versions[state.policies[arn].default]),
];
appendFileSync(`${statePath}.log`, `${JSON.stringify({ step: `${command}`, effective })}\n`);
