/**
 * The IAM policy documents of `GithubDeployRoles`, built from plain values so they can be tested
 * (and measured against IAM's size quota) without Pulumi. Nothing here declares a resource.
 *
 * Sources for the action lists: the Service Authorization Reference of each service (which actions
 * take resource-level permissions and which only `"*"`; which condition keys each action supports),
 * the IAM User Guide ("Permissions boundaries for IAM entities": the delegation example this follows),
 * and the AWS managed policy `AmazonRDSEnhancedMonitoringRole` (what the RDS monitoring role needs).
 */

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action?: string | string[];
    NotAction?: string[];
    Resource?: string | string[];
    NotResource?: string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Everything the documents depend on, resolved to plain strings. */
export interface DeployScope {
    partition: string;
    account: string;
    /** Regions the deploy role may act in (`aws:RequestedRegion`), the stack's first. */
    regions: string[];
    /** `/<project>/<stack>/`: the IAM path of the stack's roles, instance profiles and policies. */
    iamPath: string;
    /**
     * What the stack's bucket names and KMS aliases start with (`<project>-<stack>-`, as the
     * components' `stackScopedName` derives them).
     */
    namePrefix: string;
    /** `<project>/<stack>/`: what the stack's secret names start with. */
    secretPrefix: string;
    /** The permissions boundary every role the deploy role creates must carry. */
    boundaryArn: string;
    /** IAM entities the deploy role may read but never change: its own roles and policies, the boundary, the OIDC provider. */
    protectedArns: string[];
    /** A self-managed Pulumi state bucket (`s3://…` backend). */
    stateBucketArn?: string;
    /** The KMS key of the state bucket or of the `awskms://` secrets provider. */
    stateKmsKeyArn?: string;
}

/** IAM's quota for a customer managed policy: 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** The size IAM counts for a managed policy. */
export function policySize(document: PolicyDocument): number {
    return JSON.stringify(document).replace(/\s/g, "").length;
}

/**
 * Services the deploy role may hand stack roles to (`iam:PassedToService`): ECS tasks, EC2 instance
 * profiles, flow logs, EventBridge targets, the audit trail, and RDS's enhanced monitoring role, listed under both
 * names RDS may present it with (AWS documents the PassRole requirement but not the value).
 */
export const PASS_ROLE_SERVICES = [
    "ecs-tasks.amazonaws.com",
    "ec2.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "events.amazonaws.com",
    "rds.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    // The audit trail's role for its CloudWatch Logs group (CreateTrail's CloudWatchLogsRoleArn).
    "cloudtrail.amazonaws.com",
];

/** Services whose service-linked role the first deployment in an account may have to create (`iam:AWSServiceName`). */
export const SERVICE_LINKED_ROLE_SERVICES = [
    "ecs.amazonaws.com",
    "ecs.application-autoscaling.amazonaws.com",
    "autoscaling.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "rds.amazonaws.com",
    "elasticache.amazonaws.com",
];

/**
 * Describe/List/Get actions on `"*"` that `pulumi up` and `pulumi refresh` need and that hold no
 * data: no `s3:GetObject`, `secretsmanager:GetSecretValue`, `ssm:GetParameter*` or `logs:GetLogEvents`.
 */
export const CONTROL_PLANE_READS = [
    "ec2:Describe*",
    "elasticloadbalancing:Describe*",
    "autoscaling:Describe*",
    "application-autoscaling:Describe*",
    "ecs:Describe*",
    "ecs:List*",
    "ecr:DescribeRegistry",
    "ecr:GetAuthorizationToken",
    "rds:Describe*",
    "elasticache:Describe*",
    "sqs:ListQueues",
    "sns:List*",
    "s3:ListAllMyBuckets",
    "secretsmanager:ListSecrets",
    "kms:ListAliases",
    "kms:ListKeys",
    "logs:Describe*",
    "cloudwatch:Describe*",
    "cloudwatch:GetDashboard",
    "cloudwatch:GetMetricData",
    "cloudwatch:List*",
    "cloudtrail:DescribeTrails",
    "iam:Get*",
    "iam:List*",
    "cloudfront:Get*",
    "cloudfront:List*",
    "wafv2:Get*",
    "wafv2:List*",
    "wafv2:Describe*",
    "wafv2:CheckCapacity",
    "acm:ListCertificates",
    "route53:Get*",
    "route53:List*",
    "cognito-idp:ListUserPools",
    "cognito-idp:DescribeUserPoolDomain",
    "ses:Get*",
    "ses:List*",
    "ses:Describe*",
    "events:Describe*",
    "events:List*",
    "tag:GetResources",
];

