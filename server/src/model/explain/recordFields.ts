/**
 * The catalogue of CloudTrail record fields: what each means, its type, since which eventVersion
 * it exists and how often it is present. Also the fields inside `userIdentity`, `tlsDetails`,
 * `addendum` and `resources`, the items of `lookup-events` output and the EventBridge envelope.
 */

export interface FieldInfo {
  name: string;
  /** The eventVersion that introduced the field; undefined for fields outside the record format. */
  since?: string;
  /** When the field is there: "every record", "on failure", ... */
  presence: string;
  type: string;
  meaning: string;
  /** Meanings of the values the field takes, when it has a fixed set. */
  values?: Readonly<Record<string, string>>;
}

/** The eventVersion of the newest records. */
export const CURRENT_EVENT_VERSION = '1.11';

const f = (name: string, since: string | undefined, presence: string, type: string, meaning: string, values?: Record<string, string>): FieldInfo => ({
  name,
  since,
  presence,
  type,
  meaning,
  ...(values ? { values } : {}),
});

export const RECORD_FIELDS: readonly FieldInfo[] = [
  f(
    'eventVersion',
    '1.0',
    'every record',
    'string, "major.minor"',
    'The version of the record format. Newer versions add fields; compare it part by part, so 1.10 is newer than 1.09.',
  ),
  f(
    'userIdentity',
    '1.0',
    'every record except Insights records',
    'object',
    'Who made the request: the kind of principal, its ARN and account, the credentials used and, for temporary credentials, the session behind them.',
  ),
  f('eventTime', '1.0', 'every record', 'string, UTC time YYYY-MM-DDTHH:MM:SSZ', 'When the request was completed, in UTC.'),
  f('eventSource', '1.0', 'every record except Insights records', 'string, <service>.amazonaws.com', 'The service that received the request.'),
  f('eventName', '1.0', 'every record except Insights records', 'string', 'The action that was requested: the API operation, or a console or service event.'),
  f('awsRegion', '1.0', 'every record', 'string, region code', 'The region the request was sent to. Global services record us-east-1.'),
  f(
    'sourceIPAddress',
    '1.0',
    'every record except Insights records',
    'string: IPv4, IPv6, an AWS service host name or "AWS Internal"',
    'Where the request came from: the client\u2019s address, or the AWS service that made the call for the caller.',
  ),
  f('userAgent', '1.0', 'most records', 'string, cut at 1 KB', 'The program that sent the request, as the program itself says: it can be set to anything.'),
  f(
    'errorCode',
    '1.0',
    'only when the request failed',
    'string, cut at 1 KB',
    'The service\u2019s error code when the request failed. A record with no errorCode succeeded.',
  ),
  f('errorMessage', '1.0', 'only when the request failed', 'string, cut at 1 KB', 'The service\u2019s description of the failure, written for the caller.'),
  f(
    'requestParameters',
    '1.0',
    'every record (null when the request had none)',
    'object or null; dropped above 100 KB',
    'The parameters the caller sent, named in lowerCamelCase. Secrets may be hidden or left out.',
  ),
  f(
    'responseElements',
    '1.0',
    'every record (null for most read-only calls)',
    'object or null; dropped above 100 KB',
    'What the service answered, for requests that create or change something. Read-only calls usually record null here.',
  ),
  f(
    'additionalEventData',
    '1.0',
    'some records',
    'object',
    'Extra facts the service chose to add that are not part of the request or response (for sign-ins: MFA use, the login URL).',
  ),
  f(
    'requestID',
    '1.01',
    'most records',
    'string',
    'The service\u2019s id for the request; the same id appears in the service\u2019s own logs and in the response the caller received.',
  ),
  f(
    'eventID',
    '1.01',
    'every record',
    'string, GUID',
    'CloudTrail\u2019s unique id for this record. The same record can be delivered twice; the eventID tells duplicates apart.',
  ),
  f('readOnly', '1.01', 'some records', 'boolean', 'true when the action only reads; false when it can change something.'),
  f('resources', '1.01', 'some records', 'array of {ARN, accountId, type}', 'The resources the request acted on, as CloudTrail could name them.'),
  f('apiVersion', '1.01', 'some records', 'string', 'The version of the service API the request used.'),
  f('eventType', '1.02', 'every record', 'string', 'What kind of event produced the record.', {
    AwsApiCall: 'a call of a public API',
    AwsServiceEvent: 'something a service did by itself, not a call by the account',
    AwsConsoleAction: 'an action in the console that is not an API call',
    AwsConsoleSignIn: 'a sign-in to the console (or a sign-in attempt)',
    AwsCloudTrailInsight: 'an Insights record: unusual API activity detected by CloudTrail',
    AwsVpceEvent: 'a request that a VPC endpoint policy denied, recorded for the endpoint\u2019s owner',
  }),
  f(
    'recipientAccountId',
    '1.02',
    'most records',
    'string, 12 digits',
    'The account that received this record. It differs from the caller\u2019s account for cross-account calls.',
  ),
  f(
    'sharedEventID',
    '1.03',
    'only for cross-account calls',
    'string, GUID',
    'An id shared by the copies of one cross-account event delivered to each account involved.',
  ),
  f('vpcEndpointId', '1.04', 'only for requests through a VPC endpoint', 'string', 'The VPC endpoint the request went through.'),
  f('serviceEventDetails', '1.05', 'some service events', 'object', 'Details of a service event (eventType AwsServiceEvent).'),
  f(
    'managementEvent',
    '1.06',
    'some records',
    'boolean',
    'true for management events (actions on the configuration of resources); false for data events (actions on the data inside them).',
  ),
  f('eventCategory', '1.07', 'every record', 'string', 'Which kind of event this is for trail and event data store selectors.', {
    Management: 'a management event: creating, changing, deleting or reading the configuration of resources',
    Data: 'a data event: reading or writing the data held in a resource (objects, items, invocations)',
    NetworkActivity: 'a network activity event: a call made through a VPC endpoint',
    Insight: 'an Insights event: unusual activity detected by CloudTrail',
  }),
  f(
    'insightDetails',
    '1.07',
    'Insights records only',
    'object',
    'What unusual activity CloudTrail Insights detected. Insights records have no userIdentity, eventSource, eventName, sourceIPAddress or userAgent.',
  ),
  f(
    'addendum',
    '1.08',
    'only when the record was delivered late or changed',
    'object {reason, updatedFields, originalRequestID, originalEventID}',
    'Explains why this record was delivered late or is a corrected copy of an earlier one.',
  ),
  f(
    'sessionCredentialFromConsole',
    '1.08',
    'only for console sessions',
    'string "true"',
    'The credentials came from a console session, so the call was made by someone using the console.',
  ),
  f('edgeDeviceDetails', '1.08', 'only for requests from edge devices', 'object', 'The edge device (for example a Snowball device) the request came from.'),
  f(
    'tlsDetails',
    '1.08',
    'most API calls over HTTPS',
    'object {tlsVersion, cipherSuite, clientProvidedHostHeader, keyExchange}',
    'How the connection was secured: TLS version, cipher suite and the host name the client asked for.',
  ),
  f(
    'vpcEndpointAccountId',
    '1.09',
    'only for requests through a VPC endpoint',
    'string, 12 digits',
    'The account that owns the VPC endpoint the request went through.',
  ),
  f(
    'eventContext',
    '1.11',
    'CloudTrail Lake only',
    'object',
    'Context that CloudTrail Lake adds to an event, such as tags of the resources and principals involved.',
  ),
];

