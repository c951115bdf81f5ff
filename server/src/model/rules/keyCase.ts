/**
 * Field names written in the wrong letter case (`eventname`, `EventName`, `UserIdentity.Type`):
 * JSON keys are case-sensitive, so every tool that reads CloudTrail misses them. Checked at the
 * top level of the record and inside userIdentity and its sessionContext.
 */
import { NO_NODE, NodeKind } from '../nodeTable';
import { RuleCode } from './catalogue';
import { RecordContext, quote } from './context';
import { Field, fieldByLowerCase } from './fields';
import { KeyTable } from './keyTable';

const IDENTITY_KEYS = [
  'type',
  'principalId',
  'arn',
  'accountId',
  'accessKeyId',
  'userName',
  'invokedBy',
  'invokedByDelegate',
  'onBehalfOf',
  'inScopeOf',
  'credentialId',
  'identityProvider',
  'sessionContext',
];
const SESSION_CONTEXT_KEYS = ['sessionIssuer', 'webIdFederationData', 'attributes', 'sourceIdentity', 'ec2RoleDelivery', 'assumedRoot', 'signInSessionArn'];

interface KnownKeys {
  exact: KeyTable;
  byLowerCase: ReadonlyMap<string, string>;
}

const knownKeys = (names: string[]): KnownKeys => ({ exact: new KeyTable(names), byLowerCase: new Map(names.map((name) => [name.toLowerCase(), name])) });
const IDENTITY = knownKeys(IDENTITY_KEYS);
const SESSION_CONTEXT = knownKeys(SESSION_CONTEXT_KEYS);

export function checkKeyCase(context: RecordContext): void {
  const view = context.view;
  for (const node of context.unknownFields) {
    const name = view.key(node);
    const known = name === undefined ? undefined : fieldByLowerCase(name);
    if (name !== undefined && known !== undefined) {
      reportWrongCase(context, context.node, node, name, known);
    }
  }
  const identity = context.fields[Field.userIdentity];
  if (identity !== NO_NODE && view.kind(identity) === NodeKind.Object) {
    checkObjectKeys(context, identity, IDENTITY);
    const sessionContext = view.property(identity, 'sessionContext');
    if (sessionContext !== NO_NODE && view.kind(sessionContext) === NodeKind.Object) {
      checkObjectKeys(context, sessionContext, SESSION_CONTEXT);
    }
  }
}

function checkObjectKeys(context: RecordContext, object: number, known: KnownKeys): void {
  const view = context.view;
  const next = context.table.next;
  for (let child = object + 1; child < next[object]; child = next[child]) {
    // Most names are written right: find those without reading them out of the text.
    if (known.exact.lookup(view, child) >= 0) {
      continue;
    }
    const name = view.key(child);
    if (name === undefined) {
      continue;
    }
    const expected = known.byLowerCase.get(name.toLowerCase());
    if (expected !== undefined && expected !== name) {
      reportWrongCase(context, object, child, name, expected);
    }
  }
}

function reportWrongCase(context: RecordContext, object: number, node: number, name: string, expected: string): void {
  const alreadyThere = context.view.property(object, expected) !== NO_NODE;
  context.reportKey(
    RuleCode.keyCase,
    alreadyThere
      ? `${quote(name)} differs from ${expected} only in letter case, and ${expected} is here as well: this one is probably left over.`
      : `${quote(name)} should be written ${expected}: CloudTrail field names are case-sensitive, so tools looking for ${expected} will not find it.`,
    node,
    alreadyThere ? undefined : { fix: { title: `Rename to ${expected}`, replacement: `"${expected}"`, start: context.keyStart(node), end: context.keyEnd(node) } },
  );
}