/**
 * The per-resource reads a refresh makes, which the deploy role gets through its scoped statements
 * and the preview role needs on `"*"`: configuration and tags only, never contents.
 */
export const CONFIGURATION_READS = [
    "ecr:DescribeRepositories",
    "ecr:DescribeImages",
    "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
    "rds:ListTagsForResource",
    "elasticache:ListTagsForResource",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ListQueueTags",
    "sqs:ListDeadLetterSourceQueues",
    "sns:GetTopicAttributes",
    "sns:GetSubscriptionAttributes",
    "s3:GetBucket*",
    "s3:Get*Configuration",
    "s3:ListBucket",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetResourcePolicy",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListResourceTags",
    "logs:ListTagsForResource",
    "logs:ListTagsLogGroup",
    "acm:DescribeCertificate",
    "acm:GetCertificate",
    "acm:ListTagsForCertificate",
    "cognito-idp:DescribeUserPool",
    "cognito-idp:DescribeUserPoolClient",
    "cognito-idp:GetUserPoolMfaConfig",
    "cognito-idp:ListUserPoolClients",
    "cognito-idp:ListTagsForResource",
    "budgets:ViewBudget",
    "budgets:ListTagsForResource",
    "cloudtrail:GetTrail",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:GetInsightSelectors",
    "cloudtrail:ListTags",
];

/** Reads that return data rather than configuration: the preview role is denied them (see `previewPolicyDocument`). */
export const DATA_READS = [
    "secretsmanager:GetSecretValue",
    "sqs:ReceiveMessage",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "logs:StartLiveTail",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "cognito-idp:AdminGetUser",
    "cognito-idp:ListUsers",
    "cognito-idp:ListUsersInGroup",
];

const arn = (s: DeployScope, service: string, resource: string, region = "*") =>
    `arn:${s.partition}:${service}:${region}:${s.account}:${resource}`;
const iamArn = (s: DeployScope, resource: string) => `arn:${s.partition}:iam::${s.account}:${resource}`;
/** Regional actions only in the regions the stack uses. Global services (IAM, CloudFront, Route 53, Budgets) go without. */
const inRegions = (s: DeployScope, extra: Record<string, string | string[]> = {}) => ({
    StringEquals: { "aws:RequestedRegion": s.regions, ...extra },
});
const allow = (
    Sid: string,
    Action: string | string[],
    Resource: string | string[],
    Condition?: PolicyStatement["Condition"],
): PolicyStatement => ({ Sid, Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) });
const document = (...statements: (PolicyStatement | undefined)[]): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: statements.filter((s): s is PolicyStatement => s !== undefined),
});

/** Object read/write in the state bucket and use of its key, or nothing without a self-managed backend. */
function stateStatements(s: DeployScope, objectWritePrefix: string): PolicyStatement[] {
    return [
        ...(s.stateBucketArn
            ? [
                  allow("StateBucket", ["s3:ListBucket", "s3:GetBucketLocation"], s.stateBucketArn),
                  allow("StateRead", ["s3:GetObject", "s3:GetObjectVersion"], `${s.stateBucketArn}/*`),
                  allow("StateWrite", ["s3:PutObject", "s3:DeleteObject"], `${s.stateBucketArn}/${objectWritePrefix}*`),
              ]
            : []),
        ...(s.stateKmsKeyArn
            ? [
                  allow(
                      "StateKey",
                      ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                      s.stateKmsKeyArn,
                  ),
              ]
            : []),
    ];
}

