/**
 * Compliant plan records for the types the next components bring: an ECS service with its task
 * definition and roles, an ALB with listeners and a target group, a CloudFront distribution with its S3
 * grant and security headers, a WAF web ACL with logging, a Cognito user pool with an app client, and a
 * Lambda function with its URL, permission and failure destination.
 *
 * Each builder returns named records plus `all` (in dependency order), wired with the Output-to-input
 * edges a real program records. Together they pass every rule of the pack in prod except alarm coverage
 * (alarm-ecs needs alarms and a cluster; see fixtures-next.test.ts). A test changes one property to show a
 * rule firing; the reviewer corpus reuses them whole.
 */
import type { PlannedResource } from "../../tools/plan-types";
import { doc, link, res, T, U } from "./fixtures";

/** Type tokens not in fixtures.ts `T`. */
export const NT = {
    lbListenerRule: "aws:lb/listenerRule:ListenerRule",
    albListenerRule: "aws:alb/listenerRule:ListenerRule",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclRule: "aws:wafv2/webAclRule:WebAclRule",
    webAclRuleGroupAssociation: "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation",
    webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    userPool: "aws:cognito/userPool:UserPool",
    userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
    lambda: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
} as const;

// The confused-deputy guard ECS documents for task and execution roles (iam-role-trust asks for it).
const ECS_TRUST = doc({
    Effect: "Allow",
    Principal: { Service: "ecs-tasks.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
});

/** A container definition that passes every container rule. */
export function goodContainer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "app",
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2",
        essential: true,
        user: "1000:1000",
        readonlyRootFilesystem: true,
        privileged: false,
        portMappings: [{ containerPort: 3000, protocol: "tcp" }],
        environment: [
            { name: "PORT", value: "3000" },
            { name: "NODE_ENV", value: "production" },
        ],
        secrets: [{ name: "DATABASE_URL", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-url" }],
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": "/app/api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "api" },
        },
        ...overrides,
    };
}

export interface EcsServiceFixture {
    taskRole: PlannedResource;
    executionRole: PlannedResource;
    taskDefinition: PlannedResource;
    service: PlannedResource;
    all: PlannedResource[];
}

/** A Fargate service with its own task and execution roles; `containers` replaces the container list. */
export function ecsService(name = "api", containers: Record<string, unknown>[] = [goodContainer()]): EcsServiceFixture {
    const taskRole = res(T.role, `${name}-task`, { assumeRolePolicy: ECS_TRUST });
    const executionRole = res(T.role, `${name}-exec`, { assumeRolePolicy: ECS_TRUST });
    const taskDefinition = link(
        link(
            res(T.taskDef, `${name}-td`, {
                family: name,
                cpu: "256",
                memory: "512",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" },
                containerDefinitions: JSON.stringify(containers),
                taskRoleArn: U,
                executionRoleArn: U,
            }),
            "taskRoleArn",
            taskRole,
        ),
        "executionRoleArn",
        executionRole,
    );
    const service = link(
        res(T.service, name, {
            cluster: U,
            taskDefinition: U,
            desiredCount: 2,
            launchType: "FARGATE",
            networkConfiguration: { subnets: [U, U], securityGroups: [U], assignPublicIp: false },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            loadBalancers: [{ targetGroupArn: U, containerName: "app", containerPort: 3000 }],
        }),
        "taskDefinition",
        taskDefinition,
    );
    return {
        taskRole,
        executionRole,
        taskDefinition,
        service,
        all: [taskRole, executionRole, taskDefinition, service],
    };
}

export interface AlbFixture {
    loadBalancer: PlannedResource;
    targetGroup: PlannedResource;
    http: PlannedResource;
    https: PlannedResource;
    apiRule: PlannedResource;
    all: PlannedResource[];
}

