/**
 * ARNs anywhere in a record: well formed, with a plausible partition, region and account, and
 * in agreement with the account the record states beside them (the caller's ARN and
 * userIdentity.accountId, a sessionIssuer's, a resource's).
 */
import { NO_NODE, NodeKind } from '../json/nodeTable';
import { RuleCode } from './catalogue';
import { KnownGood, propertyOf, RecordContext, ReportOptions, quote } from './context';
import { isAccountId, isRegionShaped, KNOWN_REGIONS, partitionOfRegion, PARTITIONS } from './awsNames';
import { KeyTable, matchesAt } from './keyTable';
import { Field } from './fields';
import { isAccountIdAt, sameTextAt } from './rawText';

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
  /** Offsets of each part's first character in the ARN text. */
  partitionAt: number;
  serviceAt: number;
  regionAt: number;
  accountAt: number;
  resourceAt: number;
}

/**
 * Where the parts of an ARN start, written into `into` as [partition, service, region, account,
 * resource] offsets; false when the text has fewer than six parts. Allocates nothing.
 */
export function arnOffsets(text: string, into: Int32Array): boolean {
  if (!text.startsWith('arn:')) {
    return false;
  }
  into[0] = 4;
  for (let part = 1; part < 5; part++) {
    const colon = text.indexOf(':', into[part - 1]);
    if (colon < 0) {
      return false;
    }
    into[part] = colon + 1;
  }
  return true;
}

const offsets = new Int32Array(5);

/** Splits `arn:partition:service:region:account:resource`; undefined when it has fewer parts. */
export function splitArn(text: string): ArnParts | undefined {
  if (!arnOffsets(text, offsets)) {
    return undefined;
  }
  const [partitionAt, serviceAt, regionAt, accountAt, resourceAt] = offsets;
  return {
    partition: text.slice(partitionAt, serviceAt - 1),
    service: text.slice(serviceAt, regionAt - 1),
    region: text.slice(regionAt, accountAt - 1),
    account: text.slice(accountAt, resourceAt - 1),
    resource: text.slice(resourceAt),
    partitionAt,
    serviceAt,
    regionAt,
    accountAt,
    resourceAt,
  };
}

/** Policy-style wildcards and template variables (`*`, `?`, `${AWS::Region}`) stand for any value. */
function isPattern(part: string): boolean {
  return part.includes('*') || part.includes('?') || part.includes('${');
}

const SERVICE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Why an ARN is malformed, with the part at fault (offsets in the ARN text); undefined when it is fine. */
export function arnFormatProblem(text: string): { message: string; start: number; end: number } | undefined {
  // A template variable may hold colons itself (${AWS::Region}), so its parts cannot be told apart.
  if (text.includes('${')) {
    return undefined;
  }
  const arn = splitArn(text);
  if (!arn) {
    return { message: `${quote(text)} is not a complete ARN: it needs arn:partition:service:region:account:resource.`, start: 0, end: text.length };
  }
  if (!PARTITIONS.has(arn.partition) && !isPattern(arn.partition)) {
    return {
      message: `The ARN partition ${quote(arn.partition)} does not exist; AWS partitions are ${[...PARTITIONS].join(', ')}.`,
      start: arn.partitionAt,
      end: arn.serviceAt - 1,
    };
  }
  if (!SERVICE_NAME.test(arn.service) && !isPattern(arn.service)) {
    return {
      message: `The ARN service ${quote(arn.service)} is not a service name (lower-case letters, digits and hyphens).`,
      start: arn.serviceAt,
      end: arn.regionAt - 1,
    };
  }
  if (arn.region !== '' && !isRegionShaped(arn.region) && !isPattern(arn.region)) {
    return { message: `The ARN region ${quote(arn.region)} is not a region code.`, start: arn.regionAt, end: arn.accountAt - 1 };
  }
  if (arn.account !== '' && arn.account !== 'aws' && !isAccountId(arn.account) && !isPattern(arn.account)) {
    return { message: `The ARN account ${quote(arn.account)} is not an account ID of 12 digits.`, start: arn.accountAt, end: arn.resourceAt - 1 };
  }
  return undefined;
}

const PARTITION_LIST = [...PARTITIONS];
const REGION_KEYS = new KeyTable(KNOWN_REGIONS);
const goodRegions = new KnownGood(512);

/**
 * Whether the ARN at `[from, to)` of `text` is well formed and its region in its partition, read
 * in place: this is what almost every ARN of a log is, and it allocates at most the region's name.
 * False means "look closer", not "wrong".
 */