/** The push role: log in to ECR, push to the given repositories and nothing else. */
export function pushPolicyDocument(repositoryArns: string[]): PolicyDocument {
    return document(
        // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
        allow("EcrLogin", "ecr:GetAuthorizationToken", "*"),
        repositoryArns.length > 0
            ? allow(
                  "PushToTheseRepositories",
                  [
                      "ecr:BatchCheckLayerAvailability",
                      "ecr:InitiateLayerUpload",
                      "ecr:UploadLayerPart",
                      "ecr:CompleteLayerUpload",
                      "ecr:PutImage",
                      "ecr:BatchGetImage",
                      "ecr:DescribeImages",
                  ],
                  repositoryArns,
              )
            : undefined,
    );
}

/**
 * The preview role's own policy, next to AWS's `ViewOnlyAccess`: the configuration reads a refresh
 * makes, the state backend (objects read; writes only under `.pulumi/locks/`, where the DIY
 * backend's lock files live), and explicit denies on reads that return data, so nothing attached
 * later can turn the role into a data reader.
 */
export function previewPolicyDocument(s: DeployScope): PolicyDocument {
    const deny = (Sid: string, Action: string[], but?: string | string[]): PolicyStatement =>
        but
            ? { Sid, Effect: "Deny", Action, NotResource: typeof but === "string" ? [but] : but }
            : { Sid, Effect: "Deny", Action, Resource: "*" };
    return document(
        allow("ControlPlaneReads", [...CONTROL_PLANE_READS, ...CONFIGURATION_READS], "*"),
        allow("PublicAmiParameters", ["ssm:GetParameter", "ssm:GetParameters"], publicAmiParameters(s)),
        ...stateStatements(s, ".pulumi/locks/"),
        deny("DenyDataReads", DATA_READS),
        deny(
            "DenyObjectReadsButState",
            ["s3:GetObject", "s3:GetObjectVersion"],
            s.stateBucketArn && `${s.stateBucketArn}/*`,
        ),
        deny("DenyDecryptButStateKey", ["kms:Decrypt"], s.stateKmsKeyArn),
        deny(
            "DenyParametersButPublicAmis",
            ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
            publicAmiParameters(s),
        ),
    );
}

/**
 * AWS's public parameters naming AMIs: the ECS-optimized ones (the cluster's launch template
 * resolves them) and Amazon Linux 2023's (the Vpc's NAT instance looks its AMI up, in preview too).
 */
function publicAmiParameters(s: DeployScope): string[] {
    return [
        `arn:${s.partition}:ssm:*::parameter/aws/service/ecs/*`,
        `arn:${s.partition}:ssm:*::parameter/aws/service/ami-amazon-linux-latest/*`,
    ];
}

/** Names of the deploy role's managed policies, in attachment order. */
export const DEPLOY_POLICY_PARTS = ["compute", "data", "edge", "iam"] as const;
export type DeployPolicyPart = (typeof DEPLOY_POLICY_PARTS)[number];

/**
 * The deploy role's permissions, split over managed policies because one is limited to 6,144
 * characters. Service actions are scoped to this account's ARNs and, for regional services, to
 * the stack's regions; no `svc:*` on `"*"`; IAM only under the stack's path and only for roles
 * carrying the boundary; explicit denies for what must never happen.
 */
export function deployPolicyDocuments(s: DeployScope): Record<DeployPolicyPart, PolicyDocument> {
    return { compute: computeDocument(s), data: dataDocument(s), edge: edgeDocument(s), iam: iamDocument(s) };
}

