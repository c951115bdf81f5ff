/**
 * A small JSON schema of a delivered CloudTrail log, for comparing with what a general JSON
 * language service does on the same file: the required record fields and the types of the
 * common ones. It is deliberately modest; a full schema would only make the comparison slower.
 */

const text = { type: 'string' };
const nullableObject = { type: ['object', 'null'] };

const sessionIssuer = {
  type: 'object',
  properties: { type: text, principalId: text, arn: text, accountId: { type: 'string', pattern: '^\\d{12}$' }, userName: text },
};

const userIdentity = {
  type: 'object',
  properties: {
    type: text,
    principalId: text,
    arn: text,
    accountId: { type: 'string', pattern: '^\\d{12}$' },
    accessKeyId: text,
    userName: text,
    invokedBy: text,
    sessionContext: {
      type: 'object',
      properties: {
        sessionIssuer,
        webIdFederationData: { type: 'object' },
        attributes: {
          type: 'object',
          properties: { creationDate: text, mfaAuthenticated: { enum: ['true', 'false'] } },
        },
      },
    },
  },
};

const record = {
  type: 'object',
  required: ['eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion'],
  properties: {
    eventVersion: { type: 'string', pattern: '^\\d+\\.\\d+$' },
    userIdentity,
    eventTime: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' },
    eventSource: text,
    eventName: text,
    awsRegion: text,
    sourceIPAddress: text,
    userAgent: text,
    errorCode: text,
    errorMessage: text,
    requestParameters: nullableObject,
    responseElements: nullableObject,
    additionalEventData: { type: 'object' },
    requestID: text,
    eventID: text,
    readOnly: { type: 'boolean' },
    resources: {
      type: 'array',
      items: { type: 'object', properties: { ARN: text, accountId: text, type: text } },
    },
    eventType: { enum: ['AwsApiCall', 'AwsServiceEvent', 'AwsConsoleAction', 'AwsConsoleSignIn', 'AwsCloudTrailInsight', 'AwsVpceEvent'] },
    managementEvent: { type: 'boolean' },
    recipientAccountId: { type: 'string', pattern: '^\\d{12}$' },
    eventCategory: { enum: ['Management', 'Data', 'NetworkActivity', 'Insight'] },
    tlsDetails: {
      type: 'object',
      properties: { tlsVersion: text, cipherSuite: text, clientProvidedHostHeader: text },
    },
    sessionCredentialFromConsole: { enum: ['true'] },
  },
};

export const CLOUDTRAIL_LOG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['Records'],
  properties: {
    Records: { type: 'array', items: record },
  },
};
