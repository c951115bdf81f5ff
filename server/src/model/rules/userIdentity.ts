/**
 * userIdentity: a known type, the fields that type needs, an ARN that names the kind of principal
 * the type says, and mfaAuthenticated written as CloudTrail writes it.
 */
import { NO_NODE, NodeKind } from '../json/nodeTable';
import { RuleCode } from './catalogue';
import { RecordContext, quote } from './context';
import { IDENTITY_TYPES } from './awsNames';
import { arnOffsets } from './arns';
import { IdentityParts } from './identityParts';
import { KeyTable } from './keyTable';
import { equalsAt, startsWithAt } from './rawText';
import { listNames } from './requiredFields';

/** The fields each identity type cannot do without, by their path below userIdentity. */
const NEEDED_FIELDS: ReadonlyMap<string, readonly (readonly [path: string, node: (parts: IdentityParts) => number])[]> = new Map([
  [
    'AssumedRole',
    [['arn', (parts: IdentityParts) => parts.arn] as const, ['sessionContext.sessionIssuer', (parts: IdentityParts) => parts.sessionIssuer] as const],
  ],
  [
    'FederatedUser',
    [['arn', (parts: IdentityParts) => parts.arn] as const, ['sessionContext.sessionIssuer', (parts: IdentityParts) => parts.sessionIssuer] as const],
  ],
  ['AWSService', [['invokedBy', (parts: IdentityParts) => parts.invokedBy] as const]],
  ['IAMUser', [['accountId', (parts: IdentityParts) => parts.accountId] as const]],
  ['Root', [['accountId', (parts: IdentityParts) => parts.accountId] as const]],
  ['AWSAccount', [['accountId', (parts: IdentityParts) => parts.accountId] as const]],
  ['SAMLUser', [['identityProvider', (parts: IdentityParts) => parts.identityProvider] as const]],
  ['WebIdentityUser', [['identityProvider', (parts: IdentityParts) => parts.identityProvider] as const]],
]);

interface ArnShape {
  /** The service part followed by its colon. */
  service: string;
  /** How the resource part starts; `exact` when it is all of it. */
  resource: string;
  exact?: boolean;
  example: string;
}

/** What the ARN of each type of principal looks like. */
const ARN_SHAPES: ReadonlyMap<string, ArnShape> = new Map([
  ['IAMUser', { service: 'iam:', resource: 'user/', example: 'arn:aws:iam::<account>:user/<name>' }],
  ['Root', { service: 'iam:', resource: 'root', exact: true, example: 'arn:aws:iam::<account>:root' }],
  ['Role', { service: 'iam:', resource: 'role/', example: 'arn:aws:iam::<account>:role/<name>' }],
  ['AssumedRole', { service: 'sts:', resource: 'assumed-role/', example: 'arn:aws:sts::<account>:assumed-role/<role>/<session>' }],
  ['FederatedUser', { service: 'sts:', resource: 'federated-user/', example: 'arn:aws:sts::<account>:federated-user/<name>' }],
]);

const arnParts = new Int32Array(5);

function matchesShape(arn: string, shape: ArnShape): boolean {
  return matchesShapeAt(arn, arn.length, shape);
}

/** Whether the ARN ending at `to` of `text`, whose parts `arnParts` holds, has `shape`. */
function matchesShapeAt(text: string, to: number, shape: ArnShape): boolean {
  const [, serviceAt, regionAt, , resourceAt] = arnParts;
  return (
    regionAt - serviceAt === shape.service.length &&
    startsWithAt(text, serviceAt, to, shape.service) &&
    startsWithAt(text, resourceAt, to, shape.resource) &&
    (!shape.exact || to - resourceAt === shape.resource.length)
  );
}

const IDENTITY_TYPE_KEYS = new KeyTable([...IDENTITY_TYPES]);
const IDENTITY_TYPE_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map([...IDENTITY_TYPES].map((type) => [type.toLowerCase(), type]));