function computeDocument(s: DeployScope): PolicyDocument {
    return document(
        allow("ControlPlaneReads", CONTROL_PLANE_READS, "*"),
        // Actions without resource-level permissions (Service Authorization Reference): "*", in the stack's regions.
        allow(
            "CreateWithoutResourceLevelPermissions",
            [
                "ecs:CreateCluster",
                "ecs:RegisterTaskDefinition",
                "ecs:DeregisterTaskDefinition",
                "acm:RequestCertificate",
                "cognito-idp:CreateUserPool",
                "kms:CreateKey",
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DeleteResourcePolicy",
                "logs:PutQueryDefinition",
                "logs:DeleteQueryDefinition",
            ],
            "*",
            inRegions(s),
        ),
        // AMIs and their snapshots are owned by Amazon: their ARNs carry no account.
        allow(
            "Ec2",
            "ec2:*",
            [arn(s, "ec2", "*"), `arn:${s.partition}:ec2:*::image/*`, `arn:${s.partition}:ec2:*::snapshot/*`],
            inRegions(s),
        ),
        allow("LoadBalancing", "elasticloadbalancing:*", arn(s, "elasticloadbalancing", "*"), inRegions(s)),
        allow("AutoScaling", "autoscaling:*", arn(s, "autoscaling", "*"), inRegions(s)),
        allow(
            "ApplicationAutoScaling",
            "application-autoscaling:*",
            arn(s, "application-autoscaling", "scalable-target/*"),
            inRegions(s),
        ),
        allow("Ecs", "ecs:*", arn(s, "ecs", "*"), inRegions(s)),
        allow("Ecr", "ecr:*", arn(s, "ecr", "repository/*"), inRegions(s)),
        // `resolve:ssm:` in the cluster's launch template is resolved with the caller's permissions;
        // the NAT instance's AMI is a lookup by the provider.
        allow("PublicAmiParameters", ["ssm:GetParameter", "ssm:GetParameters"], publicAmiParameters(s), inRegions(s)),
    );
}

function dataDocument(s: DeployScope): PolicyDocument {
    const stackBuckets = `arn:${s.partition}:s3:::${s.namePrefix}*`;
    return document(
        allow("Rds", "rds:*", arn(s, "rds", "*"), inRegions(s)),
        allow("ElastiCache", "elasticache:*", arn(s, "elasticache", "*"), inRegions(s)),
        // The stack's audit trail (Audit: `<project>-<stack>-…`); trails are regional resources
        // even when multi-region.
        allow(
            "AuditTrail",
            [
                "cloudtrail:CreateTrail",
                "cloudtrail:UpdateTrail",
                "cloudtrail:DeleteTrail",
                "cloudtrail:StartLogging",
                "cloudtrail:StopLogging",
                "cloudtrail:PutEventSelectors",
                "cloudtrail:PutInsightSelectors",
                "cloudtrail:AddTags",
                "cloudtrail:RemoveTags",
                "cloudtrail:Get*",
                "cloudtrail:ListTags",
            ],
            arn(s, "cloudtrail", `trail/${s.namePrefix}*`),
            inRegions(s),
        ),
        // Queue configuration only: no SendMessage, ReceiveMessage or PurgeQueue.
        allow(
            "Queues",
            [
                "sqs:CreateQueue",
                "sqs:DeleteQueue",
                "sqs:GetQueueAttributes",
                "sqs:SetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:TagQueue",
                "sqs:UntagQueue",
                "sqs:ListQueueTags",
                "sqs:ListDeadLetterSourceQueues",
            ],
            arn(s, "sqs", "*"),
            inRegions(s),
        ),
        allow(
            "Topics",
            [
                "sns:CreateTopic",
                "sns:DeleteTopic",
                "sns:GetTopicAttributes",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
                "sns:Unsubscribe",
                "sns:GetSubscriptionAttributes",
                "sns:SetSubscriptionAttributes",
                "sns:TagResource",
                "sns:UntagResource",
                "sns:ListTagsForResource",
            ],
            arn(s, "sns", "*"),
            inRegions(s),
        ),
        // Bucket configuration, not objects: a non-empty bucket is emptied by an administrator.
        allow(
            "StackBuckets",
            [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:GetBucket*",
                "s3:PutBucket*",
                "s3:DeleteBucket*",
                "s3:Get*Configuration",
                "s3:Put*Configuration",
            ],
            stackBuckets,
        ),
        allow(
            "Secrets",
            [
                "secretsmanager:CreateSecret",
                "secretsmanager:DeleteSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:UpdateSecret",
                "secretsmanager:RestoreSecret",
                "secretsmanager:TagResource",
                "secretsmanager:UntagResource",
                "secretsmanager:GetResourcePolicy",
                "secretsmanager:PutResourcePolicy",
                "secretsmanager:DeleteResourcePolicy",
                "secretsmanager:ValidateResourcePolicy",
            ],
            arn(s, "secretsmanager", "secret:*"),
            inRegions(s),
        ),
        // Values only of the stack's own secrets (`<project>/<stack>/…`), which the program writes and refreshes.
        allow(
            "StackSecretValues",
            [
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecretVersionStage",
            ],
            arn(s, "secretsmanager", `secret:${s.secretPrefix}*`),
            inRegions(s),
        ),
        // Log group configuration: no GetLogEvents, FilterLogEvents or StartQuery.
        allow(
            "Logs",
            [
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:AssociateKmsKey",
                "logs:DisassociateKmsKey",
                "logs:TagResource",
                "logs:UntagResource",
                "logs:ListTagsForResource",
                "logs:TagLogGroup",
                "logs:UntagLogGroup",
                "logs:ListTagsLogGroup",
                "logs:PutMetricFilter",
                "logs:DeleteMetricFilter",
                "logs:PutSubscriptionFilter",
                "logs:DeleteSubscriptionFilter",
                "logs:*Delivery*",
            ],
            arn(s, "logs", "*"),
            inRegions(s),
        ),
        // Dashboards are global resources (no region in the ARN).
        allow(
            "AlarmsAndDashboards",
            "cloudwatch:*",
            [
                arn(s, "cloudwatch", "alarm:*"),
                arn(s, "cloudwatch", "insight-rule/*"),
                `arn:${s.partition}:cloudwatch::${s.account}:dashboard/*`,
            ],
            inRegions(s),
        ),
        ...stateStatements(s, ""),
    );
}