export const USER_IDENTITY_FIELDS: readonly FieldInfo[] = [
  f('type', undefined, 'usually (some service events omit it)', 'string', 'The kind of principal that made the call.', {
    Root: 'the account\u2019s root user, which can do anything in the account',
    IAMUser: 'an IAM user with its own long-term credentials',
    AssumedRole: 'temporary credentials from assuming an IAM role',
    Role: 'an IAM role itself',
    FederatedUser: 'temporary credentials from GetFederationToken, made by an IAM user or the root user',
    Directory: 'a user of a directory service',
    AWSAccount: 'another AWS account',
    AWSService: 'an AWS service acting by itself',
    IdentityCenterUser: 'a user of IAM Identity Center',
    SAMLUser: 'a user federated through SAML (AssumeRoleWithSAML)',
    WebIdentityUser: 'a user federated through a web identity provider (AssumeRoleWithWebIdentity)',
    Unknown: 'a caller CloudTrail could not identify, such as an anonymous ACME client',
  }),
  f('principalId', undefined, 'usually', 'string', 'A unique id of the principal. For assumed roles it is the role\u2019s id, a colon and the session name.'),
  f('arn', undefined, 'usually', 'string, ARN', 'The ARN of the principal that made the call.'),
  f(
    'accountId',
    undefined,
    'usually',
    'string, 12 digits',
    'The account that owns the principal (or, for an assumed role, the account the credentials belong to).',
  ),
  f(
    'accessKeyId',
    undefined,
    'when keys were used (may be empty)',
    'string',
    'The access key used to sign the request. AKIA... keys are long-term; ASIA... keys are temporary.',
  ),
  f('userName', undefined, 'for users', 'string', 'The friendly name of the user. HIDDEN_DUE_TO_SECURITY_REASONS after a failed sign-in with an unknown name.'),
  f('invokedBy', undefined, 'when a service made the call', 'string', 'The AWS service that made the request for the principal, such as ec2.amazonaws.com.'),
  f('invokedByDelegate', undefined, 'rarely', 'object {accountId}', 'The account of a delegated administrator that made the request.'),
  f('onBehalfOf', undefined, 'for IAM Identity Center users', 'object {userId, identityStoreArn}', 'The Identity Center user for whom the call was made.'),
  f('inScopeOf', undefined, 'rarely', 'object', 'The resource scope that the session was limited to.'),
  f('credentialId', undefined, 'for some temporary credentials', 'string', 'An id of the bearer token or credential used.'),
  f('identityProvider', undefined, 'for federated users', 'string', 'The identity provider that authenticated the user.'),
  f('sessionContext', undefined, 'for temporary credentials', 'object', 'The session behind temporary credentials: who issued it, when, whether MFA was used.'),
  f(
    'sessionIssuer',
    undefined,
    'for assumed roles',
    'object {type, principalId, arn, accountId, userName}',
    'The role (or user) whose credentials were used to create this session.',
  ),
  f(
    'webIdFederationData',
    undefined,
    'for web identity federation',
    'object {federatedProvider, attributes}',
    'The web identity provider that vouched for the caller.',
  ),
  f('attributes', undefined, 'for sessions', 'object {creationDate, mfaAuthenticated}', 'When the session was created and whether MFA was used.'),
  f('creationDate', undefined, 'for sessions', 'string, time', 'When the temporary credentials were issued.'),
  f('mfaAuthenticated', undefined, 'for sessions', 'string "true" or "false"', 'Whether the session was created after an MFA check.'),
  f(
    'sourceIdentity',
    undefined,
    'when set at role assumption',
    'string',
    'The identity the caller declared when assuming the role; it follows the session through role chains.',
  ),
  f(
    'ec2RoleDelivery',
    undefined,
    'for EC2 instance role credentials',
    'string "1.0" or "2.0"',
    'Which instance metadata service delivered the role credentials: 1.0 is IMDSv1, 2.0 is IMDSv2.',
  ),
  f(
    'assumedRoot',
    undefined,
    'for centralized root sessions',
    'string "true"',
    'The session was created with AssumeRoot: a privileged task on a member account\u2019s root user.',
  ),
  f('signInSessionArn', undefined, 'rarely', 'string, ARN', 'The sign-in session that the credentials came from.'),
  f('federatedProvider', undefined, 'for web identity federation', 'string', 'The web identity provider.'),
];