/** An internet-facing ALB: HTTP redirects to HTTPS, HTTPS forwards `/api/*` to an IP target group. */
export function alb(name = "web"): AlbFixture {
    const loadBalancer = res(T.lb, name, {
        loadBalancerType: "application",
        internal: false,
        subnets: [U, U],
        securityGroups: [U],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "defensive",
        enableDeletionProtection: true,
        accessLogs: { bucket: U, enabled: true },
        tags: { "groundwork:role": "public-alb" },
    });
    const targetGroup = res(T.tg, `${name}-api`, {
        port: 3000,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: U,
        healthCheck: {
            enabled: true,
            path: "/healthz",
            matcher: "200",
            interval: 15,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
        },
    });
    const http = link(
        res(T.lbListener, `${name}-http`, {
            loadBalancerArn: U,
            port: 80,
            protocol: "HTTP",
            defaultActions: [
                { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ],
        }),
        "loadBalancerArn",
        loadBalancer,
    );
    const https = link(
        res(T.lbListener, `${name}-https`, {
            loadBalancerArn: U,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: U,
            defaultActions: [
                { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
            ],
        }),
        "loadBalancerArn",
        loadBalancer,
    );
    const apiRule = link(
        link(
            res(NT.lbListenerRule, `${name}-api-rule`, {
                listenerArn: U,
                priority: 10,
                actions: [{ type: "forward", targetGroupArn: U }],
                conditions: [{ pathPattern: { values: ["/api/*"] } }],
            }),
            "listenerArn",
            https,
        ),
        "actions",
        targetGroup,
    );
    return { loadBalancer, targetGroup, http, https, apiRule, all: [loadBalancer, targetGroup, http, https, apiRule] };
}

export interface DistributionFixture {
    bucket: PlannedResource;
    /** The bucket's KMS encryption and public access block, so the bucket rules pass too. */
    bucketGuards: PlannedResource[];
    oac: PlannedResource;
    headers: PlannedResource;
    distribution: PlannedResource;
    bucketPolicy: PlannedResource;
    all: PlannedResource[];
}

/** A distribution serving an S3 bucket through OAC, with HSTS headers and a bucket grant scoped to it. */
export function distribution(name = "cdn"): DistributionFixture {
    const bucket = res(T.bucketV2, `${name}-assets`, { bucketPrefix: "assets-" }, { options: { protect: true } });
    const key = res(
        T.kms,
        `${name}-assets-key`,
        { enableKeyRotation: true, deletionWindowInDays: 30 },
        { options: { protect: true } },
    );
    const bucketGuards = [
        key,
        link(
            link(
                res(T.sseV2, `${name}-assets-sse`, {
                    bucket: U,
                    rules: [
                        {
                            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: U },
                            bucketKeyEnabled: true,
                        },
                    ],
                }),
                "bucket",
                bucket,
            ),
            "rules",
            key,
        ),
        link(
            res(T.bucketLogging, `${name}-assets-logging`, { bucket: U, targetBucket: "access-logs" }),
            "bucket",
            bucket,
        ),
        link(
            res(T.pab, `${name}-assets-pab`, {
                bucket: U,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            }),
            "bucket",
            bucket,
        ),
    ];
    const oac = res(NT.oac, `${name}-oac`, {
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
    });
    const headers = res(NT.responseHeadersPolicy, `${name}-headers`, {
        securityHeadersConfig: {
            strictTransportSecurity: {
                accessControlMaxAgeSec: 63072000,
                includeSubdomains: true,
                preload: true,
                override: true,
            },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        },
    });
    const dist = link(
        link(
            res(T.cdn, name, {
                enabled: true,
                webAclId: U,
                origins: [{ originId: "assets", domainName: U, originAccessControlId: U }],
                defaultCacheBehavior: {
                    targetOriginId: "assets",
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD"],
                    cachedMethods: ["GET", "HEAD"],
                    cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
                    responseHeadersPolicyId: U,
                },
                viewerCertificate: {
                    acmCertificateArn: U,
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: "TLSv1.2_2021",
                },
                loggingConfig: { bucket: U },
                restrictions: { geoRestriction: { restrictionType: "none" } },
            }),
            "origins",
            bucket,
            oac,
        ),
        "defaultCacheBehavior",
        headers,
    );
    const bucketPolicy = link(
        link(
            res(T.bucketPolicy, `${name}-assets-policy`, {
                bucket: U,
                policy: {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [U, U],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                        {
                            Sid: "CloudFrontRead",
                            Effect: "Allow",
                            Principal: { Service: "cloudfront.amazonaws.com" },
                            Action: "s3:GetObject",
                            Resource: U,
                            Condition: { StringEquals: { "AWS:SourceArn": U } },
                        },
                    ],
                },
            }),
            "policy",
            dist,
            bucket,
        ),
        "bucket",
        bucket,
    );
    return {
        bucket,
        bucketGuards,
        oac,
        headers,
        distribution: dist,
        bucketPolicy,
        all: [bucket, ...bucketGuards, oac, headers, dist, bucketPolicy],
    };
}

const visibility = (metricName: string) => ({
    cloudwatchMetricsEnabled: true,
    metricName,
    sampledRequestsEnabled: true,
});

export interface WebAclFixture {
    acl: PlannedResource;
    logging: PlannedResource;
    all: PlannedResource[];
}

