/**
 * A reviewer's corpus: one realistic, good set of today's resources (network, data stores, buckets,
 * queues, topic, secrets, keys, roles, alarms), then one misconfiguration at a time, each expected to be
 * flagged by the rule and at the level a reviewer would choose. The good set itself must be clean.
 * A second table does the same for tomorrow's types (ECS, ALB, CloudFront, WAF, Cognito, Lambda), built
 * from the compliant fixtures of fixtures-next.ts.
 */
import { expect } from "chai";
import type { PlannedResource } from "../../tools/plan-types";
import { decided, doc, evaluate, goodDbProps, goodRedisProps, link, res, T, U } from "./fixtures";
import { alb, distribution, ecsService, lambdaFunction, userPool, webAcl } from "./fixtures-next";

const ACCOUNT = "123456789012";
const FOREIGN = "999988887777";
const X = {
    route: "aws:ec2/route:Route",
    table: "aws:ec2/routeTable:RouteTable",
    assoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    igw: "aws:ec2/internetGateway:InternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    alias: "aws:kms/alias:Alias",
    random: "random:index/randomPassword:RandomPassword",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
    lambdaPermission: "aws:lambda/permission:Permission",
    lambda: "aws:lambda/function:Function",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};

/** The pack config of the prod stack (policy/prod.json) plus this account. */
const PROD = {
    "res-rds-delete-protect": { environment: "prod" },
    "res-rds-multiaz": { environment: "prod" },
    "res-redis-ha": { environment: "prod" },
    "res-protect-stateful": { environment: "prod" },
    "log-retention": { environment: "prod" },
    "res-s3-versioning-suspended": { environment: "prod" },
    "net-resource-principals": { accountIds: [ACCOUNT] },
    "iam-role-trust": { accountIds: [ACCOUNT] },
};

const kmsArn = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
const protect = { options: { protect: true } };

type Good = ReturnType<typeof goodSet>;

