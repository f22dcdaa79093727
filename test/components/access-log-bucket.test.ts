import { expect } from "chai";
import { Queue } from "@pulumi/aws/sqs";
import { AccessLogBucket, AccessLogBucketArgs, normalizeAccessLogBucketArgs } from "../../components/access-log-bucket";
import { PlannedResource } from "../../tools/plan-types";
import { Recorded, run } from "../helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const SOURCE = "arn:aws:s3:::groundwork-test-uploads-abc";

async function logBucket(args: Partial<AccessLogBucketArgs> = {}): Promise<Recorded> {
    return run(() => {
        new AccessLogBucket("access-logs", { sourceBucketArns: [SOURCE], ...args });
    });
}

/** The configuration resource of `type`, checked to attach to the bucket by an Output edge. */
function attached(rec: Recorded, type: string): PlannedResource {
    const found = rec.ofType(type);
    expect(found, type).to.have.length(1);
    expect(found[0].propertyDependencies.bucket, type).to.deep.equal([rec.ofType(BUCKET)[0].urn]);
    return found[0];
}

describe("AccessLogBucket", () => {
    it("is private, versioned and encrypted with SSE-S3, the only default encryption S3 log delivery supports", async () => {
        const rec = await logBucket();
        expect(attached(rec, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").props).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(attached(rec, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").props.rule).to.deep.equal({
            objectOwnership: "BucketOwnerEnforced",
        });
        expect(attached(rec, "aws:s3/bucketVersioning:BucketVersioning").props.versioningConfiguration).to.deep.equal({
            status: "Enabled",
        });
        expect(
            attached(rec, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
                .props.rules,
        ).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        expect(rec.ofType("aws:kms/key:Key")).to.deep.equal([]);
    });

    it("expires logs after the days given", async () => {
        const rec = await logBucket({ expirationDays: 30 });
        const rules = attached(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").props
            .rules as Record<string, unknown>[];
        expect(rules.find((r) => r.id === "expire-access-logs")).to.deep.include({ expiration: { days: 30 } });
    });

    it("denies non-TLS requests and lets S3 log delivery only put objects, for the source buckets of this account", async () => {
        const rec = await run(() => {
            // Stands in for a source bucket whose ARN is known only once it exists.
            const source = new Queue("assets");
            new AccessLogBucket("access-logs", { sourceBucketArns: [SOURCE, source.arn] });
        });
        const policy = attached(rec, "aws:s3/bucketPolicy:BucketPolicy");
        const statements = JSON.parse(policy.props.policy as string).Statement as Record<string, unknown>[];
        expect(statements.find((s) => s.Sid === "DenyInsecureTransport")).to.deep.include({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        const grant = statements.find((s) => s.Sid === "S3ServerAccessLogsPolicy")!;
        expect(grant).to.deep.include({
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
        });
        const condition = grant.Condition as { ArnLike: { "aws:SourceArn": string[] }; StringEquals: unknown };
        expect(condition.StringEquals).to.deep.equal({ "aws:SourceAccount": "123456789012" });
        const [plain, fromOutput] = condition.ArnLike["aws:SourceArn"];
        expect(plain).to.equal(SOURCE);
        expect(fromOutput).to.match(/^arn:aws:sqs:/);
        expect(policy.propertyDependencies.policy).to.include(rec.ofType("aws:sqs/queue:Queue")[0].urn);
        expect(grant.Resource).to.match(/^arn:aws:s3:::.+\/\*$/);
    });

    it("is protected in prod", async () => {
        const rec = await logBucket({ protect: true });
        expect(rec.ofType(BUCKET)[0].options).to.include({ protect: true, retainOnDelete: true });
    });

    it("refuses an empty source list", () => {
        expect(() => normalizeAccessLogBucketArgs("access-logs", { sourceBucketArns: [] })).to.throw(
            /AccessLogBucket "access-logs": args.sourceBucketArns is empty/,
        );
    });
});
