/**
 * Small builders for policy tests: plan resource records, Output-to-input edges, and assertions on a
 * runner report. Every policy test goes through the runner, so rules see exactly what the analyzer hands
 * them (proxied props, unknown sentinels, resolved dependency edges).
 */
import { expect } from "chai";
import type { PolicyPackConfig } from "@pulumi/policy";
import { evaluatePolicies, PolicyReport } from "../../policy/runner";
import type { PlannedResource, PlannedResourceOptions, PolicyViolation } from "../../tools/plan-types";
import { UNKNOWN_SENTINEL } from "../../tools/plan-types";

/** The engine's unknown: put it wherever a value is not known at preview. */
export const U = UNKNOWN_SENTINEL;

export const STACK = "test";
const PROJECT = "groundwork";

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

export interface ResExtra {
    options?: Partial<PlannedResourceOptions>;
    parent?: string;
    custom?: boolean;
}

/** A plan record with default options and no edges. */
export function res(
    type: string,
    name: string,
    props: Record<string, unknown> = {},
    extra: ResExtra = {},
): PlannedResource {
    return {
        urn: urnOf(type, name),
        type,
        name,
        ...(extra.parent ? { parent: extra.parent } : {}),
        custom: extra.custom ?? true,
        props,
        options: {
            protect: false,
            retainOnDelete: false,
            ignoreChanges: [],
            deleteBeforeReplace: false,
            aliases: [],
            additionalSecretOutputs: [],
            replaceOnChanges: [],
            customTimeouts: {},
            ...extra.options,
        },
        dependencies: [],
        propertyDependencies: {},
    };
}

/**
 * Records that `to`'s outputs flowed into `from`'s input `key` (what `{ key: to.someOutput }` does):
 * a propertyDependencies edge plus the matching dependency.
 */
export function link(from: PlannedResource, key: string, ...to: PlannedResource[]): PlannedResource {
    from.propertyDependencies[key] = [...(from.propertyDependencies[key] ?? []), ...to.map((t) => t.urn)];
    for (const t of to) {
        if (!from.dependencies.includes(t.urn)) {
            from.dependencies.push(t.urn);
        }
    }
    return from;
}

/** What `dependsOn` records: a dependency without any property edge. */
export function dependsOn(from: PlannedResource, ...to: PlannedResource[]): PlannedResource {
    from.dependencies.push(...to.map((t) => t.urn));
    return from;
}

/** Runs the whole pack over the resources. Without stackName, `pulumi.getStack()` is "stack" (→ prod). */
export function evaluate(
    resources: PlannedResource[],
    config: PolicyPackConfig = {},
    stackName?: string,
): PolicyReport {
    const report = evaluatePolicies(resources, config, stackName ? { stackName } : {});
    const crashes = report.violations.filter((v) => v.message.startsWith("policy crashed"));
    expect(crashes, "no policy may crash").to.deep.equal([]);
    return report;
}

export function violationsOf(report: PolicyReport, policy: string, urn?: string): PolicyViolation[] {
    return report.violations.filter((v) => v.policyName === policy && (urn === undefined || v.urn === urn));
}

const DEFERRED = "cannot be verified at preview (unknown value)";

/** A decided violation of `policy` whose message contains `fragment`. */
export function expectViolation(report: PolicyReport, policy: string, fragment: string, urn?: string): PolicyViolation {
    const found = violationsOf(report, policy, urn).filter((v) => !v.message.includes(DEFERRED));
    const hit = found.find((v) => v.message.includes(fragment));
    expect(
        hit,
        `${policy} should report "${fragment}"; got ${JSON.stringify(found.map((v) => v.message))}`,
    ).to.not.equal(undefined);
    return hit as PolicyViolation;
}

/** No finding at all (neither violation nor deferral) from `policy`. */
export function expectClean(report: PolicyReport, policy: string, urn?: string): void {
    expect(
        violationsOf(report, policy, urn).map((v) => v.message),
        `${policy} should pass`,
    ).to.deep.equal([]);
}

/**
 * The policy could not decide and said so: one advisory "can't run policy ... during preview: cannot be
 * verified at preview (unknown value): ..." naming `what`.
 */
export function expectDeferred(report: PolicyReport, policy: string, what: string, urn?: string): void {
    const deferred = violationsOf(report, policy, urn).filter((v) => v.message.includes(DEFERRED));
    expect(
        deferred,
        `${policy} should defer; got ${JSON.stringify(violationsOf(report, policy).map((v) => v.message))}`,
    ).to.have.length(1);
    expect(deferred[0].enforcementLevel).to.equal("advisory");
    expect(deferred[0].message).to.contain(`can't run policy '${policy}'`);
    expect(deferred[0].message).to.contain(what);
}

/** Decided violations only (deferrals excluded). */
export function decided(report: PolicyReport, policy: string, urn?: string): PolicyViolation[] {
    return violationsOf(report, policy, urn).filter((v) => !v.message.includes(DEFERRED));
}

// ------------------------------------------------------------------------------------------------
// Compliant building blocks shared by the family tests.
// ------------------------------------------------------------------------------------------------

export const T = {
    rds: "aws:rds/instance:Instance",
    ec2Instance: "aws:ec2/instance:Instance",
    paramGroup: "aws:rds/parameterGroup:ParameterGroup",
    rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    sseV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketLogging: "aws:s3/bucketLogging:BucketLogging",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    versioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    redrive: "aws:sqs/redrivePolicy:RedrivePolicy",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    secret: "aws:secretsmanager/secret:Secret",
    ecr: "aws:ecr/repository:Repository",
    ecrPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    ecrLifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    logDelivery: "aws:cloudwatch/logDelivery:LogDelivery",
    logDeliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    kms: "aws:kms/key:Key",
    lbListener: "aws:lb/listener:Listener",
    albListener: "aws:alb/listener:Listener",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    alb: "aws:alb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    albTg: "aws:alb/targetGroup:TargetGroup",
    cdn: "aws:cloudfront/distribution:Distribution",
    vpcOrigin: "aws:cloudfront/vpcOrigin:VpcOrigin",
    ses: "aws:ses/configurationSet:ConfigurationSet",
    sesv2: "aws:sesv2/configurationSet:ConfigurationSet",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    flowLog: "aws:ec2/flowLog:FlowLog",
    service: "aws:ecs/service:Service",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    cluster: "aws:ecs/cluster:Cluster",
    iamPolicy: "aws:iam/policy:Policy",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    identityPool: "aws:cognito/identityPool:IdentityPool",
    provider: "pulumi:providers:aws",
} as const;

/** A PostgreSQL instance that satisfies every resource rule (prod). */
export function goodDbProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        instanceClass: "db.t4g.medium",
        engine: "postgres",
        engineVersion: "16.4",
        identifier: "app-db",
        storageEncrypted: true,
        kmsKeyId: U,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: U,
        publiclyAccessible: false,
        dbSubnetGroupName: U,
        parameterGroupName: U,
        backupRetentionPeriod: 7,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "app-db-final",
        multiAz: true,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        monitoringInterval: 60,
        monitoringRoleArn: U,
        port: 5432,
        ...overrides,
    };
}

/** A replication group that satisfies every resource rule (prod). */
export function goodRedisProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        description: "cache",
        replicationGroupId: "app-cache",
        atRestEncryptionEnabled: true,
        kmsKeyId: U,
        transitEncryptionEnabled: true,
        authToken: "[secret]",
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        numCacheClusters: 2,
        snapshotRetentionLimit: 7,
        subnetGroupName: U,
        port: 6379,
        ...overrides,
    };
}

/** A JSON policy document. */
export function doc(...statements: Record<string, unknown>[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