export const TLS_FIELDS: readonly FieldInfo[] = [
  f('tlsVersion', '1.08', 'with tlsDetails', 'string', 'The TLS protocol version of the connection. TLSv1 and TLSv1.1 are outdated.'),
  f('cipherSuite', '1.08', 'with tlsDetails', 'string', 'The cipher suite the connection used.'),
  f('clientProvidedHostHeader', '1.08', 'with tlsDetails', 'string', 'The host name the client put in its request, usually the service endpoint it called.'),
  f('keyExchange', undefined, 'with tlsDetails, newer records', 'string', 'The key exchange method of the connection, for example a post-quantum hybrid.'),
];

export const ADDENDUM_FIELDS: readonly FieldInfo[] = [
  f('reason', '1.08', 'with addendum', 'string', 'Why the record came late or was changed.', {
    DELIVERY_DELAY: 'the record was delivered later than usual',
    UPDATED_DATA: 'this record corrects fields of a record delivered earlier',
    SERVICE_OUTAGE: 'the record was held back by an outage of the service or of CloudTrail',
  }),
  f('updatedFields', '1.08', 'with addendum, for UPDATED_DATA', 'string', 'The fields that changed from the earlier record.'),
  f('originalRequestID', '1.08', 'with addendum, for UPDATED_DATA', 'string', 'The requestID of the record this one corrects.'),
  f('originalEventID', '1.08', 'with addendum, for UPDATED_DATA', 'string', 'The eventID of the record this one corrects.'),
];