/** What sits at the edge of the application: certificates, WAF, CloudFront, DNS records, user pools, email, budgets, schedules. */
function edgeDocument(s: DeployScope): PolicyDocument {
    return document(
        allow("Certificates", "acm:*", arn(s, "acm", "certificate/*"), inRegions(s)),
        allow("WebAcls", "wafv2:*", arn(s, "wafv2", "*"), inRegions(s)),
        allow("Cdn", "cloudfront:*", `arn:${s.partition}:cloudfront::${s.account}:*`),
        // Hosted zones are created outside the stack; records (ACM validation, aliases) are the stack's.
        allow(
            "DnsRecords",
            ["route53:ChangeResourceRecordSets", "route53:ChangeTagsForResource"],
            `arn:${s.partition}:route53:::hostedzone/*`,
        ),
        // Pool configuration: no AdminGetUser, ListUsers or any user-level action.
        allow(
            "UserPools",
            [
                "cognito-idp:DescribeUserPool",
                "cognito-idp:UpdateUserPool",
                "cognito-idp:DeleteUserPool",
                "cognito-idp:*UserPoolClient",
                "cognito-idp:ListUserPoolClients",
                "cognito-idp:*UserPoolDomain",
                "cognito-idp:*UserPoolMfaConfig",
                "cognito-idp:*ResourceServer",
                "cognito-idp:ListResourceServers",
                "cognito-idp:*IdentityProvider",
                "cognito-idp:ListIdentityProviders",
                "cognito-idp:CreateGroup",
                "cognito-idp:GetGroup",
                "cognito-idp:UpdateGroup",
                "cognito-idp:DeleteGroup",
                "cognito-idp:ListGroups",
                "cognito-idp:*UICustomization",
                "cognito-idp:*RiskConfiguration",
                "cognito-idp:*LogDeliveryConfiguration",
                "cognito-idp:TagResource",
                "cognito-idp:UntagResource",
                "cognito-idp:ListTagsForResource",
            ],
            arn(s, "cognito-idp", "userpool/*"),
            inRegions(s),
        ),
        // Identities, configuration sets and templates; no Send*.
        allow(
            "Email",
            [
                "ses:Create*",
                "ses:Delete*",
                "ses:Update*",
                "ses:Put*",
                "ses:Get*",
                "ses:List*",
                "ses:Describe*",
                "ses:Set*",
                "ses:Verify*",
                "ses:TagResource",
                "ses:UntagResource",
            ],
            arn(s, "ses", "*"),
            inRegions(s),
        ),
        allow(
            "Budgets",
            [
                "budgets:ViewBudget",
                "budgets:ModifyBudget",
                "budgets:TagResource",
                "budgets:UntagResource",
                "budgets:ListTagsForResource",
            ],
            `arn:${s.partition}:budgets::${s.account}:budget/*`,
        ),
        allow(
            "EventRules",
            [
                "events:PutRule",
                "events:DeleteRule",
                "events:DescribeRule",
                "events:EnableRule",
                "events:DisableRule",
                "events:PutTargets",
                "events:RemoveTargets",
                "events:ListTargetsByRule",
                "events:TagResource",
                "events:UntagResource",
                "events:ListTagsForResource",
            ],
            arn(s, "events", "rule/*"),
            inRegions(s),
        ),
    );
}

