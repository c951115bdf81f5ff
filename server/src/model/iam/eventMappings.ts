/**
 * Where CloudTrail's names differ from IAM's: the one curated table of the project. Everything
 * not listed here resolves by the plain rule (the eventSource's host prefix is the IAM prefix and
 * the eventName is the action), and every action named here is checked against the data by the
 * unit tests, so no table entry can name an action that does not exist.
 *
 * Sources: the service authorization reference, the S3 user guide's "Required permissions for
 * Amazon S3 API operations", the Lambda and CloudFront CloudTrail topics (dated event names), the
 * STS API reference (GetCallerIdentity needs no permission) and the CloudTrail record contents
 * page (service events, Insights and console sign-in events).
 */

/** eventSource host prefixes (before `.amazonaws.com`) whose IAM prefix is another. */
export const IAM_PREFIX_BY_EVENT_SOURCE: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch',
  email: 'ses',
  tagging: 'tag',
  'streams.dynamodb': 'dynamodb',
  'agreement-marketplace': 'aws-marketplace',
  'discovery-marketplace': 'aws-marketplace',
  'metering-marketplace': 'aws-marketplace',
  'catalog.marketplace': 'aws-marketplace',
  'servicecatalog-appregistry': 'servicecatalog',
  'models.lex': 'lex',
  'runtime.lex': 'lex',
  'api.mediatailor': 'mediatailor',
};

/**
 * Events whose IAM actions have other names, by host prefix and eventName. Several actions mean
 * the call needs them all (CopyObject reads one object and writes another).
 */
export const ACTIONS_BY_EVENT: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  s3: {
    // The account and the bucket list.
    ListBuckets: ['s3:ListAllMyBuckets'],
    ListDirectoryBuckets: ['s3express:ListAllMyDirectoryBuckets'],
    HeadBucket: ['s3:ListBucket'],
    ListObjects: ['s3:ListBucket'],
    ListObjectsV2: ['s3:ListBucket'],
    ListObjectVersions: ['s3:ListBucketVersions'],
    ListMultipartUploads: ['s3:ListBucketMultipartUploads'],
    ListParts: ['s3:ListMultipartUploadParts'],
    DeleteAccountPublicAccessBlock: ['s3:PutAccountPublicAccessBlock'],
    // Bucket sub-resources: the configuration is read and written as one permission each.
    GetBucketAccelerateConfiguration: ['s3:GetAccelerateConfiguration'],
    PutBucketAccelerateConfiguration: ['s3:PutAccelerateConfiguration'],
    GetBucketAnalyticsConfiguration: ['s3:GetAnalyticsConfiguration'],
    ListBucketAnalyticsConfigurations: ['s3:GetAnalyticsConfiguration'],
    PutBucketAnalyticsConfiguration: ['s3:PutAnalyticsConfiguration'],
    DeleteBucketAnalyticsConfiguration: ['s3:PutAnalyticsConfiguration'],
    DeleteBucketCors: ['s3:PutBucketCORS'],
    GetBucketEncryption: ['s3:GetEncryptionConfiguration'],
    PutBucketEncryption: ['s3:PutEncryptionConfiguration'],
    DeleteBucketEncryption: ['s3:PutEncryptionConfiguration'],
    GetBucketIntelligentTieringConfiguration: ['s3:GetIntelligentTieringConfiguration'],
    ListBucketIntelligentTieringConfigurations: ['s3:GetIntelligentTieringConfiguration'],
    PutBucketIntelligentTieringConfiguration: ['s3:PutIntelligentTieringConfiguration'],
    DeleteBucketIntelligentTieringConfiguration: ['s3:PutIntelligentTieringConfiguration'],
    GetBucketInventoryConfiguration: ['s3:GetInventoryConfiguration'],
    ListBucketInventoryConfigurations: ['s3:GetInventoryConfiguration'],
    PutBucketInventoryConfiguration: ['s3:PutInventoryConfiguration'],
    DeleteBucketInventoryConfiguration: ['s3:PutInventoryConfiguration'],
    GetBucketLifecycle: ['s3:GetLifecycleConfiguration'],
    GetBucketLifecycleConfiguration: ['s3:GetLifecycleConfiguration'],
    PutBucketLifecycle: ['s3:PutLifecycleConfiguration'],
    PutBucketLifecycleConfiguration: ['s3:PutLifecycleConfiguration'],
    DeleteBucketLifecycle: ['s3:PutLifecycleConfiguration'],
    GetBucketMetricsConfiguration: ['s3:GetMetricsConfiguration'],
    ListBucketMetricsConfigurations: ['s3:GetMetricsConfiguration'],
    PutBucketMetricsConfiguration: ['s3:PutMetricsConfiguration'],
    DeleteBucketMetricsConfiguration: ['s3:PutMetricsConfiguration'],
    GetBucketNotificationConfiguration: ['s3:GetBucketNotification'],
    PutBucketNotificationConfiguration: ['s3:PutBucketNotification'],
    DeleteBucketOwnershipControls: ['s3:PutBucketOwnershipControls'],
    GetBucketReplication: ['s3:GetReplicationConfiguration'],
    PutBucketReplication: ['s3:PutReplicationConfiguration'],
    DeleteBucketReplication: ['s3:PutReplicationConfiguration'],
    DeleteBucketTagging: ['s3:PutBucketTagging'],
    GetObjectLockConfiguration: ['s3:GetBucketObjectLockConfiguration'],
    PutObjectLockConfiguration: ['s3:PutBucketObjectLockConfiguration'],
    GetPublicAccessBlock: ['s3:GetBucketPublicAccessBlock'],
    PutPublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
    DeletePublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
    DeleteBucketPublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
    // Objects: reading the metadata is reading the object; uploads in parts are writes.
    HeadObject: ['s3:GetObject'],
    SelectObjectContent: ['s3:GetObject'],
    CopyObject: ['s3:GetObject', 's3:PutObject'],
    UploadPartCopy: ['s3:GetObject', 's3:PutObject'],
    CreateMultipartUpload: ['s3:PutObject'],
    UploadPart: ['s3:PutObject'],
    CompleteMultipartUpload: ['s3:PutObject'],
    PostObject: ['s3:PutObject'],
    DeleteObjects: ['s3:DeleteObject'],
  },
  lambda: {
    Invoke: ['lambda:InvokeFunction'],
    InvokeWithResponseStream: ['lambda:InvokeFunction'],
  },
  cloudfront: {
    CreateDistributionWithTags: ['cloudfront:CreateDistribution', 'cloudfront:TagResource'],
    CreateStreamingDistributionWithTags: ['cloudfront:CreateStreamingDistribution', 'cloudfront:TagResource'],
  },
  signin: {
    // Switching role in the console is an AssumeRole of the target role.
    SwitchRole: ['sts:AssumeRole'],
  },
};