export function checkUserIdentity(context: RecordContext): void {
  const view = context.view;
  const parts = context.identity();
  const identity = parts.identity;
  if (identity === NO_NODE) {
    return;
  }
  const typeNode = parts.type;
  const type = context.vocabularyString(typeNode, IDENTITY_TYPE_KEYS);
  if (typeNode === NO_NODE) {
    // Service events may name only the account and the service; failed calls may lack the rest.
    if (!context.isServiceEvent && !context.failed) {
      context.reportKey(RuleCode.identityMissingField, 'userIdentity has no type, so it does not say what kind of principal made the call.', identity);
    }
  } else if (type !== undefined) {
    checkType(context, typeNode, type, 'userIdentity.type');
    checkNeededFields(context, parts, typeNode, type);
    checkArnShape(context, parts.arn, type, 'userIdentity');
  }
  const sessionContext = parts.sessionContext;
  if (sessionContext === NO_NODE || view.kind(sessionContext) !== NodeKind.Object) {
    return;
  }
  const issuer = parts.sessionIssuer;
  if (issuer !== NO_NODE && view.kind(issuer) === NodeKind.Object) {
    const issuerTypeNode = parts.issuerType;
    const issuerType = context.vocabularyString(issuerTypeNode, IDENTITY_TYPE_KEYS);
    if (issuerType !== undefined) {
      checkType(context, issuerTypeNode, issuerType, 'sessionIssuer.type');
      checkArnShape(context, parts.issuerArn, issuerType, 'sessionIssuer');
    }
  }
  checkMfaAuthenticated(context, parts.mfaAuthenticated);
}

function checkType(context: RecordContext, node: number, type: string, where: string): void {
  if (IDENTITY_TYPES.has(type)) {
    return;
  }
  const sameLetters = IDENTITY_TYPE_BY_LOWER_CASE.get(type.toLowerCase());
  context.reportValue(
    RuleCode.identityType,
    sameLetters
      ? `${where} ${quote(type)} should be written ${sameLetters}.`
      : `${where} ${quote(type)} is not an identity type CloudTrail writes (${[...IDENTITY_TYPES].join(', ')}).`,
    node,
    sameLetters ? { fix: context.replaceValue(node, `Write ${sameLetters}`, `"${sameLetters}"`) } : undefined,
  );
}

function checkNeededFields(context: RecordContext, parts: IdentityParts, typeNode: number, type: string): void {
  const needed = NEEDED_FIELDS.get(type);
  // A call that failed may have been refused before the caller was fully known.
  if (!needed || context.failed) {
    return;
  }
  let missing: string[] | undefined;
  for (const [path, node] of needed) {
    if (node(parts) === NO_NODE) {
      (missing ??= []).push(path);
    }
  }
  if (missing) {
    context.reportValue(
      RuleCode.identityMissingField,
      `A userIdentity of type ${type} always has ${listNames(missing)}; this one lacks ${missing.length === 1 ? 'it' : 'them'}.`,
      typeNode,
    );
  }
}

function checkArnShape(context: RecordContext, arnNode: number, type: string, where: string): void {
  const shape = ARN_SHAPES.get(type);
  if (!shape) {
    return;
  }
  const plain = context.plainStart(arnNode);
  if (plain >= 0 && context.arnParts(arnNode, arnParts) && matchesShapeAt(context.text, context.plainEnd(arnNode, plain), shape)) {
    return;
  }
  const arnText = context.view.string(arnNode);
  if (arnText === undefined || !arnOffsets(arnText, arnParts) || matchesShape(arnText, shape)) {
    return;
  }
  const [start, end] = context.partOfString(arnNode, arnParts[1], arnText.length);
  context.report(
    RuleCode.identityArn,
    `${where}.type is ${type}, but its arn ${quote(arnText)} names another kind of principal; the ARN of a ${type} looks like ${shape.example}.`,
    start,
    end,
  );
}

function checkMfaAuthenticated(context: RecordContext, node: number): void {
  if (node === NO_NODE) {
    return;
  }
  const kind = context.table.kind[node];
  if (kind === NodeKind.Boolean) {
    const raw = context.view.source(node);
    context.reportValue(
      RuleCode.mfaAuthenticated,
      `mfaAuthenticated is written as the string "${raw}" in CloudTrail, not as a boolean; tools comparing it with "${raw}" will miss this one.`,
      node,
      { fix: context.replaceValue(node, `Quote ${raw}`, `"${raw}"`) },
    );
    return;
  }
  const plain = context.plainStart(node);
  if (plain >= 0) {
    const end = context.plainEnd(node, plain);
    if (equalsAt(context.text, plain, end, 'true') || equalsAt(context.text, plain, end, 'false')) {
      return;
    }
  }
  const value = context.view.string(node);
  if (kind === NodeKind.String && value !== 'true' && value !== 'false') {
    const lower = value?.toLowerCase();
    context.reportValue(
      RuleCode.mfaAuthenticated,
      `mfaAuthenticated is ${quote(value ?? '')}; CloudTrail writes "true" or "false".`,
      node,
      lower === 'true' || lower === 'false' ? { fix: context.replaceValue(node, `Write "${lower}"`, `"${lower}"`) } : undefined,
    );
  }
}
