import { expect } from "chai";
import { AUDIT_CONTROLS, Audit, AuditArgs, auditMetricName, normalizeAuditArgs } from "../../components/audit";
import { PlannedResource } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";

const TRAIL = "aws:cloudtrail/trail:Trail";
const BUCKET = "aws:s3/bucket:Bucket";
const KEY = "aws:kms/key:Key";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
const WARNING = "arn:aws:sns:us-east-1:123456789012:warning";
const CRITICAL = "arn:aws:sns:us-east-1:123456789012:critical";
const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/groundwork-test-audit";

async function audit(args: Partial<AuditArgs> = {}): Promise<{ rec: Recorded; audit: Audit }> {
    let created: Audit | undefined;
    const rec = await run(() => {
        created = new Audit("audit", { alarmTopicArn: WARNING, criticalAlarmTopicArn: CRITICAL, ...args });
    });
    return { rec, audit: created! };
}

function only(rec: Recorded, type: string): PlannedResource {
    const found = rec.ofType(type);
    expect(found, type).to.have.length(1);
    return found[0];
}

interface Statement {
    Sid?: string;
    Effect: string;
    Principal: unknown;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}
const statements = (r: PlannedResource, prop: string): Statement[] => JSON.parse(r.props[prop] as string).Statement;
const bySid = (list: Statement[], sid: string): Statement => {
    const found = list.find((s) => s.Sid === sid);
    expect(found, sid).to.not.equal(undefined);
    return found!;
};

