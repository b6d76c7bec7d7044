/**
 * Files people pass to `--snapshot` that are not snapshots but something they already had at hand: raw AWS CLI
 * output, a policy document, a recommendation leastpriv wrote. A schema path ("$.schemaVersion: is required") does
 * not tell them what to do; naming the file for what it is and what to run instead does.
 */

/** What a file that is not a snapshot was recognised as; `is` and `instead` complete "<label> is …, not a snapshot: …". */
export interface ForeignFile {
  readonly kind:
    | 'last-accessed-report'
    | 'last-accessed-entities'
    | 'organizations-access-report'
    | 'policy-document'
    | 'account-authorization-details'
    | 'recommendation';
  readonly is: string;
  readonly instead: string;
}

const COLLECT = 'run `leastpriv collect --role-arn ARN --snapshot-out FILE` (it reads the policies too)';

type Fields = Readonly<Record<string, unknown>>;

/** Each rule keys on top-level fields a snapshot never has (its schema allows no others), so none can shadow one. */
const RULES: readonly (ForeignFile & { readonly test: (json: Fields) => boolean })[] = [
  {
    kind: 'last-accessed-report',
    test: (j) => 'JobStatus' in j && 'ServicesLastAccessed' in j,
    is: 'the output of `aws iam get-service-last-accessed-details`',
    instead: COLLECT,
  },
  {
    kind: 'last-accessed-entities',
    test: (j) => 'JobStatus' in j && 'EntityDetailsList' in j,
    is: 'the output of `aws iam get-service-last-accessed-details-with-entities`',
    instead: COLLECT,
  },
  {
    kind: 'organizations-access-report',
    test: (j) => 'JobStatus' in j && 'AccessDetails' in j,
    is: 'the output of `aws iam get-organizations-access-report`',
    instead: `leastpriv reads a principal's report; ${COLLECT}`,
  },
  {
    kind: 'policy-document',
    test: (j) => 'Statement' in j && Object.keys(j).every((k) => k === 'Version' || k === 'Id' || k === 'Statement'),
    is: 'a policy document',
    instead: `a snapshot holds a principal's policies and its last-accessed report; ${COLLECT}`,
  },
  {
    kind: 'account-authorization-details',
    test: (j) => ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'].some((k) => k in j),
    is: 'the output of `aws iam get-account-authorization-details`',
    instead: `it has no last-accessed report; ${COLLECT} for each principal to trim`,
  },
  {
    kind: 'recommendation',
    test: (j) => isRecord(j['tool']) && j['tool']['name'] === 'leastpriv' && 'outcome' in j,
    is: 'a leastpriv recommendation.json (the output of `leastpriv recommend`)',
    instead: 'pass the snapshot it was made from, or collect a new one: `leastpriv collect --role-arn ARN --snapshot-out FILE`',
  },
];

function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The kind of non-snapshot file `json` is, when leastpriv knows it; undefined for anything else (snapshots too). */
export function recognizeForeignFile(json: unknown): ForeignFile | undefined {
  if (!isRecord(json)) return undefined;
  const rule = RULES.find((r) => r.test(json));
  return rule && { kind: rule.kind, is: rule.is, instead: rule.instead };
}