function isPlainGoodArn(text: string, parts: Int32Array): boolean {
  const [partitionAt, serviceAt, regionAt, accountAt, resourceAt] = parts;
  const partitionLength = serviceAt - 1 - partitionAt;
  let partition: string | undefined;
  for (const candidate of PARTITION_LIST) {
    if (candidate.length === partitionLength && matchesAt(text, partitionAt, candidate)) {
      partition = candidate;
      break;
    }
  }
  if (partition === undefined || regionAt - 1 === serviceAt) return false;
  for (let i = serviceAt; i < regionAt - 1; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  const accountLength = resourceAt - 1 - accountAt;
  if (accountLength === 12) {
    for (let i = accountAt; i < accountAt + 12; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
  } else if (accountLength !== 0 && !(accountLength === 3 && matchesAt(text, accountAt, 'aws'))) {
    return false;
  }
  if (accountAt - 1 === regionAt) {
    return true;
  }
  const known = REGION_KEYS.lookupRange(text, regionAt, accountAt - 1 - regionAt);
  if (known >= 0) {
    return partitionOfRegion(REGION_KEYS.names[known]) === partition;
  }
  // An unknown region (a new one, or an invented one in an anonymised log) only needs its shape.
  const region = text.slice(regionAt, accountAt - 1);
  if (!goodRegions.has(region)) {
    if (!isRegionShaped(region)) return false;
    goodRegions.add(region);
  }
  return true;
}

const goodParts = new Int32Array(5);

export function checkArns(context: RecordContext): void {
  const view = context.view;
  const text = context.text;
  // Every string of the record that may be an ARN, as the pass over all its rows found them.
  const candidates = context.scan().arnCandidates;
  for (let i = 0; i < candidates.length; i++) {
    const node = candidates.at(i);
    if (context.arnParts(node, goodParts) && isPlainGoodArn(text, goodParts)) {
      continue;
    }
    const value = view.string(node) ?? '';
    if (!value.startsWith('arn:')) {
      continue;
    }
    const problem = arnFormatProblem(value);
    if (problem) {
      const [start, end] = context.partOfString(node, problem.start, problem.end);
      context.report(RuleCode.arnFormat, problem.message, start, end);
      continue;
    }
    // A template variable may hide the parts (arn:${AWS::Partition}): then there is nothing to compare.
    const arn = splitArn(value);
    if (!arn) {
      continue;
    }
    const regionPartition = partitionOfRegion(arn.region);
    if (regionPartition !== undefined && PARTITIONS.has(arn.partition) && regionPartition !== arn.partition) {
      const [start, end] = context.partOfString(node, arn.regionAt, arn.accountAt - 1);
      context.report(
        RuleCode.arnPartitionRegion,
        `The region ${arn.region} belongs to the ${regionPartition} partition, but this ARN is in ${arn.partition}.`,
        start,
        end,
      );
    }
  }
  checkIdentityAccounts(context);
  checkResourceAccounts(context);
}

/** The caller's ARN against userIdentity.accountId, and the sessionIssuer's against its own. */
function checkIdentityAccounts(context: RecordContext): void {
  const parts = context.identity();
  if (parts.identity === NO_NODE) {
    return;
  }
  compareAccounts(context, parts.arn, parts.accountId, "The caller's", 'userIdentity.accountId');
  if (parts.sessionIssuer !== NO_NODE) {
    compareAccounts(context, parts.issuerArn, parts.issuerAccountId, "The session issuer's", 'sessionIssuer.accountId');
  }
}

function checkResourceAccounts(context: RecordContext): void {
  const resources = context.fields[Field.resources];
  if (resources === NO_NODE || context.view.kind(resources) !== NodeKind.Array) {
    return;
  }
  const view = context.view;
  const next = context.table.next;
  for (let item = resources + 1; item < next[resources]; item = next[item]) {
    if (view.kind(item) === NodeKind.Object) {
      compareAccounts(context, propertyOf(view, item, 'ARN'), propertyOf(view, item, 'accountId'), "This resource's", 'its accountId');
    }
  }
}

const accountOffsets = new Int32Array(5);

/** Reports when the account of the ARN at `arnNode` differs from the account at `accountNode` beside it. */
function compareAccounts(context: RecordContext, arnNode: number, accountNode: number, whose: string, accountName: string): void {
  // Read in place, the usual case needs no strings: an ARN in the very account it is listed with.
  const arnStart = context.plainStart(arnNode);
  const accountStart = context.plainStart(accountNode);
  if (arnStart >= 0 && accountStart >= 0) {
    const text = context.text;
    if (!isAccountIdAt(text, accountStart, context.plainEnd(accountNode, accountStart))) {
      return;
    }
    if (!context.arnParts(arnNode, accountOffsets)) {
      return;
    }
    const accountAt = accountOffsets[3];
    if (accountOffsets[4] - 1 - accountAt === 12 && sameTextAt(text, accountAt, accountStart, 12)) {
      return;
    }
  }
  const view = context.view;
  const arnText = view.string(arnNode);
  const account = view.string(accountNode);
  if (arnText === undefined || account === undefined || !isAccountId(account)) {
    return;
  }
  reportAccountMismatch(context, arnNode, arnText, account, accountNode, `${whose} ARN`, accountName);
}

/** Shared with the ACM rules: an ARN's account against an account given elsewhere in the record. */
export function reportAccountMismatch(
  context: RecordContext,
  arnNode: number,
  arnText: string,
  expectedAccount: string,
  accountNode: number,
  what: string,
  accountName: string,
  options: ReportOptions = {},
): void {
  if (!arnOffsets(arnText, offsets)) {
    return;
  }
  const accountAt = offsets[3];
  const accountEnd = offsets[4] - 1;
  if (arnText.startsWith(expectedAccount, accountAt) && accountEnd - accountAt === expectedAccount.length) {
    return;
  }
  const account = arnText.slice(accountAt, accountEnd);
  if (!isAccountId(account)) {
    return;
  }
  const [start, end] = context.partOfString(arnNode, accountAt, accountEnd);
  context.report(
    RuleCode.arnAccountMismatch,
    `${what} is in account ${account}, but ${accountName} is ${expectedAccount}: one of the two is wrong.`,
    start,
    end,
    { ...options, related: [context.relatedValue(accountNode, `${accountName} is ${expectedAccount}`)] },
  );
}
