/**
 * The operations of AWS Certificate Manager (`acm.amazonaws.com`): what each does, whether it
 * reads or changes something, and what its CloudTrail records show and hide. Names, parameters,
 * types and errors come from the ACM API model; the words are this project's.
 */
import { acmOperation, acmOperations, Member, Operation, operationErrors, structureMembers } from '../acm/acmApiModel';

export interface AcmOperationGuide {
  name: string;
  /** What the operation does, in plain words. */
  summary: string;
  access: 'read' | 'write';
  /** What CloudTrail records and hides for this operation, beyond what the model implies. */
  logNotes: readonly string[];
}

const NULL_RESPONSE_READ = 'Like most read-only calls, its records usually carry null responseElements: the answer is not logged.';
const EMPTY_RESPONSE = 'The response is empty, so responseElements is null.';

const guide = (name: string, access: 'read' | 'write', summary: string, ...logNotes: string[]): AcmOperationGuide => ({ name, summary, access, logNotes });

const GUIDES: readonly AcmOperationGuide[] = [
  guide(
    'AddTagsToCertificate',
    'write',
    'Adds or overwrites tags (key and optional value) on a certificate. Tags help to find, group and control access to certificates.',
    'The tags given are in requestParameters.tags as key/value pairs.',
  ),
  guide(
    'CreateAcmeDomainValidation',
    'write',
    'Proves, ahead of time, control of a domain for an ACME endpoint, so that ACME clients can later get certificates for it without a per-order challenge.',
    'requestParameters hold the endpoint ARN, the domain and the prevalidation options (such as a Route 53 hosted zone); responseElements hold the new domain validation\u2019s ARN.',
  ),
  guide(
    'CreateAcmeEndpoint',
    'write',
    'Creates an ACME endpoint: a URL that standard ACME clients (certbot, acme.sh, cert-manager, ...) can talk to in order to get certificates from ACM.',
    'requestParameters hold the authorization behaviour, the certificate authority settings and tags; responseElements hold the endpoint\u2019s ARN.',
  ),
  guide(
    'CreateAcmeExternalAccountBinding',
    'write',
    'Creates external account binding credentials for an ACME endpoint: the key that ties an ACME client\u2019s account to this AWS account and an IAM role.',
    'requestParameters hold the endpoint ARN, the role ARN and the expiration; the secret MAC key is not part of this call\u2019s answer (GetAcmeExternalAccountBindingCredentials returns it).',
  ),
  guide(
    'DeleteAcmeDomainValidation',
    'write',
    'Deletes a domain validation of an ACME endpoint; certificates for that domain then need validating again.',
    EMPTY_RESPONSE,
  ),
  guide('DeleteAcmeEndpoint', 'write', 'Deletes an ACME endpoint; ACME clients can no longer use its URL.', EMPTY_RESPONSE),
  guide('DeleteAcmeExternalAccountBinding', 'write', 'Deletes an external account binding of an ACME endpoint.', EMPTY_RESPONSE),
  guide(
    'DeleteCertificate',
    'write',
    'Deletes a certificate and its private key from ACM. It fails while the certificate is still used by another AWS resource.',
    'The response is empty, so responseElements is null. The certificate ARN is the only parameter.',
  ),
  guide(
    'DescribeAcmeAccount',
    'read',
    'Returns the details of one ACME account registered at an ACME endpoint (its status, contacts and key thumbprint).',
    NULL_RESPONSE_READ,
  ),
  guide('DescribeAcmeDomainValidation', 'read', 'Returns the details and status of one domain validation of an ACME endpoint.', NULL_RESPONSE_READ),
  guide(
    'DescribeAcmeEndpoint',
    'read',
    'Returns the details of an ACME endpoint: its URL, status, authorization behaviour and certificate authority settings.',
    NULL_RESPONSE_READ,
  ),
  guide('DescribeAcmeExternalAccountBinding', 'read', 'Returns the details of an external account binding (without its secret key).', NULL_RESPONSE_READ),
  guide(
    'DescribeCertificate',
    'read',
    'Returns everything ACM knows about a certificate: domains, status, validation, renewal, key algorithm, validity dates and the resources using it.',
    NULL_RESPONSE_READ,
  ),
  guide(
    'ExportCertificate',
    'write',
    'Exports a certificate together with its private key, the key encrypted with a passphrase the caller chooses. Only private certificates and public certificates created as exportable can be exported.',
    'CloudTrail writes HIDDEN_DUE_TO_SECURITY_REASONS in place of the passphrase and of the returned private key; the certificate and chain are recorded in PEM.',
    'A successful export means a copy of the private key left ACM: worth checking who did it.',
  ),
  guide(
    'GetAccountConfiguration',
    'read',
    'Returns the account\u2019s ACM settings: how many days before expiry ACM starts sending expiry events.',
    'It takes no parameters, so requestParameters is null.',
  ),
  guide(
    'GetAcmeExternalAccountBindingCredentials',
    'read',
    'Returns the key id and the secret MAC key of an external account binding, to configure an ACME client with.',
    'The MAC key is a secret (the API model marks it sensitive): it must not appear in the log.',
  ),
  guide(
    'GetCertificate',
    'read',
    'Returns a certificate and its chain in PEM, by ARN. It never returns the private key.',
    'Unlike most read calls, responseElements carry the PEM text of the certificate and chain: certificates are public data.',
  ),
  guide(
    'ImportCertificate',
    'write',
    'Imports a certificate issued outside ACM, with its private key and chain, or reimports one to replace an earlier import under the same ARN.',
    'CloudTrail logs the certificate, private key and chain as Java ByteBuffer dumps, not as text; limit gives each one\u2019s length in bytes, and the key bytes themselves are not shown.',
    'responseElements hold the certificate\u2019s ARN.',
  ),
  guide('ListAcmeAccounts', 'read', 'Lists the ACME accounts registered at an ACME endpoint, a page at a time.', NULL_RESPONSE_READ),
  guide('ListAcmeDomainValidations', 'read', 'Lists the domain validations of an ACME endpoint, a page at a time.', NULL_RESPONSE_READ),
  guide('ListAcmeEndpoints', 'read', 'Lists the ACME endpoints of the account, a page at a time.', NULL_RESPONSE_READ),
  guide('ListAcmeExternalAccountBindings', 'read', 'Lists the external account bindings of an ACME endpoint, a page at a time.', NULL_RESPONSE_READ),
  guide(
    'ListCertificates',
    'read',
    'Lists the certificates of the account in this region, optionally filtered by status, key type or other properties, a page at a time.',
    NULL_RESPONSE_READ,
  ),
  guide('ListTagsForCertificate', 'read', 'Lists the tags of a certificate.', NULL_RESPONSE_READ),
  guide('ListTagsForResource', 'read', 'Lists the tags of an ACM resource such as an ACME endpoint.', NULL_RESPONSE_READ),
  guide(
    'PutAccountConfiguration',
    'write',
    'Changes the account\u2019s ACM settings: how many days before expiry ACM starts sending expiry events.',
    EMPTY_RESPONSE,
  ),
  guide(
    'RemoveTagsFromCertificate',
    'write',
    'Removes tags from a certificate. A tag given with a value is removed only when the value matches.',
    'The tags given are in requestParameters.tags; responseElements is null.',
  ),
  guide(
    'RenewCertificate',
    'write',
    'Starts the renewal of a private certificate (one issued by AWS Private CA) now, instead of waiting for ACM\u2019s managed renewal.',
    'The response is empty, so responseElements is null. The renewal itself happens afterwards and is not part of this record.',
  ),
  guide(
    'RequestCertificate',
    'write',
    'Asks ACM for a new certificate: a public one (validated by DNS, e-mail or HTTP) or a private one issued by an AWS Private CA.',
    'responseElements hold the new certificate\u2019s ARN; issuance happens later, after validation.',
  ),
  guide('ResendValidationEmail', 'write', 'Sends the validation e-mails of a pending, e-mail-validated certificate again.', EMPTY_RESPONSE),
  guide(
    'RevokeAcmeAccount',
    'write',
    'Deactivates an ACME account registered at an ACME endpoint, so that it can no longer order certificates.',
    EMPTY_RESPONSE,
  ),
  guide(
    'RevokeAcmeExternalAccountBinding',
    'write',
    'Revokes an external account binding, so that its credentials can no longer be used to register ACME accounts.',
    EMPTY_RESPONSE,
  ),
  guide(
    'RevokeCertificate',
    'write',
    'Revokes an exportable public certificate, with a reason; clients that check revocation will then refuse it.',
    'requestParameters hold the certificate ARN and the revocation reason; responseElements repeat the certificate ARN.',
  ),
  guide(
    'SearchCertificates',
    'read',
    'Searches the account\u2019s certificates with a filter statement (AND, OR, NOT over X.509 attributes and ACM metadata), a page at a time.',
    NULL_RESPONSE_READ,
  ),
  guide('TagResource', 'write', 'Adds tags to an ACM resource such as an ACME endpoint.', EMPTY_RESPONSE),
  guide('UntagResource', 'write', 'Removes tags, by key, from an ACM resource such as an ACME endpoint.', EMPTY_RESPONSE),
  guide('UpdateAcmeDomainValidation', 'write', 'Changes the prevalidation options of a domain validation of an ACME endpoint.', EMPTY_RESPONSE),
  guide(
    'UpdateAcmeEndpoint',
    'write',
    'Changes an ACME endpoint: its authorization behaviour, certificate authority settings or whether contacts are required.',
    EMPTY_RESPONSE,
  ),
  guide(
    'UpdateCertificateOptions',
    'write',
    'Changes a certificate\u2019s options: whether it can be exported, or (formerly) whether it is logged to Certificate Transparency.',
    EMPTY_RESPONSE,
  ),
];