export const RESOURCE_FIELDS: readonly FieldInfo[] = [
  f('ARN', '1.01', 'in resources', 'string, ARN', 'The resource\u2019s ARN.'),
  f('accountId', '1.01', 'in resources', 'string, 12 digits', 'The account that owns the resource.'),
  f('type', '1.01', 'in resources', 'string, AWS::Service::Type', 'The resource\u2019s type, in CloudFormation notation.'),
];

/** The fields of one item of `aws cloudtrail lookup-events` output. */
export const LOOKUP_EVENT_FIELDS: readonly FieldInfo[] = [
  f('EventId', undefined, 'every item', 'string, GUID', 'The eventID of the record.'),
  f('EventName', undefined, 'every item', 'string', 'The eventName of the record.'),
  f('ReadOnly', undefined, 'every item', 'string "true" or "false"', 'Whether the action only reads.'),
  f('AccessKeyId', undefined, 'when keys were used', 'string', 'The access key that signed the request.'),
  f('EventTime', undefined, 'every item', 'number, seconds since 1970-01-01 UTC', 'The eventTime of the record; the CLI writes it as epoch seconds in JSON.'),
  f('EventSource', undefined, 'every item', 'string', 'The eventSource of the record.'),
  f('Username', undefined, 'usually', 'string', 'The user or session name of the caller.'),
  f('Resources', undefined, 'usually', 'array of {ResourceType, ResourceName}', 'The resources the event named.'),
  f('ResourceType', undefined, 'in Resources', 'string', 'A resource\u2019s type, in CloudFormation notation.'),
  f('ResourceName', undefined, 'in Resources', 'string', 'A resource\u2019s name or ARN.'),
  f(
    'CloudTrailEvent',
    undefined,
    'every item',
    'string holding the whole record as JSON',
    'The full CloudTrail record, as a JSON string. Hovers work inside it as in a plain record.',
  ),
];

