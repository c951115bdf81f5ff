/**
 * What an `errorCode` means: ACM's errors (their names come from the ACM API model) and the error
 * codes most AWS services share. The explanations are this project's own.
 */
import { ACM_EVENT_SOURCE, acmOperation, acmShape, operationErrors } from '../acm/acmApiModel';

/** ACM's error shapes, explained. Every exception of the API model has an entry (a unit test checks). */
export const ACM_ERROR_EXPLANATIONS: Readonly<Record<string, string>> = {
  AccessDeniedException: 'The caller\u2019s permissions (IAM policies, a service control policy or a resource policy) do not allow this action.',
  ConflictException:
    'Another change to the same resource was under way, or the resource is in a state that clashes with the request. Trying again later may work.',
  InternalServerException: 'ACM failed on its side. The request itself may have been fine; retrying is reasonable.',
  InvalidArgsException: 'Two or more arguments cannot be used together, or one has a value ACM refuses.',
  InvalidArnException: 'The ARN given is not a well-formed ARN of the expected kind.',
  InvalidDomainValidationOptionsException:
    'The validation domains given do not fit the domain names of the certificate (each validation domain must be the domain itself or a parent of it).',
  InvalidParameterException: 'A parameter has a value ACM refuses, for example a tag key that starts with the reserved prefix aws:.',
  InvalidStateException:
    'The certificate is not in a state that allows this action, for example resending validation mail for a certificate that is already issued.',
  InvalidTagException: 'A tag key or value is not allowed, for example it uses the reserved aws: prefix or characters outside the allowed set.',
  LimitExceededException: 'An ACM quota was reached: too many certificates in the account, or too many requested or imported within the last year.',
  RequestInProgressException: 'The certificate is still being issued or renewed, so it cannot be fetched or exported yet. Trying again after issuance works.',
  ResourceInUseException:
    'The certificate is still attached to another AWS resource (a load balancer, a CloudFront distribution, ...) and must be detached first.',
  ResourceNotFoundException:
    'No such certificate or resource exists in this account and region: it may be deleted, in another region, or owned by another account.',
  ServiceQuotaExceededException: 'The request would go over a service quota of the account (for example the number of ACME endpoints or tags).',
  TagPolicyException: 'A tag policy of AWS Organizations does not allow the tags given.',
  ThrottlingException: 'Too many requests in a short time: ACM slowed the caller down. SDKs retry these by themselves.',
  TooManyTagsException: 'The resource would have more than the 50 tags allowed.',
  ValidationException:
    'The request does not satisfy the API\u2019s constraints: a missing required parameter, a value too long or too short, or one outside the allowed values.',
};

