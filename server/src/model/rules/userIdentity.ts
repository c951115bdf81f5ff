/**
 * userIdentity: a known type, the fields that type needs, an ARN that names the kind of principal
 * the type says, and mfaAuthenticated written as CloudTrail writes it.
 */
import { NO_NODE, NodeKind } from '../nodeTable';
import { RuleCode } from './catalogue';
import { RecordContext, quote } from './context';
import { IDENTITY_TYPES } from './awsNames';
import { arnOffsets } from './arns';
import { Field } from './fields';
import { listNames } from './requiredFields';

/** The fields each identity type cannot do without, as property paths below userIdentity. */
const NEEDED_FIELDS: Readonly<Record<string, readonly string[][]>> = {
  AssumedRole: [['arn'], ['sessionContext', 'sessionIssuer']],
  FederatedUser: [['arn'], ['sessionContext', 'sessionIssuer']],
  AWSService: [['invokedBy']],
  IAMUser: [['accountId']],
  Root: [['accountId']],
  AWSAccount: [['accountId']],
  SAMLUser: [['identityProvider']],
  WebIdentityUser: [['identityProvider']],
};

interface ArnShape {
  /** The service part followed by its colon. */
  service: string;
  /** How the resource part starts; `exact` when it is all of it. */
  resource: string;
  exact?: boolean;
  example: string;
}

/** What the ARN of each type of principal looks like. */
const ARN_SHAPES: Readonly<Record<string, ArnShape>> = {
  IAMUser: { service: 'iam:', resource: 'user/', example: 'arn:aws:iam::<account>:user/<name>' },
  Root: { service: 'iam:', resource: 'root', exact: true, example: 'arn:aws:iam::<account>:root' },
  Role: { service: 'iam:', resource: 'role/', example: 'arn:aws:iam::<account>:role/<name>' },
  AssumedRole: { service: 'sts:', resource: 'assumed-role/', example: 'arn:aws:sts::<account>:assumed-role/<role>/<session>' },
  FederatedUser: { service: 'sts:', resource: 'federated-user/', example: 'arn:aws:sts::<account>:federated-user/<name>' },
};

const arnParts = new Int32Array(5);

function matchesShape(arn: string, shape: ArnShape): boolean {
  const [, serviceAt, regionAt, , resourceAt] = arnParts;
  return (
    regionAt - serviceAt === shape.service.length &&
    arn.startsWith(shape.service, serviceAt) &&
    arn.startsWith(shape.resource, resourceAt) &&
    (!shape.exact || arn.length - resourceAt === shape.resource.length)
  );
}

const IDENTITY_TYPE_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map([...IDENTITY_TYPES].map((type) => [type.toLowerCase(), type]));

export function checkUserIdentity(context: RecordContext): void {
  const view = context.view;
  const identity = context.fields[Field.userIdentity];
  if (identity === NO_NODE || view.kind(identity) !== NodeKind.Object) {
    return;
  }
  const typeNode = view.property(identity, 'type');
  const type = view.string(typeNode);
  if (typeNode === NO_NODE) {
    // Service events may name only the account and the service; failed calls may lack the rest.
    if (!context.isServiceEvent && !context.failed) {
      context.reportKey(RuleCode.identityMissingField, 'userIdentity has no type, so it does not say what kind of principal made the call.', identity);
    }
  } else if (type !== undefined) {
    checkType(context, typeNode, type, 'userIdentity.type');
    checkNeededFields(context, identity, typeNode, type);
    checkArnShape(context, identity, type, 'userIdentity');
  }
  const sessionContext = view.property(identity, 'sessionContext');
  if (sessionContext === NO_NODE || view.kind(sessionContext) !== NodeKind.Object) {
    return;
  }
  const issuer = view.property(sessionContext, 'sessionIssuer');
  if (issuer !== NO_NODE && view.kind(issuer) === NodeKind.Object) {
    const issuerTypeNode = view.property(issuer, 'type');
    const issuerType = view.string(issuerTypeNode);
    if (issuerType !== undefined) {
      checkType(context, issuerTypeNode, issuerType, 'sessionIssuer.type');
      checkArnShape(context, issuer, issuerType, 'sessionIssuer');
    }
  }
  checkMfaAuthenticated(context, view.path(sessionContext, 'attributes', 'mfaAuthenticated'));
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

function checkNeededFields(context: RecordContext, identity: number, typeNode: number, type: string): void {
  const needed = NEEDED_FIELDS[type];
  // A call that failed may have been refused before the caller was fully known.
  if (!needed || context.failed) {
    return;
  }
  let missing: string[] | undefined;
  for (const path of needed) {
    if (context.view.path(identity, ...path) === NO_NODE) {
      (missing ??= []).push(path.join('.'));
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

function checkArnShape(context: RecordContext, object: number, type: string, where: string): void {
  const shape = ARN_SHAPES[type];
  if (!shape) {
    return;
  }
  const arnNode = context.view.property(object, 'arn');
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