function goodSet() {
    const r: PlannedResource[] = [];
    const add = <P extends PlannedResource>(x: P): P => {
        r.push(x);
        return x;
    };
    // Keys.
    const key = add(
        res(
            T.kms,
            "data-key",
            {
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: doc(
                    {
                        Sid: "Account",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        Sid: "Alarms",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                    },
                ),
            },
            protect,
        ),
    );
    const alias = add(link(res(X.alias, "data-key", { name: "alias/data", targetKeyId: U }), "targetKeyId", key));
    const keyed = (x: PlannedResource, prop: string): PlannedResource => link(x, prop, key);

    // Network: public, private (NAT) and isolated tiers; data stores in isolated subnets.
    const vpc = add(res(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" }));
    const inVpc = (x: PlannedResource): PlannedResource => add(link(x, "vpcId", vpc));
    const igw = inVpc(res(X.igw, "igw", { vpcId: U }));
    const subnet = (name: string, cidr: string) =>
        inVpc(
            res(T.subnet, name, {
                vpcId: U,
                cidrBlock: cidr,
                mapPublicIpOnLaunch: false,
                tags: { tier: name.split("-")[0] },
            }),
        );
    const pub = subnet("public-1", "10.0.1.0/24");
    const priv = subnet("private-1", "10.0.10.0/24");
    const iso1 = subnet("isolated-1", "10.0.100.0/24");
    const iso2 = subnet("isolated-2", "10.0.110.0/24");
    const nat = add(link(res(X.nat, "nat", { subnetId: U }), "subnetId", pub));
    const table = (name: string) => inVpc(res(X.table, name, { vpcId: U }));
    const pubTable = table("public");
    const privTable = table("private");
    const isoTable = table("isolated");
    add(
        link(
            link(
                res(X.route, "public-internet", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U }),
                "routeTableId",
                pubTable,
            ),
            "gatewayId",
            igw,
        ),
    );
    add(
        link(
            link(
                res(X.route, "private-egress", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", natGatewayId: U }),
                "routeTableId",
                privTable,
            ),
            "natGatewayId",
            nat,
        ),
    );
    const assoc = (name: string, s: PlannedResource, t: PlannedResource) =>
        add(link(link(res(X.assoc, name, { subnetId: U, routeTableId: U }), "subnetId", s), "routeTableId", t));
    assoc("a-public-1", pub, pubTable);
    assoc("a-private-1", priv, privTable);
    assoc("a-isolated-1", iso1, isoTable);
    assoc("a-isolated-2", iso2, isoTable);
    const vpcOnly = [
        { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "10.0.0.0/16" },
    ];
    const acl = inVpc(
        link(
            res(X.acl, "isolated-acl", { vpcId: U, subnetIds: [U, U], ingress: vpcOnly, egress: vpcOnly }),
            "subnetIds",
            iso1,
            iso2,
        ),
    );
    const defaultSg = inVpc(res(T.defaultSg, "default-sg", { vpcId: U, ingress: [], egress: [] }));
    const flowLogGroup = add(
        keyed(res(T.logGroup, "flow-logs", { kmsKeyId: kmsArn("data-key"), retentionInDays: 365 }), "kmsKeyId"),
    );
    const flowRole = add(
        res(T.role, "flow-logs", {
            assumeRolePolicy: doc({
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }),
        }),
    );
    const flowPolicy = add(
        link(
            res(T.rolePolicy, "flow-logs", {
                role: U,
                policy: doc({
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/flow:*`,
                }),
            }),
            "role",
            flowRole,
        ),
    );
    add(
        link(
            link(
                res(T.flowLog, "flow-log", { vpcId: U, logDestination: U, iamRoleArn: U, trafficType: "ALL" }),
                "vpcId",
                vpc,
            ),
            "logDestination",
            flowLogGroup,
        ),
    );
    const app = inVpc(res(T.sg, "app-sg", { vpcId: U, tags: { "groundwork:role": "app" } }));
    const dbSg = inVpc(res(T.sg, "db-sg", { vpcId: U }));
    const cacheSg = inVpc(res(T.sg, "cache-sg", { vpcId: U }));
    const fromApp = (name: string, sg: PlannedResource, port: number) =>
        add(
            link(
                link(
                    res(T.ingressRule, name, {
                        securityGroupId: U,
                        referencedSecurityGroupId: U,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                    }),
                    "securityGroupId",
                    sg,
                ),
                "referencedSecurityGroupId",
                app,
            ),
        );
    const dbIngress = fromApp("db-from-app", dbSg, 5432);
    fromApp("cache-from-app", cacheSg, 6379);

    // Alarm topic.
    const topic = add(keyed(res(T.topic, "alarms", { kmsMasterKeyId: kmsArn("data-key") }), "kmsMasterKeyId"));
    const topicPolicy = add(
        link(
            res(T.topicPolicy, "alarms-policy", {
                arn: U,
                policy: doc({
                    Sid: "CloudWatchPublishes",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                }),
            }),
            "arn",
            topic,
        ),
    );
    add(
        link(
            res(T.subscription, "oncall", { topic: U, protocol: "email", endpoint: "oncall@example.com" }),
            "topic",
            topic,
        ),
    );
    const alarms: PlannedResource[] = [];
    const alarm = (name: string, target: PlannedResource, namespace: string, metricName: string, dimension: string) => {
        const a = add(
            link(
                link(
                    link(
                        res(T.alarm, name, {
                            namespace,
                            metricName,
                            dimensions: { [dimension]: U },
                            alarmActions: [U],
                            okActions: [U],
                            actionsEnabled: true,
                            comparisonOperator: "GreaterThanThreshold",
                            threshold: 1,
                            evaluationPeriods: 1,
                            period: 300,
                            statistic: "Average",
                        }),
                        "dimensions",
                        target,
                    ),
                    "alarmActions",
                    topic,
                ),
                "okActions",
                topic,
            ),
        );
        alarms.push(a);
        return a;
    };

    // Database.
    const dbGroup = add(link(res(T.rdsSubnetGroup, "db-subnets", { subnetIds: [U, U] }), "subnetIds", iso1, iso2));
    const params = add(
        res(T.paramGroup, "db-params", { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }] }),
    );
    const monitoring = add(
        res(T.role, "db-monitoring", {
            assumeRolePolicy: doc({
                Effect: "Allow",
                Principal: { Service: "monitoring.rds.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }),
        }),
    );
    const db = add(
        res(
            T.rds,
            "db",
            goodDbProps({
                kmsKeyId: kmsArn("data-key"),
                performanceInsightsKmsKeyId: kmsArn("data-key"),
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: kmsArn("data-key"),
                vpcSecurityGroupIds: [U],
            }),
            protect,
        ),
    );
    for (const k of ["kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"]) {
        keyed(db, k);
    }
    link(
        link(
            link(link(db, "dbSubnetGroupName", dbGroup), "parameterGroupName", params),
            "monitoringRoleArn",
            monitoring,
        ),
        "vpcSecurityGroupIds",
        dbSg,
    );
    for (const m of ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections"]) {
        alarm(`db-${m}`, db, "AWS/RDS", m, "DBInstanceIdentifier");
    }

    // Cache, AUTH token from a random password kept in Secrets Manager.
    const cacheGroup = add(
        link(res(T.cacheSubnetGroup, "cache-subnets", { subnetIds: [U, U] }), "subnetIds", iso1, iso2),
    );
    const token = add(res(X.random, "cache-token", { length: 64, special: false }));
    const tokenSecret = add(
        keyed(
            res(T.secret, "cache-token", { kmsKeyId: kmsArn("data-key"), recoveryWindowInDays: 30 }, protect),
            "kmsKeyId",
        ),
    );
    add(
        link(
            link(
                res(X.secretVersion, "cache-token", { secretId: U, secretString: "[secret]" }),
                "secretId",
                tokenSecret,
            ),
            "secretString",
            token,
        ),
    );
    const cache = add(
        keyed(
            res(
                T.redis,
                "cache",
                goodRedisProps({ kmsKeyId: kmsArn("data-key"), authToken: "[secret]", securityGroupIds: [U] }),
                protect,
            ),
            "kmsKeyId",
        ),
    );
    link(link(link(cache, "subnetGroupName", cacheGroup), "authToken", token), "securityGroupIds", cacheSg);
    alarm("cache-cpu", cache, "AWS/ElastiCache", "EngineCPUUtilization", "ReplicationGroupId");
    alarm("cache-memory", cache, "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "ReplicationGroupId");

    // Bucket: SSE-KMS with our key, all public access blocked, TLS-only policy, versioned, lifecycle.
    const bucket = add(
        res(
            T.bucket,
            "uploads",
            { bucketPrefix: "uploads-", tags: { "data-classification": "confidential" } },
            protect,
        ),
    );
    const onBucket = (x: PlannedResource): PlannedResource => add(link(x, "bucket", bucket));
    const sse = onBucket(
        keyed(
            res(T.sse, "uploads-sse", {
                bucket: U,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: kmsArn("data-key"),
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            }),
            "rules",
        ),
    );
    const pab = onBucket(
        res(T.pab, "uploads-pab", {
            bucket: U,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
    );
    onBucket(res(T.ownership, "uploads-ownership", { bucket: U, rule: { objectOwnership: "BucketOwnerEnforced" } }));
    const bucketPolicy = onBucket(
        res(T.bucketPolicy, "uploads-policy", {
            bucket: U,
            policy: doc({
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: "*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
        }),
    );
    const versioning = onBucket(
        res(T.versioning, "uploads-versioning", { bucket: U, versioningConfiguration: { status: "Enabled" } }),
    );
    // Server access logs to a log bucket outside this set (by name).
    onBucket(
        res(T.bucketLogging, "uploads-logging", { bucket: U, targetBucket: "access-logs", targetPrefix: "uploads/" }),
    );
    onBucket(
        res(T.lifecycle, "uploads-lifecycle", {
            bucket: U,
            rules: [{ id: "noncurrent", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 } }],
        }),
    );

    // Queue with a dead-letter queue that outlives it, each TLS-only; the DLQ alarmed.
    const dlq = add(res(T.queue, "jobs-dlq", { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true }));
    const queue = add(
        link(
            res(T.queue, "jobs", { messageRetentionSeconds: 345600, sqsManagedSseEnabled: true, redrivePolicy: U }),
            "redrivePolicy",
            dlq,
        ),
    );
    const tlsOnly = doc({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    const queuePolicy = add(
        link(res(T.queuePolicy, "jobs-policy", { queueUrl: U, policy: tlsOnly }), "queueUrl", queue),
    );
    add(link(res(T.queuePolicy, "jobs-dlq-policy", { queueUrl: U, policy: tlsOnly }), "queueUrl", dlq));
    alarm("jobs-dlq-visible", dlq, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName");

    // An application secret and the app's role reading only its secrets.
    const appSecret = add(
        keyed(res(T.secret, "jwt", { kmsKeyId: kmsArn("data-key"), recoveryWindowInDays: 30 }, protect), "kmsKeyId"),
    );
    const appRole = add(
        res(T.role, "app", {
            assumeRolePolicy: doc({
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }),
        }),
    );
    const appPolicy = add(
        link(
            res(T.rolePolicy, "app", {
                role: U,
                policy: doc(
                    {
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue"],
                        Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:jwt-abc`,
                    },
                    { Effect: "Allow", Action: ["kms:Decrypt"], Resource: kmsArn("data-key") },
                ),
            }),
            "role",
            appRole,
        ),
    );

    return {
        all: r,
        add,
        key,
        alias,
        vpc,
        igw,
        pub,
        priv,
        iso1,
        iso2,
        nat,
        isoTable,
        acl,
        defaultSg,
        flowRole,
        flowPolicy,
        app,
        dbSg,
        dbIngress,
        topic,
        topicPolicy,
        alarms,
        db,
        dbGroup,
        params,
        cache,
        cacheGroup,
        token,
        bucket,
        sse,
        pab,
        bucketPolicy,
        versioning,
        dlq,
        queue,
        queuePolicy,
        appSecret,
        appRole,
        appPolicy,
        flowLogGroup,
    };
}

interface Case {
    name: string;
    policy: string;
    level: "mandatory" | "advisory";
    /** Makes the one mistake; may add resources through s.add. */
    mutate: (s: Good) => void;
}

const p = (r: PlannedResource) => r.props;
const allowStmt = (principal: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Principal: principal,
    Action: "*",
    Resource: "*",
    ...extra,
});
const addDoc = (r: PlannedResource, stmt: Record<string, unknown>) => {
    const d = JSON.parse(r.props.policy as string) as { Statement: unknown[] };
    d.Statement.push(stmt);
    r.props.policy = JSON.stringify(d);
};
const ingressTo = (s: Good, cidr: Record<string, unknown>, port = 22) =>
    s.add(
        link(
            res(T.ingressRule, "extra-ingress", {
                securityGroupId: U,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                ...cidr,
            }),
            "securityGroupId",
            s.app,
        ),
    );

const CASES: Case[] = [
    // Network exposure.
    {
        name: "SSH open to 0.0.0.0/0 on the app group",
        policy: "net-sg-ingress",
        level: "mandatory",
        mutate: (s) => ingressTo(s, { cidrIpv4: "0.0.0.0/0" }),
    },
    {
        name: "SSH open to ::/0",
        policy: "net-sg-ingress",
        level: "mandatory",
        mutate: (s) => ingressTo(s, { cidrIpv6: "::/0" }),
    },
    {
        name: "SSH open to 0.0.0.0/1 (half the internet)",
        policy: "net-sg-ingress",
        level: "mandatory",
        mutate: (s) => ingressTo(s, { cidrIpv4: "0.0.0.0/1" }),
    },
    {
        name: "RDP open to 128.0.0.0/1",
        policy: "net-sg-ingress",
        level: "mandatory",
        mutate: (s) => ingressTo(s, { cidrIpv4: "128.0.0.0/1" }, 3389),
    },
    {
        name: "SSH open to a single public address",
        policy: "net-sg-ingress",
        level: "mandatory",
        mutate: (s) => ingressTo(s, { cidrIpv4: "203.0.113.7/32" }),
    },
    {
        name: "inline ingress of everything to 2000::/3",
        policy: "net-sg-ingress",
        level: "mandatory",
        mutate: (s) => {
            p(s.app).ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["2000::/3"] }];
        },
    },
    {
        name: "443 to the world on the app group (not the public ALB's)",
        policy: "net-sg-ingress-public-alb",
        level: "mandatory",
        mutate: (s) => ingressTo(s, { cidrIpv4: "0.0.0.0/0" }, 443),
    },
    {
        name: "PostgreSQL from the VPC CIDR instead of the app group",
        policy: "net-sg-db-from-sg",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.dbIngress).referencedSecurityGroupId;
            delete s.dbIngress.propertyDependencies.referencedSecurityGroupId;
            p(s.dbIngress).cidrIpv4 = "10.0.0.0/16";
        },
    },
    {
        name: "default security group gains an ingress rule",
        policy: "net-default-sg-rules",
        level: "mandatory",
        mutate: (s) => {
            p(s.defaultSg).ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }];
        },
    },
    {
        name: "egress rule attached to vpc.defaultSecurityGroupId",
        policy: "net-default-sg-rules",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                link(
                    res(X.egressRule, "default-out", { securityGroupId: U, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }),
                    "securityGroupId",
                    s.vpc,
                ),
            ),
    },
    {
        name: "default security group not adopted",
        policy: "net-default-sg",
        level: "advisory",
        mutate: (s) => {
            s.all.splice(s.all.indexOf(s.defaultSg), 1);
        },
    },
    {
        name: "isolated route table gains a NAT route",
        policy: "net-db-subnets-private",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                link(
                    link(
                        res(X.route, "iso-out", {
                            routeTableId: U,
                            destinationCidrBlock: "0.0.0.0/0",
                            natGatewayId: U,
                        }),
                        "routeTableId",
                        s.isoTable,
                    ),
                    "natGatewayId",
                    s.nat,
                ),
            ),
    },
    {
        name: "isolated route table gains an internet gateway route",
        policy: "net-db-subnets-private",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                link(
                    link(
                        res(X.route, "iso-igw", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U }),
                        "routeTableId",
                        s.isoTable,
                    ),
                    "gatewayId",
                    s.igw,
                ),
            ),
    },
    {
        name: "database subnet group holds the private (NAT) subnet",
        policy: "net-db-subnets-private",
        level: "mandatory",
        mutate: (s) => link(s.dbGroup, "subnetIds", s.priv),
    },
    {
        name: "cache subnet group holds the public subnet",
        policy: "net-db-subnets-private",
        level: "mandatory",
        mutate: (s) => link(s.cacheGroup, "subnetIds", s.pub),
    },
    {
        name: "database in the default subnet group",
        policy: "net-db-subnets-private",
        level: "mandatory",
        mutate: (s) => {
            p(s.db).dbSubnetGroupName = "default";
            delete s.db.propertyDependencies.dbSubnetGroupName;
        },
    },
    {
        name: "isolated NACL admits 0.0.0.0/0",
        policy: "net-isolated-nacl",
        level: "mandatory",
        mutate: (s) => {
            (p(s.acl).ingress as unknown[]).push({
                ruleNo: 200,
                action: "allow",
                protocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrBlock: "0.0.0.0/0",
            });
        },
    },
    {
        name: "isolated NACL admits ::/0",
        policy: "net-isolated-nacl",
        level: "mandatory",
        mutate: (s) => {
            (p(s.acl).ingress as unknown[]).push({
                ruleNo: 300,
                action: "allow",
                protocol: "-1",
                ipv6CidrBlock: "::/0",
            });
        },
    },
    {
        name: "publicly accessible database",
        policy: "net-rds-private",
        level: "mandatory",
        mutate: (s) => {
            p(s.db).publiclyAccessible = true;
        },
    },
    {
        name: "public access block leaves restrictPublicBuckets off",
        policy: "net-s3-bpa",
        level: "mandatory",
        mutate: (s) => {
            p(s.pab).restrictPublicBuckets = false;
        },
    },
    {
        name: "bucket with a public-read ACL",
        policy: "net-s3-bpa",
        level: "mandatory",
        mutate: (s) => {
            p(s.bucket).acl = "public-read";
        },
    },
    // Who may use a resource.
    {
        name: 'bucket policy allows Principal "*"',
        policy: "net-resource-policies",
        level: "mandatory",
        mutate: (s) => addDoc(s.bucketPolicy, allowStmt("*", { Action: "s3:GetObject" })),
    },
    {
        name: 'queue policy allows {AWS: "*"}',
        policy: "net-resource-policies",
        level: "mandatory",
        mutate: (s) => addDoc(s.queuePolicy, allowStmt({ AWS: "*" }, { Action: "sqs:SendMessage" })),
    },
    {
        name: "topic policy allows everyone through NotPrincipal",
        policy: "net-resource-policies",
        level: "mandatory",
        mutate: (s) =>
            addDoc(s.topicPolicy, {
                Effect: "Allow",
                NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: "sns:Subscribe",
                Resource: "*",
            }),
    },
    {
        name: "key policy grants a foreign account's root",
        policy: "net-resource-principals",
        level: "mandatory",
        mutate: (s) => addDoc(s.key, allowStmt({ AWS: `arn:aws:iam::${FOREIGN}:root` }, { Action: "kms:Decrypt" })),
    },
    {
        name: "bucket policy grants a bare foreign account id",
        policy: "net-resource-principals",
        level: "mandatory",
        mutate: (s) => addDoc(s.bucketPolicy, allowStmt({ AWS: FOREIGN }, { Action: "s3:GetObject" })),
    },
    {
        name: "queue policy grants a foreign role",
        policy: "net-resource-principals",
        level: "mandatory",
        mutate: (s) =>
            addDoc(
                s.queuePolicy,
                allowStmt({ AWS: `arn:aws:iam::${FOREIGN}:role/reader` }, { Action: "sqs:ReceiveMessage" }),
            ),
    },
    {
        name: "secret policy grants a foreign account",
        policy: "net-resource-principals",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                link(
                    res(X.secretPolicy, "jwt-policy", {
                        secretArn: U,
                        policy: doc(allowStmt({ AWS: FOREIGN }, { Action: "secretsmanager:GetSecretValue" })),
                    }),
                    "secretArn",
                    s.appSecret,
                ),
            ),
    },
    {
        name: "topic policy lets S3 publish without a source condition",
        policy: "net-resource-principals",
        level: "mandatory",
        mutate: (s) => addDoc(s.topicPolicy, allowStmt({ Service: "s3.amazonaws.com" }, { Action: "sns:Publish" })),
    },
    {
        name: "queue policy lets SNS send without aws:SourceArn",
        policy: "net-resource-principals",
        level: "mandatory",
        mutate: (s) =>
            addDoc(s.queuePolicy, allowStmt({ Service: "sns.amazonaws.com" }, { Action: "sqs:SendMessage" })),
    },
    {
        name: "Lambda permission for S3 without sourceArn/sourceAccount",
        policy: "net-lambda-permission",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                res(X.lambdaPermission, "s3-invoke", {
                    action: "lambda:InvokeFunction",
                    function: "fn",
                    principal: "s3.amazonaws.com",
                }),
            ),
    },
    {
        name: "Lambda permission for a foreign account",
        policy: "net-resource-principals",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                res(X.lambdaPermission, "partner-invoke", {
                    action: "lambda:InvokeFunction",
                    function: "fn",
                    principal: FOREIGN,
                }),
            ),
    },
    {
        name: "Lambda permission for everyone",
        policy: "net-lambda-permission",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                res(X.lambdaPermission, "anyone-invoke", {
                    action: "lambda:InvokeFunction",
                    function: "fn",
                    principal: "*",
                }),
            ),
    },
    {
        name: "role trusted by everyone",
        policy: "iam-role-trust",
        level: "mandatory",
        mutate: (s) => {
            p(s.appRole).assumeRolePolicy = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
        },
    },
    {
        name: "role trusted by a foreign account",
        policy: "iam-role-trust",
        level: "mandatory",
        mutate: (s) => {
            p(s.appRole).assumeRolePolicy = doc({
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${FOREIGN}:root` },
                Action: "sts:AssumeRole",
            });
        },
    },
    {
        name: "ECS task role trusted without aws:SourceAccount",
        policy: "iam-role-trust",
        level: "mandatory",
        mutate: (s) => {
            p(s.appRole).assumeRolePolicy = doc({
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
            });
        },
    },
    {
        name: "flow-log role trusted without a source condition",
        policy: "iam-role-trust",
        level: "mandatory",
        mutate: (s) => {
            p(s.flowRole).assumeRolePolicy = doc({
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
            });
        },
    },
    {
        name: "app policy allows iam:PassRole on *",
        policy: "iam-no-wildcard",
        level: "mandatory",
        mutate: (s) => addDoc(s.appPolicy, { Effect: "Allow", Action: "iam:PassRole", Resource: "*" }),
    },
    {
        name: "app policy reads every secret",
        policy: "iam-no-wildcard",
        level: "mandatory",
        mutate: (s) => addDoc(s.appPolicy, { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }),
    },
    {
        name: "app policy decrypts with every key",
        policy: "iam-no-wildcard",
        level: "mandatory",
        mutate: (s) => addDoc(s.appPolicy, { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }),
    },
    {
        name: "flow-log policy allows s3:* on *",
        policy: "iam-no-wildcard",
        level: "mandatory",
        mutate: (s) => addDoc(s.flowPolicy, { Effect: "Allow", Action: "s3:*", Resource: "*" }),
    },
    {
        name: "role gets AdministratorAccess",
        policy: "iam-no-admin-attach",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                link(
                    res(T.attachment, "admin", { role: U, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
                    "role",
                    s.appRole,
                ),
            ),
    },
    // Keys.
    {
        name: "topic encrypted with alias/aws/sns",
        policy: "enc-cmk-managed",
        level: "mandatory",
        mutate: (s) => {
            p(s.topic).kmsMasterKeyId = "alias/aws/sns";
            delete s.topic.propertyDependencies.kmsMasterKeyId;
        },
    },
    {
        name: "secret encrypted with a key ARN from elsewhere",
        policy: "enc-cmk-managed",
        level: "mandatory",
        mutate: (s) => {
            p(s.appSecret).kmsKeyId = `arn:aws:kms:us-east-1:${FOREIGN}:key/shared`;
            delete s.appSecret.propertyDependencies.kmsKeyId;
        },
    },
    {
        name: "bucket SSE-KMS without a key (aws/s3)",
        policy: "enc-cmk-managed",
        level: "mandatory",
        mutate: (s) => {
            p(s.sse).rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }];
            delete s.sse.propertyDependencies.rules;
        },
    },
    {
        name: "queue encrypted with alias/aws/sqs",
        policy: "enc-cmk-managed",
        level: "mandatory",
        mutate: (s) => {
            p(s.queue).kmsMasterKeyId = "alias/aws/sqs";
        },
    },
    {
        name: "data bucket on SSE-S3",
        policy: "enc-s3-sse",
        level: "mandatory",
        mutate: (s) => {
            p(s.sse).rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];
        },
    },
    {
        name: "bucket named alb-logs on SSE-S3 without an ELB grant",
        policy: "enc-s3-sse",
        level: "mandatory",
        mutate: (s) => {
            p(s.sse).rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];
            p(s.bucket).bucketPrefix = "alb-logs-";
            p(s.bucket).tags = { purpose: "alb-access-logs" };
        },
    },
    {
        name: "bucket policy without the TLS-only deny",
        policy: "enc-s3-tls-only",
        level: "mandatory",
        mutate: (s) => {
            p(s.bucketPolicy).policy = doc({
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: "s3:ListBucket",
                Resource: "*",
            });
        },
    },
    {
        name: "unencrypted database storage",
        policy: "enc-rds-storage",
        level: "mandatory",
        mutate: (s) => {
            p(s.db).storageEncrypted = false;
        },
    },
    {
        name: "parameter group without rds.force_ssl",
        policy: "enc-rds-tls",
        level: "mandatory",
        mutate: (s) => {
            p(s.params).parameters = [];
        },
    },
    {
        name: "cache transit encryption preferred",
        policy: "enc-redis-transit",
        level: "mandatory",
        mutate: (s) => {
            p(s.cache).transitEncryptionMode = "preferred";
        },
    },
    {
        name: "key without rotation",
        policy: "enc-kms-rotation",
        level: "mandatory",
        mutate: (s) => {
            p(s.key).enableKeyRotation = false;
        },
    },
    {
        name: "queue with SSE turned off",
        policy: "enc-messaging",
        level: "mandatory",
        mutate: (s) => {
            p(s.queue).sqsManagedSseEnabled = false;
        },
    },
    // Secrets and data loss.
    {
        name: "literal RDS master password",
        policy: "iam-no-literal-credentials",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.db).manageMasterUserPassword;
            p(s.db).password = "Sup3rS3cret!";
        },
    },
    {
        name: "literal cache AUTH token",
        policy: "iam-no-literal-credentials",
        level: "mandatory",
        mutate: (s) => {
            p(s.cache).authToken = "a-literal-auth-token-1234";
            delete s.cache.propertyDependencies.authToken;
        },
    },
    {
        name: "Lambda environment carries an access key id",
        policy: "iam-lambda-env-secrets",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                res(X.lambda, "fn", {
                    role: U,
                    environment: { variables: { AWS_ACCESS_KEY_ID: ["AKIA", "IOSFODNN7", "EXAMPLE"].join("") } },
                }),
            ),
    },
    {
        name: "Lambda environment carries a database URL with a password",
        policy: "iam-lambda-env-secrets",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                res(X.lambda, "fn", {
                    role: U,
                    environment: { variables: { DATABASE_URL: "postgres://app:pw123@db.internal:5432/app" } },
                }),
            ),
    },
    {
        name: "ECS container environment carries a token",
        policy: "iam-ecs-secrets",
        level: "mandatory",
        mutate: (s) =>
            s.add(
                res(T.taskDef, "td", {
                    containerDefinitions: JSON.stringify([
                        {
                            name: "web",
                            readonlyRootFilesystem: true,
                            logConfiguration: {},
                            environment: [{ name: "PAYMENTS_API_KEY", value: "live-1234" }],
                        },
                    ]),
                }),
            ),
    },
    {
        name: "prod data bucket with versioning suspended",
        policy: "res-s3-versioning-suspended",
        level: "mandatory",
        mutate: (s) => {
            p(s.versioning).versioningConfiguration = { status: "Suspended" };
        },
    },
    {
        name: "dead-letter queue keeps messages 1 day, source 4 days",
        policy: "res-sqs-dlq-retention",
        level: "mandatory",
        mutate: (s) => {
            p(s.dlq).messageRetentionSeconds = 86400;
        },
    },
    {
        name: "dead-letter queue left at SQS's default while the source keeps 14 days",
        policy: "res-sqs-dlq-retention",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.dlq).messageRetentionSeconds;
            p(s.queue).messageRetentionSeconds = 1209600;
        },
    },
    {
        name: "alarm without okActions",
        policy: "alarm-ok-actions",
        level: "advisory",
        mutate: (s) => {
            delete p(s.alarms[0]).okActions;
            delete s.alarms[0].propertyDependencies.okActions;
        },
    },
    {
        name: "alarm with actions disabled",
        policy: "alarm-actions",
        level: "mandatory",
        mutate: (s) => {
            p(s.alarms[0]).actionsEnabled = false;
        },
    },
    {
        name: "queue without a dead-letter queue",
        policy: "alarm-sqs-dlq",
        level: "mandatory",
        mutate: (s) => s.add(res(T.queue, "orphan", { sqsManagedSseEnabled: true })),
    },
    {
        name: "database without a FreeStorageSpace alarm",
        policy: "alarm-rds",
        level: "mandatory",
        mutate: (s) => {
            s.all.splice(s.all.indexOf(s.alarms[1]), 1);
        },
    },
    {
        name: "single-AZ prod database",
        policy: "res-rds-multiaz",
        level: "mandatory",
        mutate: (s) => {
            p(s.db).multiAz = false;
        },
    },
    {
        name: "prod database without deletion protection",
        policy: "res-rds-delete-protect",
        level: "mandatory",
        mutate: (s) => {
            p(s.db).deletionProtection = false;
        },
    },
    {
        name: "one-day backups",
        policy: "res-rds-backup",
        level: "mandatory",
        mutate: (s) => {
            p(s.db).backupRetentionPeriod = 1;
        },
    },
    {
        name: "prod cache without automatic failover",
        policy: "res-redis-ha",
        level: "mandatory",
        mutate: (s) => {
            p(s.cache).automaticFailoverEnabled = false;
        },
    },
    {
        name: "prod bucket not protected",
        policy: "res-protect-stateful",
        level: "advisory",
        mutate: (s) => {
            s.bucket.options.protect = false;
        },
    },
    {
        name: "VPC without flow logs",
        policy: "log-vpc-flow",
        level: "mandatory",
        mutate: (s) => {
            s.all.splice(
                s.all.findIndex((r) => r.type === T.flowLog),
                1,
            );
        },
    },
    {
        name: "uploads bucket without server access logging",
        policy: "log-s3-access",
        level: "mandatory",
        mutate: (s) => {
            s.all.splice(
                s.all.findIndex((r) => r.type === T.bucketLogging),
                1,
            );
        },
    },
    {
        name: "flow-log group kept 7 days in prod",
        policy: "log-retention",
        level: "advisory",
        mutate: (s) => {
            p(s.flowLogGroup).retentionInDays = 7;
        },
    },
];

describe("reviewer corpus: one misconfiguration at a time on a good set", () => {
    it("the good set is clean: no finding at all from any rule", () => {
        const report = evaluate(goodSet().all, PROD);
        expect(report.violations.map((v) => `${v.policyName}: ${v.message}`)).to.deep.equal([]);
    });

    it(`holds at least 60 cases (${CASES.length})`, () => {
        expect(CASES.length).to.be.at.least(60);
    });

    for (const c of CASES) {
        it(`${c.level === "mandatory" ? "blocks" : "warns about"}: ${c.name}`, () => {
            const s = goodSet();
            c.mutate(s);
            const found = decided(evaluate(s.all, PROD), c.policy);
            expect(
                found.map((v) => v.message),
                `${c.policy} should flag it`,
            ).to.not.deep.equal([]);
            expect(
                found.every((v) => v.enforcementLevel === c.level),
                `${c.policy} at ${c.level}`,
            ).to.equal(true);
        });
    }
});

// ------------------------------------------------------------------------------------------------
// Tomorrow's types: an ECS service, an ALB, a CloudFront distribution with its WAF, a user pool and a
// function, each from the compliant fixtures of fixtures-next.ts, then one mistake at a time.
// ------------------------------------------------------------------------------------------------

function goodNextSet() {
    const ecs = ecsService();
    const lb = alb();
    const cdn = distribution();
    const waf = webAcl();
    const pool = userPool();
    const fn = lambdaFunction();
    const all = [...ecs.all, ...lb.all, ...cdn.all, ...waf.all, ...pool.all, ...fn.all];
    const add = <P extends PlannedResource>(x: P): P => {
        all.push(x);
        return x;
    };
    return { all, add, ecs, lb, cdn, waf, pool, fn };
}

type GoodNext = ReturnType<typeof goodNextSet>;

interface NextCase {
    name: string;
    policy: string;
    level: "mandatory" | "advisory";
    mutate: (s: GoodNext) => void;
}

/** Rewrites the task definition's only container. */
const container = (s: GoodNext, change: (c: Record<string, unknown>) => void) => {
    const td = p(s.ecs.taskDefinition);
    const [c] = JSON.parse(td.containerDefinitions as string) as Record<string, unknown>[];
    change(c);
    td.containerDefinitions = JSON.stringify([c]);
};
const env = (s: GoodNext, name: string, value: string) =>
    container(s, (c) => {
        (c.environment as unknown[]).push({ name, value });
    });
const fnEnv = (s: GoodNext, name: string, value: string) => {
    const e = p(s.fn.fn).environment as { variables: Record<string, unknown> };
    e.variables[name] = value;
};
const cacheBehavior = (s: GoodNext) => p(s.cdn.distribution).defaultCacheBehavior as Record<string, unknown>;
const wafRules = (s: GoodNext) => p(s.waf.acl).rules as Record<string, unknown>[];

const NEXT_CASES: NextCase[] = [
    // ECS.
    {
        name: "privileged container",
        policy: "iam-ecs-secrets",
        level: "mandatory",
        mutate: (s) => container(s, (c) => (c.privileged = true)),
    },
    {
        name: "container with a writable root filesystem",
        policy: "iam-ecs-secrets",
        level: "mandatory",
        mutate: (s) => container(s, (c) => (c.readonlyRootFilesystem = false)),
    },
    {
        name: "container environment carries a database URL with a password",
        policy: "iam-ecs-env-values",
        level: "mandatory",
        mutate: (s) => env(s, "DATABASE_URL_RO", "postgres://app:pw123@db.internal:5432/app"),
    },
    {
        name: "container environment carries an access key id",
        policy: "iam-ecs-env-values",
        level: "mandatory",
        mutate: (s) => env(s, "UPLOAD_KEY_ID", ["AKIA", "IOSFODNN7", "EXAMPLE"].join("")),
    },
    {
        name: "container runs as root",
        policy: "iam-ecs-nonroot",
        level: "advisory",
        mutate: (s) => container(s, (c) => (c.user = "root")),
    },
    {
        name: "container without a log configuration",
        policy: "log-ecs-containers",
        level: "mandatory",
        mutate: (s) => container(s, (c) => delete c.logConfiguration),
    },
    {
        name: "service assigns public IPs to tasks",
        policy: "net-ecs-no-public-ip",
        level: "mandatory",
        mutate: (s) => {
            (p(s.ecs.service).networkConfiguration as Record<string, unknown>).assignPublicIp = true;
        },
    },
    {
        name: "service without a deployment circuit breaker",
        policy: "res-ecs-deploy",
        level: "advisory",
        mutate: (s) => {
            delete p(s.ecs.service).deploymentCircuitBreaker;
        },
    },
    {
        name: "task role doubles as the execution role",
        policy: "iam-ecs-roles",
        level: "mandatory",
        mutate: (s) => {
            s.ecs.taskDefinition.propertyDependencies.executionRoleArn = [s.ecs.taskRole.urn];
        },
    },
    {
        name: "task role assumable by EC2 instead of ECS tasks",
        policy: "iam-ecs-roles",
        level: "mandatory",
        mutate: (s) => {
            p(s.ecs.taskRole).assumeRolePolicy = doc({
                Effect: "Allow",
                Principal: { Service: "ec2.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            });
        },
    },
    // ALB.
    {
        name: "internet-facing load balancer not allow-listed as the public ALB",
        policy: "net-alb-scheme",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.lb.loadBalancer).tags;
        },
    },
    {
        name: "load balancer passes invalid header fields",
        policy: "net-alb-scheme",
        level: "mandatory",
        mutate: (s) => {
            p(s.lb.loadBalancer).dropInvalidHeaderFields = false;
        },
    },
    {
        name: "load balancer without access logs",
        policy: "log-alb",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.lb.loadBalancer).accessLogs;
        },
    },
    {
        name: "prod load balancer without deletion protection",
        policy: "res-alb-delete-protect",
        level: "mandatory",
        mutate: (s) => {
            p(s.lb.loadBalancer).enableDeletionProtection = false;
        },
    },
    {
        name: "HTTP listener forwards instead of redirecting",
        policy: "tls-alb-listener",
        level: "mandatory",
        mutate: (s) => {
            p(s.lb.http).defaultActions = [{ type: "forward", targetGroupArn: U }];
            link(s.lb.http, "defaultActions", s.lb.targetGroup);
        },
    },
    {
        name: "HTTPS listener on the 2016 TLS policy",
        policy: "tls-alb-listener",
        level: "mandatory",
        mutate: (s) => {
            p(s.lb.https).sslPolicy = "ELBSecurityPolicy-2016-08";
        },
    },
    {
        name: "forwarding rule attached to the HTTP listener",
        policy: "tls-alb-listener-rules",
        level: "mandatory",
        mutate: (s) => {
            s.lb.apiRule.propertyDependencies.listenerArn = [s.lb.http.urn];
            s.lb.apiRule.dependencies.push(s.lb.http.urn);
        },
    },
    {
        name: "target group without a health-check path",
        policy: "res-alb-target-health",
        level: "mandatory",
        mutate: (s) => {
            p(s.lb.targetGroup).healthCheck = { enabled: true };
        },
    },
    // CloudFront.
    {
        name: "distribution serves plain HTTP to viewers",
        policy: "tls-cloudfront",
        level: "mandatory",
        mutate: (s) => {
            cacheBehavior(s).viewerProtocolPolicy = "allow-all";
        },
    },
    {
        name: "distribution accepts TLS 1.0",
        policy: "tls-cloudfront",
        level: "mandatory",
        mutate: (s) => {
            (p(s.cdn.distribution).viewerCertificate as Record<string, unknown>).minimumProtocolVersion = "TLSv1";
        },
    },
    {
        name: "prod distribution without a web ACL",
        policy: "net-cf-oac",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.cdn.distribution).webAclId;
        },
    },
    {
        name: "S3 origin by its regional domain name without Origin Access Control",
        policy: "net-cf-oac",
        level: "mandatory",
        mutate: (s) => {
            p(s.cdn.distribution).origins = [
                { originId: "assets", domainName: "assets-1234.s3.us-east-1.amazonaws.com" },
            ];
            s.cdn.distribution.propertyDependencies.origins = [s.cdn.oac.urn];
        },
    },
    {
        name: "S3 origin from bucket.bucketRegionalDomainName without Origin Access Control",
        policy: "net-cf-oac",
        level: "mandatory",
        mutate: (s) => {
            p(s.cdn.distribution).origins = [{ originId: "assets", domainName: U }];
            s.cdn.distribution.propertyDependencies.origins = [s.cdn.bucket.urn];
        },
    },
    {
        name: "bucket grants CloudFront read to every distribution",
        policy: "net-cf-s3-grant",
        level: "mandatory",
        mutate: (s) => {
            const d = p(s.cdn.bucketPolicy).policy as { Statement: Record<string, unknown>[] };
            delete d.Statement[1].Condition;
        },
    },
    {
        name: "distribution without request logging",
        policy: "log-cloudfront",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.cdn.distribution).loggingConfig;
        },
    },
    {
        name: "default behaviour without the security-headers policy",
        policy: "tls-cloudfront-hsts",
        level: "advisory",
        mutate: (s) => {
            delete cacheBehavior(s).responseHeadersPolicyId;
            delete s.cdn.distribution.propertyDependencies.defaultCacheBehavior;
        },
    },
    // WAF.
    {
        name: "web ACL only counts: managed rules overridden to count, rate rule counting",
        policy: "net-waf-blocks",
        level: "mandatory",
        mutate: (s) => {
            const [common, rate] = wafRules(s);
            common.overrideAction = { count: {} };
            rate.action = { count: {} };
        },
    },
    {
        name: "web ACL without a rate-based rule",
        policy: "net-waf-rate-limit",
        level: "advisory",
        mutate: (s) => {
            p(s.waf.acl).rules = wafRules(s).slice(0, 1);
        },
    },
    {
        name: "WAF logs keep the authorization header",
        policy: "log-waf",
        level: "advisory",
        mutate: (s) => {
            p(s.waf.logging).redactedFields = [{ singleHeader: { name: "cookie" } }];
        },
    },
    // Cognito.
    {
        name: "prod user pool with MFA off",
        policy: "iam-cognito-mfa",
        level: "mandatory",
        mutate: (s) => {
            p(s.pool.pool).mfaConfiguration = "OFF";
            delete p(s.pool.pool).softwareTokenMfaConfiguration;
        },
    },
    {
        name: "8-character passwords",
        policy: "iam-cognito-password",
        level: "mandatory",
        mutate: (s) => {
            (p(s.pool.pool).passwordPolicy as Record<string, unknown>).minimumLength = 8;
        },
    },
    {
        name: "prod user pool without deletion protection",
        policy: "res-cognito-delete-protect",
        level: "mandatory",
        mutate: (s) => {
            p(s.pool.pool).deletionProtection = "INACTIVE";
        },
    },
    {
        name: "threat protection only audits",
        policy: "iam-cognito-threat-protection",
        level: "advisory",
        mutate: (s) => {
            p(s.pool.pool).userPoolAddOns = { advancedSecurityMode: "AUDIT" };
        },
    },
    {
        name: "app client allows the implicit grant",
        policy: "iam-cognito-client",
        level: "mandatory",
        mutate: (s) => {
            p(s.pool.client).allowedOauthFlows = ["code", "implicit"];
        },
    },
    {
        name: "app client redirects to a plain-HTTP production URL",
        policy: "iam-cognito-client",
        level: "mandatory",
        mutate: (s) => {
            p(s.pool.client).callbackUrls = ["http://app.example.com/auth/callback"];
        },
    },
    {
        name: "app client reveals whether a user exists",
        policy: "iam-cognito-client",
        level: "mandatory",
        mutate: (s) => {
            p(s.pool.client).preventUserExistenceErrors = "LEGACY";
        },
    },
    // Lambda.
    {
        name: "function URL without authentication",
        policy: "net-lambda-url-auth",
        level: "mandatory",
        mutate: (s) => {
            p(s.fn.url).authorizationType = "NONE";
        },
    },
    {
        name: "invoke permission for everyone",
        policy: "net-lambda-permission",
        level: "mandatory",
        mutate: (s) => {
            p(s.fn.permission).principal = "*";
            delete p(s.fn.permission).sourceArn;
            delete s.fn.permission.propertyDependencies.sourceArn;
        },
    },
    {
        name: "SNS invoke permission without a source ARN",
        policy: "net-lambda-permission",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.fn.permission).sourceArn;
            delete s.fn.permission.propertyDependencies.sourceArn;
        },
    },
    {
        name: "function environment carries a secret access key",
        policy: "iam-lambda-env-secrets",
        level: "mandatory",
        mutate: (s) => fnEnv(s, "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    },
    {
        name: "function environment carries a database URL with a password",
        policy: "iam-lambda-env-secrets",
        level: "mandatory",
        mutate: (s) => fnEnv(s, "DATABASE_URL", "postgres://app:pw123@db.internal:5432/app"),
    },
    {
        name: "function environment encrypted with the AWS-managed key",
        policy: "enc-lambda-env-cmk",
        level: "mandatory",
        mutate: (s) => {
            delete p(s.fn.fn).kmsKeyArn;
            delete s.fn.fn.propertyDependencies.kmsKeyArn;
        },
    },
    {
        name: "function on a deprecated runtime",
        policy: "res-lambda-runtime",
        level: "advisory",
        mutate: (s) => {
            p(s.fn.fn).runtime = "nodejs16.x";
        },
    },
    {
        name: "function drops failed asynchronous events",
        policy: "res-lambda-async-failure",
        level: "advisory",
        mutate: (s) => {
            delete p(s.fn.fn).deadLetterConfig;
            delete s.fn.fn.propertyDependencies.deadLetterConfig;
        },
    },
];

/** The rules of tomorrow's types; alarm coverage needs alarms and a cluster the fixtures leave out. */
const nextFindings = (all: PlannedResource[]) =>
    evaluate(all, PROD).violations.filter((v) => !v.policyName.startsWith("alarm-"));

describe("reviewer corpus: tomorrow's types, one misconfiguration at a time", () => {
    it("the good set is clean: no finding from any rule, alarm coverage aside", () => {
        expect(nextFindings(goodNextSet().all).map((v) => `${v.policyName}: ${v.message}`)).to.deep.equal([]);
    });

    it(`holds at least 25 cases (${NEXT_CASES.length})`, () => {
        expect(NEXT_CASES.length).to.be.at.least(25);
    });

    for (const c of NEXT_CASES) {
        it(`${c.level === "mandatory" ? "blocks" : "warns about"}: ${c.name}`, () => {
            const s = goodNextSet();
            c.mutate(s);
            const found = decided(evaluate(s.all, PROD), c.policy);
            expect(
                found.map((v) => v.message),
                `${c.policy} should flag it`,
            ).to.not.deep.equal([]);
            expect(
                found.every((v) => v.enforcementLevel === c.level),
                `${c.policy} at ${c.level}`,
            ).to.equal(true);
        });
    }
});
