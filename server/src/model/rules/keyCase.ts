/**
 * Field names written in the wrong letter case (`eventname`, `EventName`, `UserIdentity.Type`):
 * JSON keys are case-sensitive, so every tool that reads CloudTrail misses them. Checked at the
 * top level of the record and inside userIdentity and its sessionContext.
 */
import { NO_NODE, NodeKind } from '../json/nodeTable';
import { RuleCode } from './catalogue';
import { RecordContext, quote } from './context';
import { fieldByLowerCase } from './fields';
import { IDENTITY_KEYS, SESSION_CONTEXT_KEYS } from './identityParts';

const byLowerCase = (names: readonly string[]): ReadonlyMap<string, string> => new Map(names.map((name) => [name.toLowerCase(), name]));
const IDENTITY_BY_LOWER_CASE = byLowerCase(IDENTITY_KEYS);
const SESSION_CONTEXT_BY_LOWER_CASE = byLowerCase(SESSION_CONTEXT_KEYS);

export function checkKeyCase(context: RecordContext): void {
  const view = context.view;
  for (const node of context.unknownFields) {
    const name = view.key(node);
    const known = name === undefined ? undefined : fieldByLowerCase(name);
    if (name !== undefined && known !== undefined) {
      reportWrongCase(context, context.node, node, name, known);
    }
  }
  // The names written exactly right were sorted out while finding the identity's parts.
  const parts = context.identity();
  if (parts.identity !== NO_NODE) {
    checkOtherKeys(context, parts.identity, parts.otherIdentityKeys, IDENTITY_BY_LOWER_CASE);
    if (parts.sessionContext !== NO_NODE && view.kind(parts.sessionContext) === NodeKind.Object) {
      checkOtherKeys(context, parts.sessionContext, parts.otherSessionContextKeys, SESSION_CONTEXT_BY_LOWER_CASE);
    }
  }
}

/** Properties of `object` not named exactly as CloudTrail names them: those that differ only in case. */
function checkOtherKeys(context: RecordContext, object: number, others: readonly number[], byLowerCase: ReadonlyMap<string, string>): void {
  const view = context.view;
  for (const child of others) {
    const name = view.key(child);
    if (name === undefined) {
      continue;
    }
    const expected = byLowerCase.get(name.toLowerCase());
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
    alreadyThere
      ? undefined
      : { fix: { title: `Rename to ${expected}`, replacement: `"${expected}"`, start: context.keyStart(node), end: context.keyEnd(node) } },
  );
}