/** Events that need no IAM permission of the caller, with the reason a person is told. */
export const NO_PERMISSION_EVENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  signin: {
    ConsoleLogin: 'Signing in to the console is checked against the password (and MFA) or the identity provider, not against an IAM policy.',
    CheckMfa: 'The sign-in page asks whether the user has MFA before the password is checked; no IAM policy is involved.',
    GetSigninToken: 'The federation endpoint turns temporary credentials into a console sign-in token; the credentials themselves are the authority.',
    ExitRole: 'Leaving a switched role returns the console to the original identity; nothing is authorized.',
    RenewRole: 'The console renews the session of a role already switched to; the role was authorized when it was assumed.',
    PasswordRecoveryRequested: 'A root user asked for a password reset email; this happens before any sign-in.',
    PasswordRecoveryCompleted: 'A root user finished a password reset; this happens before any sign-in.',
    CredentialChallenge: 'The sign-in page asked for a second factor; no IAM policy is involved.',
    CredentialVerification: 'The sign-in page checked a second factor; no IAM policy is involved.',
  },
  sts: {
    GetCallerIdentity: 'Any valid credentials may ask who they are; a policy cannot deny it.',
  },
  // Written by the services themselves; nobody called an API.
  s3: {
    JobCreated: 'Written by S3 Batch Operations when a job is created; the permission was checked on the CreateJob call.',
    JobStatusChanged: 'Written by S3 Batch Operations when a job changes state; no one called an API.',
  },
  ec2: {
    SharedSnapshotCopyInitiated: 'Written by EC2 in the account that shared a snapshot when another account copies it; no one in this account called an API.',
    SharedSnapshotVolumeCreated:
      'Written by EC2 in the account that shared a snapshot when another account creates a volume from it; no one in this account called an API.',
  },
};

/**
 * Events that real logs hold although the service authorization reference has no action for
 * them, by host prefix. Their permission stays unknown, but they exist: a detection rule that
 * names them is not told otherwise.
 */
export const EVENTS_WITHOUT_ACTION: Readonly<Record<string, readonly string[]>> = {
  // The Marketplace Discovery API's listing view.
  'discovery-marketplace': ['GetListingView'],
};

/**
 * IAM actions that are permissions only: no API has their name, so CloudTrail never writes an
 * event named after them. Each says where the permission is checked instead, for a person who
 * looked for it as an event (detection rules have asked for `eventName: PassRole`). Marked
 * "[permission only]" in the service authorization reference, except s3:ListAllMyBuckets, which
 * is the permission of the call CloudTrail writes as ListBuckets. No name here is an action of
 * another service (a unit test checks it against the data), so a rule that names no eventSource
 * can be told too.
 */
export const PERMISSION_ONLY_ACTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  iam: {
    PassRole:
      'checked inside the call that hands a role to a service, such as ec2:RunInstances with an instance profile, lambda:CreateFunction or cloudformation:CreateStack; look for that call and the role in its requestParameters',
  },
  sts: {
    TagSession: 'checked inside AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity or GetFederationToken when the call passes session tags',
    SetSourceIdentity: 'checked inside AssumeRole, AssumeRoleWithSAML or AssumeRoleWithWebIdentity when the call sets a source identity',
    SetContext: 'checked inside AssumeRole when the call passes context assertions',
  },
  s3: {
    ListAllMyBuckets: "the permission of listing the account's buckets, a call CloudTrail writes as ListBuckets",
  },
};

/** eventTypes that record no call by a caller, with the reason a person is told. */
export const NO_PERMISSION_EVENT_TYPES: Readonly<Record<string, string>> = {
  AwsServiceEvent: 'An AWS service event: AWS wrote it about something that happened, no caller made a request.',
  AwsCloudTrailInsight: 'A CloudTrail Insights event: CloudTrail wrote it about unusual activity, no caller made a request.',
  AwsConsoleSignIn: 'A console sign-in event: signing in is checked by the sign-in service, not by an IAM policy.',
};

/**
 * API Gateway's management API is authorized by HTTP method on the resource path
 * (`apigateway:POST` on `/restapis`), so its operations resolve by their leading verb.
 */
export const APIGATEWAY_METHOD_BY_VERB: Readonly<Record<string, string>> = {
  Create: 'apigateway:POST',
  Generate: 'apigateway:POST',
  Test: 'apigateway:POST',
  Get: 'apigateway:GET',
  Put: 'apigateway:PUT',
  Tag: 'apigateway:PUT',
  Update: 'apigateway:PATCH',
  Delete: 'apigateway:DELETE',
  Untag: 'apigateway:DELETE',
  Flush: 'apigateway:DELETE',
};