/** Error codes most AWS services share, explained. */
const COMMON_ERRORS: Readonly<Record<string, string>> = {
  AccessDenied:
    'The caller\u2019s permissions do not allow this action. The errorMessage usually names the principal, the action and the policy type that refused it.',
  AccessDeniedException: 'The caller\u2019s permissions do not allow this action.',
  UnauthorizedOperation:
    'EC2 refused the action because the caller\u2019s permissions do not allow it. The errorMessage may hold an encoded message that the STS action DecodeAuthorizationMessage turns into the reason.',
  AuthFailure: 'The request\u2019s credentials were not accepted: a wrong or unknown key, or a request signed for another account.',
  InvalidClientTokenId: 'The access key in the request does not exist or is not active: deleted, deactivated, or from a region not enabled for the account.',
  UnrecognizedClientException: 'The access key or session token in the request is not valid.',
  SignatureDoesNotMatch: 'The request\u2019s signature did not match: a wrong secret key, a clock far off, or a request altered on the way.',
  IncompleteSignature: 'The request\u2019s signature was missing parts.',
  ExpiredToken: 'The temporary credentials used had expired.',
  ExpiredTokenException: 'The temporary credentials used had expired.',
  RequestExpired: 'The request arrived too long after it was signed, usually because of a wrong clock.',
  ThrottlingException: 'Too many requests in a short time: the service slowed the caller down.',
  Throttling: 'Too many requests in a short time: the service slowed the caller down.',
  RequestLimitExceeded: 'Too many requests in a short time: the service slowed the caller down.',
  TooManyRequestsException: 'Too many requests in a short time: the service slowed the caller down.',
  ValidationException: 'The request does not satisfy the API\u2019s constraints.',
  ValidationError: 'The request does not satisfy the API\u2019s constraints.',
  InvalidParameterValue: 'A parameter has a value the service refuses.',
  InvalidParameterValueException: 'A parameter has a value the service refuses.',
  InvalidParameterException: 'A parameter has a value the service refuses.',
  InvalidParameterCombination: 'Parameters were given that cannot be used together.',
  MissingParameter: 'A required parameter was not given.',
  MalformedPolicyDocument: 'A policy document given is not valid policy JSON.',
  MalformedPolicyDocumentException: 'A policy document given is not valid policy JSON.',
  ResourceNotFoundException: 'The resource named does not exist in this account and region.',
  NoSuchEntity: 'The IAM entity named (user, role, policy, ...) does not exist.',
  NoSuchBucket: 'The bucket named does not exist.',
  NoSuchKey: 'The object named does not exist in the bucket.',
  EntityAlreadyExists: 'An IAM entity with that name already exists.',
  AlreadyExistsException: 'A resource with that name already exists.',
  ResourceAlreadyExistsException: 'A resource with that name already exists.',
  LimitExceeded: 'A quota of the account was reached.',
  LimitExceededException: 'A quota of the account was reached.',
  ServiceQuotaExceededException: 'A quota of the account was reached.',
  EntityTemporarilyUnmodifiable: 'The IAM entity is being changed by another request and cannot be changed right now.',
  EntityTemporarilyUnmodifiableException: 'The IAM entity is being changed by another request and cannot be changed right now.',
  ConcurrentModificationException: 'Another request changed the same resource at the same time.',
  ConflictException: 'The request clashes with the current state of the resource or with another change.',
  DryRunOperation: 'A dry run that would have succeeded: nothing was changed, the caller only checked its permissions.',
  OptInRequired: 'The account has not opted in to the service or region.',
  InternalError: 'The service failed on its side.',
  InternalFailure: 'The service failed on its side.',
  InternalServerError: 'The service failed on its side.',
  InternalServerException: 'The service failed on its side.',
  ServiceUnavailable: 'The service could not answer at that moment.',
  ServiceUnavailableException: 'The service could not answer at that moment.',
  VpceAccessDenied: 'A VPC endpoint policy refused the request.',
  TrailNotFoundException: 'The trail named does not exist in this account and region.',
  InvalidTrailNameException: 'The trail name is not valid.',
  AccessPointNotFoundException: 'The load balancer named does not exist.',
  InvalidAction: 'The action is not one the service has, or not valid for this endpoint.',
  UnsupportedOperation: 'The service does not support this action in this context.',
  OperationNotPermitted: 'The action is not allowed on this resource in its current state.',
};

export interface ErrorReading {
  code: string;
  /** The code without an EC2-style `Client.`/`Server.` prefix. */
  name: string;
  /** Whose fault the code says it is, when it says. */
  fault?: 'client' | 'server';
  explanation?: string;
  /** Where the explanation comes from. */
  source: 'acm-model' | 'common' | 'unknown';
  /** For ACM operations: whether the API model lists this error for the operation. */
  listedForOperation?: boolean;
}

const has = (table: Readonly<Record<string, string>>, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

/** Explains an errorCode; `eventSource`/`eventName` let ACM's own errors be recognised. */
export function readErrorCode(code: string, context: { eventSource?: string; eventName?: string } = {}): ErrorReading {
  let name = code;
  let fault: ErrorReading['fault'];
  const prefixed = /^(Client|Server)\.(.+)$/.exec(code);
  if (prefixed) {
    fault = prefixed[1] === 'Client' ? 'client' : 'server';
    name = prefixed[2];
  }
  const reading: ErrorReading = { code, name, fault, source: 'unknown' };
  if (context.eventSource === ACM_EVENT_SOURCE) {
    const shape = acmShape(name);
    if (shape?.exception && has(ACM_ERROR_EXPLANATIONS, name)) {
      reading.explanation = ACM_ERROR_EXPLANATIONS[name];
      reading.source = 'acm-model';
      const operation = context.eventName ? acmOperation(context.eventName) : undefined;
      if (operation) {
        reading.listedForOperation = operationErrors(operation).includes(name);
      }
      const modelFault = (shape as { fault?: boolean }).fault;
      reading.fault ??= modelFault ? 'server' : 'client';
      return reading;
    }
  }
  if (has(COMMON_ERRORS, name)) {
    reading.explanation = COMMON_ERRORS[name];
    reading.source = 'common';
  } else if (has(ACM_ERROR_EXPLANATIONS, name)) {
    reading.explanation = ACM_ERROR_EXPLANATIONS[name];
    reading.source = 'common';
  }
  if (!reading.fault) {
    if (/^(Internal|ServiceUnavailable)/.test(name)) {
      reading.fault = 'server';
    } else if (reading.explanation) {
      reading.fault = 'client';
    }
  }
  return reading;
}