function iamDocument(s: DeployScope): PolicyDocument {
    const stackRoles = iamArn(s, `role${s.iamPath}*`);
    const keys = arn(s, "kms", "key/*");
    return document(
        // The actions that support iam:PermissionsBoundary (Service Authorization Reference, IAM):
        // a role is created, or its permissions changed, only if it carries the boundary.
        allow(
            "ChangeRolesOnlyWithTheBoundary",
            [
                "iam:CreateRole",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
            ],
            stackRoles,
            { StringEquals: { "iam:PermissionsBoundary": s.boundaryArn } },
        ),
        // These do not support the key; the stack's path is what confines them (see stackIamPath).
        // TagRole is also what CreateRole with tags (the provider's default tags) is authorized as.
        allow(
            "ManageStackRoles",
            [
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
                "iam:DeleteRole",
                "iam:TagRole",
                "iam:UntagRole",
            ],
            stackRoles,
        ),
        allow("PassStackRolesToServices", "iam:PassRole", stackRoles, {
            StringEquals: { "iam:PassedToService": PASS_ROLE_SERVICES },
        }),
        allow(
            "StackInstanceProfiles",
            [
                "iam:CreateInstanceProfile",
                "iam:DeleteInstanceProfile",
                "iam:AddRoleToInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:TagInstanceProfile",
                "iam:UntagInstanceProfile",
            ],
            iamArn(s, `instance-profile${s.iamPath}*`),
        ),
        allow(
            "StackPolicies",
            [
                "iam:CreatePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:SetDefaultPolicyVersion",
                "iam:TagPolicy",
                "iam:UntagPolicy",
            ],
            iamArn(s, `policy${s.iamPath}*`),
        ),
        allow("ServiceLinkedRoles", "iam:CreateServiceLinkedRole", iamArn(s, "role/aws-service-role/*"), {
            StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLE_SERVICES },
        }),
        // Key administration in the stack's regions. A key cannot be confined by tag or alias: a new
        // key has neither when CreateKey checks that its policy lets the caller PutKeyPolicy.
        allow(
            "Keys",
            [
                "kms:DescribeKey",
                "kms:GetKeyPolicy",
                "kms:PutKeyPolicy",
                "kms:GetKeyRotationStatus",
                "kms:EnableKeyRotation",
                "kms:ListResourceTags",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:UpdateKeyDescription",
                "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion",
                "kms:ListGrants",
                "kms:RetireGrant",
                "kms:CreateAlias",
                "kms:DeleteAlias",
                "kms:UpdateAlias",
            ],
            keys,
            inRegions(s),
        ),
        allow(
            "StackKeyAliases",
            ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
            arn(s, "kms", `alias/${s.namePrefix}*`),
            inRegions(s),
        ),
        // RDS, ElastiCache, ECR and Secrets Manager create grants on the caller's behalf.
        allow("KeyGrantsForServices", "kms:CreateGrant", keys, {
            ...inRegions(s),
            Bool: { "kms:GrantIsForAWSResource": true },
        }),
        // Secrets Manager encrypts and decrypts secret values with the caller's key permissions.
        allow("KeyUseThroughSecretsManager", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], keys, {
            StringEquals: {
                "aws:RequestedRegion": s.regions,
                "kms:ViaService": s.regions.map((r) => `secretsmanager.${r}.amazonaws.com`),
            },
        }),
        {
            Sid: "DenyChangingTheseRolesTheBoundaryOrTheProvider",
            Effect: "Deny",
            NotAction: ["iam:Get*", "iam:List*"],
            Resource: s.protectedArns,
        },
        {
            Sid: "DenyRemovingBoundaries",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
            Resource: "*",
        },
        {
            Sid: "DenyLongLivedCredentials",
            Effect: "Deny",
            Action: [
                "iam:CreateUser",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:UpdateLoginProfile",
                "iam:CreateServiceSpecificCredential",
            ],
            Resource: "*",
        },
        { Sid: "DenyOrganizationsAndAccount", Effect: "Deny", Action: ["organizations:*", "account:*"], Resource: "*" },
        // A pipeline needs no shell in a running container, and no snapshot shared with another account.
        {
            Sid: "DenyExecAndSharingSnapshots",
            Effect: "Deny",
            Action: [
                "ecs:ExecuteCommand",
                "ec2:ModifySnapshotAttribute",
                "ec2:ModifyImageAttribute",
                "rds:ModifyDBSnapshotAttribute",
                "rds:ModifyDBClusterSnapshotAttribute",
            ],
            Resource: "*",
        },
    );
}