/** A CloudFront-scope web ACL: AWS common rule set enforced, a per-IP rate limit, logs with tokens redacted. */
export function webAcl(name = "edge-waf"): WebAclFixture {
    const acl = res(NT.webAcl, name, {
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        rules: [
            {
                name: "aws-common",
                priority: 1,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } },
                visibilityConfig: visibility("aws-common"),
            },
            {
                name: "rate-limit",
                priority: 2,
                action: { block: {} },
                statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
                visibilityConfig: visibility("rate-limit"),
            },
        ],
        visibilityConfig: visibility(name),
    });
    const logging = link(
        res(NT.webAclLogging, `${name}-logging`, {
            resourceArn: U,
            logDestinationConfigs: [U],
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
        }),
        "resourceArn",
        acl,
    );
    return { acl, logging, all: [acl, logging] };
}

/** User pool props that pass every user pool rule in prod. */
export function goodUserPoolProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "app-users",
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        mfaConfiguration: "ON",
        softwareTokenMfaConfiguration: { enabled: true },
        passwordPolicy: {
            minimumLength: 12,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: true,
            temporaryPasswordValidityDays: 7,
        },
        userPoolTier: "PLUS",
        userPoolAddOns: { advancedSecurityMode: "ENFORCED" },
        deletionProtection: "ACTIVE",
        ...overrides,
    };
}

/** App client props: code flow, https redirects (plus localhost for development), no user-existence leaks. */
export function goodUserPoolClientProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "web",
        userPoolId: U,
        generateSecret: false,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["code"],
        allowedOauthScopes: ["openid", "email"],
        supportedIdentityProviders: ["COGNITO"],
        callbackUrls: ["https://app.example.com/auth/callback", "http://localhost:3000/auth/callback"],
        logoutUrls: ["https://app.example.com/"],
        preventUserExistenceErrors: "ENABLED",
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ...overrides,
    };
}

export interface UserPoolFixture {
    pool: PlannedResource;
    client: PlannedResource;
    all: PlannedResource[];
}

export function userPool(name = "users"): UserPoolFixture {
    // Protected, as a prod stack protects its user pool (res-protect-stateful).
    const pool = res(NT.userPool, name, goodUserPoolProps(), { options: { protect: true } });
    const client = link(res(NT.userPoolClient, `${name}-web`, goodUserPoolClientProps()), "userPoolId", pool);
    return { pool, client, all: [pool, client] };
}

/** Function props that pass every function rule: CMK-encrypted environment without secrets, DLQ, current runtime. */
export function goodFunctionProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "thumbnailer",
        role: U,
        runtime: "nodejs24.x",
        handler: "index.handler",
        architectures: ["arm64"],
        memorySize: 512,
        timeout: 30,
        kmsKeyArn: U,
        environment: { variables: { BUCKET: "uploads-1234", DB_SECRET_ARN: U, LOG_LEVEL: "info" } },
        deadLetterConfig: { targetArn: U },
        ...overrides,
    };
}

export interface FunctionFixture {
    key: PlannedResource;
    dlq: PlannedResource;
    fn: PlannedResource;
    topic: PlannedResource;
    permission: PlannedResource;
    url: PlannedResource;
    all: PlannedResource[];
}

/** A function invoked by an SNS topic (scoped permission) and through an IAM-authenticated URL. */
export function lambdaFunction(name = "thumbnailer"): FunctionFixture {
    const key = res(
        T.kms,
        `${name}-key`,
        { enableKeyRotation: true, deletionWindowInDays: 30 },
        { options: { protect: true } },
    );
    const dlq = link(
        res(T.queue, `${name}-dlq`, { kmsMasterKeyId: U, messageRetentionSeconds: 1209600 }),
        "kmsMasterKeyId",
        key,
    );
    const fn = link(link(res(NT.lambda, name, goodFunctionProps({ name })), "kmsKeyArn", key), "deadLetterConfig", dlq);
    const topic = link(res(T.topic, `${name}-events`, { kmsMasterKeyId: U }), "kmsMasterKeyId", key);
    const permission = link(
        link(
            res(NT.permission, `${name}-from-sns`, {
                action: "lambda:InvokeFunction",
                function: U,
                principal: "sns.amazonaws.com",
                sourceArn: U,
            }),
            "function",
            fn,
        ),
        "sourceArn",
        topic,
    );
    const url = link(
        res(NT.functionUrl, `${name}-url`, { functionName: U, authorizationType: "AWS_IAM" }),
        "functionName",
        fn,
    );
    return { key, dlq, fn, topic, permission, url, all: [key, dlq, fn, topic, permission, url] };
}