/** The fields of an EventBridge event that carries a CloudTrail record as its `detail`. */
export const ENVELOPE_FIELDS: readonly FieldInfo[] = [
  f('version', undefined, 'every event', 'string', 'The version of the EventBridge event format (always "0").'),
  f('id', undefined, 'every event', 'string', 'EventBridge\u2019s id for this event (not the CloudTrail eventID).'),
  f('detail-type', undefined, 'every event', 'string', 'What kind of event this is; "AWS API Call via CloudTrail" for CloudTrail records.'),
  f('source', undefined, 'every event', 'string', 'The service the event is about, as aws.<service>.'),
  f('account', undefined, 'every event', 'string, 12 digits', 'The account the event belongs to.'),
  f('time', undefined, 'every event', 'string, UTC time', 'When EventBridge received the event.'),
  f('region', undefined, 'every event', 'string, region code', 'The region of the event.'),
  f('resources', undefined, 'every event', 'array of ARNs', 'ARNs of the resources involved.'),
  f('detail', undefined, 'every event', 'object', 'The CloudTrail record itself.'),
];

/** The top-level keys of a `lookup-events` file and of a delivered log file. */
export const DOCUMENT_FIELDS: readonly FieldInfo[] = [
  f('Records', undefined, 'delivered log files and console downloads', 'array of records', 'The CloudTrail records of this file, in no particular order.'),
  f(
    'Events',
    undefined,
    'lookup-events output',
    'array of items',
    'The events that `aws cloudtrail lookup-events` returned; each item holds the whole record in CloudTrailEvent.',
  ),
  f(
    'NextToken',
    undefined,
    'lookup-events output with more pages',
    'string',
    'A token to ask for the next page of results; there were more events than this file holds.',
  ),
];

function index(fields: readonly FieldInfo[]): Map<string, FieldInfo> {
  return new Map(fields.map((field) => [field.name, field]));
}

const RECORD_INDEX = index(RECORD_FIELDS);
const IDENTITY_INDEX = index(USER_IDENTITY_FIELDS);
const TLS_INDEX = index(TLS_FIELDS);
const ADDENDUM_INDEX = index(ADDENDUM_FIELDS);
const RESOURCE_INDEX = index(RESOURCE_FIELDS);
const LOOKUP_INDEX = index(LOOKUP_EVENT_FIELDS);
const ENVELOPE_INDEX = index(ENVELOPE_FIELDS);
const DOCUMENT_INDEX = index(DOCUMENT_FIELDS);

export function recordField(name: string): FieldInfo | undefined {
  return RECORD_INDEX.get(name);
}

export function lookupEventField(name: string): FieldInfo | undefined {
  return LOOKUP_INDEX.get(name);
}

export function envelopeField(name: string): FieldInfo | undefined {
  return ENVELOPE_INDEX.get(name);
}

export function documentField(name: string): FieldInfo | undefined {
  return DOCUMENT_INDEX.get(name);
}

/**
 * The catalogue entry for a path of property names inside a record (`['userIdentity',
 * 'sessionContext', 'attributes', 'mfaAuthenticated']`); array indexes are numbers and skipped.
 */
export function fieldAtPath(path: readonly (string | number)[]): FieldInfo | undefined {
  const names = path.filter((part): part is string => typeof part === 'string');
  if (names.length === 0) {
    return undefined;
  }
  const [top] = names;
  const last = names[names.length - 1];
  if (names.length === 1) {
    return RECORD_INDEX.get(top);
  }
  switch (top) {
    case 'userIdentity':
      return IDENTITY_INDEX.get(last);
    case 'tlsDetails':
      return names.length === 2 ? TLS_INDEX.get(last) : undefined;
    case 'addendum':
      return names.length === 2 ? ADDENDUM_INDEX.get(last) : undefined;
    case 'resources':
      return names.length === 2 ? RESOURCE_INDEX.get(last) : undefined;
    default:
      return undefined;
  }
}

/** Compares eventVersions part by part as numbers: "1.05" < "1.10". */
export function compareEventVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] || 0) - (right[i] || 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

export function isEventVersion(text: string): boolean {
  return /^\d+\.\d+$/.test(text);
}

/** Whether a field is newer than the record that holds it. */
export function isNewerThan(field: FieldInfo, eventVersion: string | undefined): boolean {
  return field.since !== undefined && eventVersion !== undefined && isEventVersion(eventVersion) && compareEventVersions(field.since, eventVersion) > 0;
}