/**
 * The permissions boundary of every role the deploy role creates: what the stack's workload roles
 * may ever do (ECS execution and task roles, the EC2 container instance role, the VPC flow log
 * role, the RDS enhanced monitoring role). A role's effective permissions are its policies
 * intersected with this, so a role the pipeline creates cannot exceed it whatever policy it gets.
 * No IAM, no role chaining, no Organizations: the explicit denies hold even if the allows widen.
 */
export function permissionsBoundaryDocument(s: DeployScope): PolicyDocument {
    const stackBuckets = `arn:${s.partition}:s3:::${s.namePrefix}*`;
    return document(
        // ECS execution roles (awslogs, ECR pulls, secrets) and the VPC flow log role.
        allow(
            "WriteLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            arn(s, "logs", "log-group:*"),
        ),
        // AWS's AmazonRDSEnhancedMonitoringRole, which the database's monitoring role attaches.
        allow(
            "RdsEnhancedMonitoring",
            [
                "logs:CreateLogGroup",
                "logs:PutRetentionPolicy",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
                "logs:GetLogEvents",
            ],
            [arn(s, "logs", "log-group:RDS*"), arn(s, "logs", "log-group:RDS*:log-stream:*")],
        ),
        allow(
            "PullImages",
            ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            arn(s, "ecr", "repository/*"),
        ),
        // The stack's secrets and the RDS-managed master user secret (`rds!db-…`).
        allow(
            "ReadStackSecrets",
            ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            [arn(s, "secretsmanager", `secret:${s.secretPrefix}*`), arn(s, "secretsmanager", "secret:rds!*")],
        ),
        allow("UseKeys", ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], arn(s, "kms", "key/*")),
        allow(
            "Queues",
            [
                "sqs:SendMessage",
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
            ],
            arn(s, "sqs", "*"),
        ),
        allow("PublishToTopics", "sns:Publish", arn(s, "sns", "*")),
        allow(
            "StackBucketObjects",
            [
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts",
            ],
            `${stackBuckets}/*`,
        ),
        allow("ListStackBuckets", ["s3:ListBucket", "s3:GetBucketLocation"], stackBuckets),
        allow(
            "SendEmail",
            [
                "ses:SendEmail",
                "ses:SendRawEmail",
                "ses:SendTemplatedEmail",
                "ses:SendBulkTemplatedEmail",
                "ses:SendBulkEmail",
            ],
            arn(s, "ses", "*"),
        ),
        // The EC2 container instance role: the ECS agent's calls.
        allow(
            "EcsAgent",
            [
                "ecs:RegisterContainerInstance",
                "ecs:DeregisterContainerInstance",
                "ecs:Submit*",
                "ecs:Poll",
                "ecs:StartTelemetrySession",
                "ecs:UpdateContainerInstancesState",
            ],
            arn(s, "ecs", "*"),
        ),
        // Actions AWS allows only on "*": ECR login, ECS Exec channels, metrics, traces, agent endpoints.
        allow(
            "ActionsWithoutResources",
            [
                "ecr:GetAuthorizationToken",
                "ecs:DiscoverPollEndpoint",
                "logs:DescribeLogGroups",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
                "cloudwatch:PutMetricData",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
            ],
            "*",
        ),
        {
            Sid: "DenyIamOrganizationsAndRoleChaining",
            Effect: "Deny",
            Action: ["iam:*", "organizations:*", "account:*", "sts:AssumeRole"],
            Resource: "*",
        },
    );
}