const GUIDE_INDEX = new Map(GUIDES.map((entry) => [entry.name, entry]));

/** Every operation this project explains, in model order. */
export function acmOperationGuides(): readonly AcmOperationGuide[] {
  return GUIDES;
}

export function acmOperationGuide(name: string): AcmOperationGuide | undefined {
  return GUIDE_INDEX.get(name);
}

export interface AcmOperationFacts {
  guide: AcmOperationGuide;
  operation: Operation;
  parameters: Member[];
  outputs: Member[];
  errors: string[];
  /** The guide's notes plus those the model implies (no input, no output, sensitive members). */
  logNotes: string[];
}

/** Everything the summary of an ACM event shows about its operation. */
export function acmOperationFacts(name: string): AcmOperationFacts | undefined {
  const entry = GUIDE_INDEX.get(name);
  const operation = acmOperation(name);
  if (!entry || !operation) {
    return undefined;
  }
  const parameters = operation.input ? structureMembers(operation.input.shape) : [];
  const outputs = operation.output ? structureMembers(operation.output.shape) : [];
  const logNotes = [...entry.logNotes];
  const sensitive = [...parameters, ...outputs].filter((member) => member.shape.sensitive).map((member) => member.logName);
  if (sensitive.length > 0 && !entry.logNotes.some((note) => note.includes('HIDDEN') || note.includes('sensitive') || note.includes('ByteBuffer'))) {
    logNotes.push(`The API model marks ${sensitive.join(', ')} as sensitive: expect CloudTrail to hide or leave out the value.`);
  }
  return { guide: entry, operation, parameters, outputs, errors: operationErrors(operation), logNotes };
}

/** Names of the model's operations that have no guide here (empty when every one is explained). */
export function unexplainedAcmOperations(): string[] {
  return acmOperations()
    .map((operation) => operation.name)
    .filter((name) => !GUIDE_INDEX.has(name));
}