describe("Audit", () => {
    it("declares a multi-region trail of read and write management events with log file validation and KMS", async () => {
        const { rec } = await audit();
        const trail = only(rec, TRAIL);
        expect(trail.props).to.include({
            name: "groundwork-test-audit",
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
        });
        expect(trail.props.eventSelectors).to.deep.equal([{ readWriteType: "All", includeManagementEvents: true }]);
        expect(trail.propertyDependencies.kmsKeyId).to.deep.equal([only(rec, KEY).urn]);
        expect(trail.propertyDependencies.s3BucketName).to.deep.equal([only(rec, BUCKET).urn]);
        const group = rec.one("aws:cloudwatch/logGroup:LogGroup", "audit-logs");
        expect(trail.props.cloudWatchLogsGroupArn).to.match(/:log-group:\/aws\/cloudtrail\/groundwork-test-audit:\*$/);
        expect(trail.propertyDependencies.cloudWatchLogsGroupArn).to.deep.equal([group.urn]);
        // CloudTrail checks the bucket policy and the role at CreateTrail.
        expect(trail.dependencies).to.include(rec.one("aws:s3/bucketPolicy:BucketPolicy", "audit-trail-policy").urn);
        expect(trail.dependencies).to.include(rec.one("aws:iam/rolePolicy:RolePolicy", "audit-cloudwatch").urn);
    });

    it("grants CloudTrail exactly AWS's key policy: data keys for this trail under its encryption context, describe, account decrypt", async () => {
        const { rec } = await audit();
        const key = only(rec, KEY);
        expect(key.props.enableKeyRotation).to.equal(true);
        const list = statements(key, "policy");
        expect(bySid(list, "AllowCloudTrailToEncryptLogs")).to.deep.include({
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Condition: {
                StringEquals: { "aws:SourceArn": TRAIL_ARN },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*" },
            },
        });
        expect(bySid(list, "AllowCloudTrailToDescribeKey")).to.deep.include({
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:DescribeKey",
            Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
        });
        const decrypt = bySid(list, "AllowAccountToDecryptLogFiles");
        expect(decrypt.Principal).to.deep.equal({ AWS: "arn:aws:iam::123456789012:root" });
        expect(decrypt.Action).to.deep.equal(["kms:Decrypt", "kms:ReEncryptFrom"]);
        expect(decrypt.Condition!.StringLike).to.deep.equal({
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*",
        });
        // CloudTrail gets nothing else: no decrypt, no wildcard principal anywhere.
        const cloudTrailActions = list
            .filter((s) => JSON.stringify(s.Principal).includes("cloudtrail"))
            .flatMap((s) => [s.Action].flat());
        expect(cloudTrailActions.sort()).to.deep.equal(["kms:DescribeKey", "kms:GenerateDataKey*"]);
        expect(list.some((s) => s.Principal === "*" || JSON.stringify(s.Principal).includes('"*"'))).to.equal(false);
        // The log group may use the key, for its own ARN only.
        const logs = bySid(list, "CloudWatchLogsEncryptsLogGroups");
        expect(logs.Condition!.ArnLike).to.deep.equal({
            "kms:EncryptionContext:aws:logs:arn": [
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/groundwork-test-audit",
            ],
        });
    });

    it("delivers to a private, versioned, TLS-only, SSE-KMS bucket that only this trail may write", async () => {
        const { rec } = await audit();
        const bucket = only(rec, BUCKET);
        const attached = (type: string) => {
            const r = only(rec, type);
            expect(r.propertyDependencies.bucket, type).to.deep.equal([bucket.urn]);
            return r;
        };
        expect(attached("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").props).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(attached("aws:s3/bucketOwnershipControls:BucketOwnershipControls").props.rule).to.deep.equal({
            objectOwnership: "BucketOwnerEnforced",
        });
        expect(attached("aws:s3/bucketVersioning:BucketVersioning").props.versioningConfiguration).to.deep.equal({
            status: "Enabled",
        });
        const sse = attached("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        const [rule] = sse.props.rules as { applyServerSideEncryptionByDefault: Record<string, string> }[];
        expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
        expect(sse.propertyDependencies.rules).to.include(only(rec, KEY).urn);

        const list = statements(attached("aws:s3/bucketPolicy:BucketPolicy"), "policy");
        expect(bySid(list, "DenyInsecureTransport").Condition).to.deep.equal({
            Bool: { "aws:SecureTransport": "false" },
        });
        expect(bySid(list, "AWSCloudTrailAclCheck")).to.deep.include({
            Action: "s3:GetBucketAcl",
            Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
        });
        const write = bySid(list, "AWSCloudTrailWrite");
        expect(write.Action).to.equal("s3:PutObject");
        expect(write.Resource).to.match(/\/AWSLogs\/123456789012\/\*$/);
        expect(write.Condition).to.deep.equal({
            StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL_ARN },
        });
    });

    it("logs the trail bucket's S3 server access to the log bucket given, and not at all by default", async () => {
        const { rec } = await audit({ accessLogBucketName: "groundwork-test-access-logs-abc" });
        const logging = only(rec, "aws:s3/bucketLogging:BucketLogging");
        expect(logging.props).to.include({
            targetBucket: "groundwork-test-access-logs-abc",
            targetPrefix: "audit-trail/",
        });
        expect(logging.propertyDependencies.bucket).to.deep.equal([only(rec, BUCKET).urn]);
        expect((await audit()).rec.ofType("aws:s3/bucketLogging:BucketLogging")).to.deep.equal([]);
    });

    it("archives log files to Glacier and expires them after the days given", async () => {
        const { rec } = await audit({ glacierTransitionDays: 30, expirationDays: 2557 });
        const rules = only(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").props
            .rules as Record<string, unknown>[];
        expect(rules.find((r) => r.id === "archive-then-expire-log-files")).to.deep.include({
            transitions: [{ days: 30, storageClass: "GLACIER" }],
            expiration: { days: 2557 },
        });
    });

    it("writes a KMS-encrypted log group through a role that may only write that group", async () => {
        const { rec } = await audit({ logRetentionDays: 90 });
        const group = rec.one("aws:cloudwatch/logGroup:LogGroup", "audit-logs");
        expect(group.props).to.include({ name: "/aws/cloudtrail/groundwork-test-audit", retentionInDays: 90 });
        expect(group.propertyDependencies.kmsKeyId).to.deep.equal([only(rec, KEY).urn]);
        const role = only(rec, "aws:iam/role:Role");
        expect(role.props.path).to.equal("/groundwork/test/");
        const [trust] = statements(role, "assumeRolePolicy");
        expect(trust).to.deep.include({
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        });
        const [write] = statements(only(rec, "aws:iam/rolePolicy:RolePolicy"), "policy");
        expect(write.Action).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents"]);
        expect(write.Resource).to.match(/:log-group:\/aws\/cloudtrail\/groundwork-test-audit:log-stream:\*$/);
    });

    it("declares each CIS control as a metric filter on the trail's group and an alarm routed by its severity", async () => {
        const { rec, audit: a } = await audit();
        const group = rec.one("aws:cloudwatch/logGroup:LogGroup", "audit-logs");
        expect(rec.ofType(FILTER)).to.have.length(AUDIT_CONTROLS.length);
        expect(rec.ofType(ALARM)).to.have.length(AUDIT_CONTROLS.length);
        for (const control of AUDIT_CONTROLS) {
            const filter = rec.one(FILTER, `audit-${control.id}`);
            expect(filter.props.pattern).to.equal(control.pattern);
            expect(filter.propertyDependencies.logGroupName).to.deep.equal([group.urn]);
            expect(filter.props.metricTransformation).to.deep.equal({
                name: auditMetricName(control.id),
                namespace: "Groundwork/Audit/groundwork-test",
                value: "1",
                defaultValue: "0",
            });
            const alarm = rec.one(ALARM, `audit-${control.id}`);
            const topic = control.severity === "critical" ? CRITICAL : WARNING;
            expect(alarm.props, control.id).to.deep.include({
                namespace: a.metricNamespace,
                metricName: auditMetricName(control.id),
                statistic: "Sum",
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: control.threshold,
                alarmActions: [topic],
                okActions: [topic],
                tags: { severity: control.severity },
            });
            expect(alarm.dependencies).to.include(filter.urn);
        }
    });

    it("pages for root use, trail changes and key deletion; the rest are warnings", () => {
        const critical = AUDIT_CONTROLS.filter((c) => c.severity === "critical").map((c) => c.control);
        expect(critical).to.deep.equal(["CloudWatch.1", "CloudWatch.5", "CloudWatch.7"]);
        // The root-use filter is AWS's, verbatim (Security Hub checks the pattern as written).
        expect(AUDIT_CONTROLS[0].pattern).to.equal(
            '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
        );
    });

    it("sends critical alarms to the warning route when no critical route is given", async () => {
        const { rec } = await audit({ criticalAlarmTopicArn: undefined });
        expect(rec.one(ALARM, "audit-root-account-usage").props.alarmActions).to.deep.equal([WARNING]);
    });

    it("protects the trail bucket and key in prod; dev's bucket may be destroyed with its objects", async () => {
        const prod = await audit({ protect: true });
        expect(only(prod.rec, BUCKET).options).to.include({ protect: true, retainOnDelete: true });
        expect(only(prod.rec, KEY).options).to.include({ protect: true, retainOnDelete: true });
        expect(only(prod.rec, BUCKET).props.forceDestroy).to.equal(false);
        const dev = await audit();
        expect(only(dev.rec, BUCKET).options.protect).to.equal(false);
        expect(only(dev.rec, BUCKET).props.forceDestroy).to.equal(true);
    });

    it("exposes the trail, bucket, key and group", async () => {
        const { audit: a } = await audit();
        expect(await promiseOf(a.logGroupName)).to.equal("/aws/cloudtrail/groundwork-test-audit");
        expect(await promiseOf(a.trailName)).to.equal("groundwork-test-audit");
    });

    describe("args", () => {
        const normalize = (args: Partial<AuditArgs>) => () =>
            normalizeAuditArgs("audit", { alarmTopicArn: WARNING, ...args });

        it("refuses an expiry sooner than Glacier's 90-day minimum after the transition", () => {
            expect(normalize({ glacierTransitionDays: 90, expirationDays: 120 })).to.throw(
                /Audit "audit": args.expirationDays is 120; must be at least glacierTransitionDays \+ 90 \(180\)/,
            );
            expect(normalize({ glacierTransitionDays: 30, expirationDays: 120 })).not.to.throw();
        });

        it("refuses a retention CloudWatch Logs does not offer and a namespace AWS reserves", () => {
            expect(normalize({ logRetentionDays: 100 })).to.throw(/args.logRetentionDays is 100/);
            expect(normalize({ metricNamespace: "AWS/CloudTrail" })).to.throw(/args.metricNamespace/);
        });
    });
});
